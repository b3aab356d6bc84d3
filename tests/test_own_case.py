"""Your own intervention, in plain Python (no browser): the form, its link, its file, and
untrusted links and files.

Round trips keep the answers (form -> link, form -> YAML -> load_case, preset -> form -> YAML);
any case the validation accepts stays within the model's bounds; bad and hostile links and files
get a clear refusal naming the field or line, in the page's language, and nothing runs.
"""

import base64
import json
import random
import string
import zlib
from dataclasses import replace

import pytest
import test_properties
import test_texts
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import explorer
from explorer import catalogue, files, model, owncase, uncertainty, workbook
from explorer.__main__ import main as command_line
from explorer.owncase import OwnCase, OwnCaseError, Value
from explorer.ui import own_case

#: A link code written by the first version of the page; it must keep opening.
V1_CODE = (
    "v1.eNp9kT1u20AQha-y2MaNQCiy3bgzEPcukiIIDGLIHVIL7g8xu1RACD6OKx8hnX2xvKUsRUKMgM3yzd83b_Y6kGd9t9eG9"
    "J3-Zo2zvbLBJMpJrzQHqA8kblZbdqN-Xuk0eU8yn2oewjFfNZwG4R1nNb6_qGQNB_X2-6sNins-pb29VsfO90XMLDsO2cagDK"
    "dWbMNG4SdvWY3Us7r6ESdR8ddl8lVVaEi4QEQkC7qmTJLrmUkg-mjYVWfSSjvQSSrsLSXGY3O7Xi1vF8nUDXdRYMfNuUgdhiI"
    "TmnDHwqHl-tOST8KnYrDGKbfRl6k_93rguXAfpPoL2Ab4AwnbwV2gUsPu5PL3YPr3FzasKDRiQ88uLRsvPj46atmjMinaRfhu"
    "ijcNIGqhDDpthsqGlG2einf1MuQQQ4uu4zaXUTtyE7LX1TWshOltKX20Lma1WW-uS9NRbPuxwiXh_V-u5fxn4_7BRBB7XKSUW"
    "_o4BXAcZlzwjsdKtBpp_rghTrtgb22_rduYco0LTKm0-38TDBui91Mo-wknKM9P-P4AEKAUTQ"
)
KPIS = (
    "total_cost",
    "total_savings",
    "npv",
    "npv_kommune",
    "payback_year",
    "payback_year_kommune",
    "pv_wider_gains",
)


def kpis(scenario):
    r = model.evaluate(scenario)
    return {k: getattr(r, k) for k in KPIS}


def same_kpis(a, b):
    ka, kb = kpis(a), kpis(b)
    for key in KPIS:
        if ka[key] is None or kb[key] is None:
            assert ka[key] == kb[key], key
        else:
            assert ka[key] == pytest.approx(kb[key], rel=1e-6, abs=1e-6), key


def type_into(lever, text):
    lever.typed = json.dumps({"text": text, "n": 1})


class Downloads:
    """The files a page hands to the browser."""

    def __init__(self, page):
        self.files = {}
        page.chrome.send_file = lambda name, mime, data: self.files.__setitem__(name, (mime, data))


def upload(page, data, name="case.yaml"):
    """What the browser sends when the reader opens a file (nothing but its size if too large)."""
    page.upload._received(
        page.upload,
        {"name": name, "size": len(data)},
        [memoryview(data)] if len(data) <= page.upload.max_bytes else [],
    )


def code_of(content) -> str:
    """A link code for any JSON content (how a hostile link would be made)."""
    packed = zlib.compress(json.dumps(content).encode("utf-8"))
    return "v1." + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def edited_page(lang="en"):
    """The empty form with a few things typed in, as a reader would."""
    page = own_case.OwnCasePage(f"lang={lang}")
    page.name_box.value = "Early help in Odense"
    type_into(page.form_levers["cases"], "400")
    type_into(page.form_levers["worker_cost"], "520000")
    form = page.outcome_forms[0]
    type_into(form.count, "9")
    type_into(form.levers["effect"], "0.4")
    form.note.value = "Odense pilot 2023, internal evaluation"
    return page


# -- round trips -----------------------------------------------------------------------------
def test_the_form_describes_a_scenario_named_own_with_every_value_sourced_or_own():
    page = edited_page()
    s = page.current
    assert s.case == "own" and s.cases == 400 and s.worker_cost == 520_000
    assert s.outcomes[0].base_rate == pytest.approx(9 / 400)
    effect = page.own.outcomes[0].values["effect"]
    assert effect == Value(0.4, note="Odense pilot 2023, internal evaluation")
    assert page.built.sources["overhead"] == "dk.overhead"
    assert page.built.notes["outcome_1.effect"] == "Odense pilot 2023, internal evaluation"
    assert "Ekstra" not in page.kpi_box.value and "Extra caseworkers" in page.kpi_box.value


def test_form_link_form_gives_the_same_case_and_kpis():
    page = edited_page()
    query = page.chrome.query
    assert query.startswith("case=own&c=v1.") and query.endswith("lang=en")
    again = own_case.OwnCasePage(query)
    assert again.own == page.own and again.current == page.current
    assert again.kpi_box.value == page.kpi_box.value
    assert again.notice_box.value == ""
    same_kpis(again.current, page.current)
    other = own_case.OwnCasePage(page.chrome.other_query)
    assert other.lang == "da" and other.current == page.current


def test_form_yaml_load_case_and_the_command_line_give_the_same_kpis(tmp_path, capsys):
    page = edited_page()
    downloads = Downloads(page)
    next(b for b in page.downloads.children if "download-yaml" in b._dom_classes).click()
    ((name, (mime, data)),) = downloads.files.items()
    assert name == "own-case.yaml" and mime == "application/yaml"
    path = tmp_path / "my_case.yaml"
    path.write_bytes(data)
    same_kpis(catalogue.read_case_file(path).scenario, page.current)
    same_kpis(explorer.load_case(str(path)), page.current)
    assert command_line(["evaluate", str(path), "--lang", "en"]) == 0
    assert "Early help in Odense" in capsys.readouterr().out
    reopened = own_case.OwnCasePage("lang=en")
    upload(reopened, data, "my_case.yaml")
    assert reopened.own == page.own and reopened.current == page.current


@pytest.mark.parametrize("preset", catalogue.cases())
def test_each_preset_through_the_form_and_a_file_keeps_its_kpis(preset, tmp_path):
    page = own_case.OwnCasePage("lang=da")
    page.start_choice.value = preset
    page.start_button.click()
    same_kpis(page.current, catalogue.load_case(preset))
    assert page.current.case == "own"
    downloads = Downloads(page)
    page.send_yaml()
    ((_, (_, data)),) = downloads.files.items()
    path = tmp_path / f"{preset}.yaml"
    path.write_bytes(data)
    for scenario in (
        explorer.load_case(path),
        owncase.from_yaml(data).scenario,
        own_case.OwnCasePage(page.chrome.query).current,
    ):
        assert model.evaluate(scenario).npv == pytest.approx(
            model.evaluate(catalogue.load_case(preset)).npv, rel=1e-6
        )
        same_kpis(scenario, catalogue.load_case(preset))
    # every sourced value keeps its figure key in the file
    assert set(catalogue.read_case_file(path).sources.values()) == set(
        catalogue.case(preset).sources.values()
    )


def test_a_preset_with_the_explorers_changes_opens_in_the_form_for_comparison():
    query = "case=aabenraa&caseload_after=25&self_support.effect=1.5&lang=en"
    page = own_case.OwnCasePage(query)
    s = page.current
    assert (s.case, s.caseload_after, s.outcome("self_support").effect) == ("own", 25, 1.5)
    linked = own_case.links.parse(query).scenario
    assert model.evaluate(s).npv == pytest.approx(model.evaluate(linked).npv, rel=1e-9)
    assert "For comparison: Aabenraa" in page.compare_box.value


def test_an_old_v1_link_keeps_opening():
    own = owncase.decode(V1_CODE)
    assert own.title == {"da": "Tidlig indsats", "en": "Early help"}
    assert own.lever("cases") == Value(250.0)
    assert own.outcomes[0].values["effect"] == Value(0.3, note="Pilot 2023")
    page = own_case.OwnCasePage(f"case=own&c={V1_CODE}&lang=da")
    assert page.current.cases == 250 and page.notice_box.value == ""


def test_encode_is_compact_and_decode_inverts_it():
    for own in (owncase.blank(), *map(owncase.from_preset, catalogue.cases())):
        code = owncase.encode(own)
        assert code.startswith("v1.") and len(code) < owncase.MAX_LINK
        assert set(code[3:]) <= set(string.ascii_letters + string.digits + "-_")
        assert owncase.decode(code) == own


def test_the_yaml_is_the_presets_format_and_reads_back_exactly():
    text = owncase.to_yaml(owncase.from_preset("hjoerring"), "en")
    assert text.startswith("# ") and "explorer.load_case" in text
    assert "refusion_from_week: hjoerring.weeks_on_support" in text
    assert "kommune: rest" in text
    tricky = replace(
        owncase.blank(),
        title={"da": "yes: 1e5 # no", "en": "null"},
        summary={"da": "«on»\nnew line", "en": "'quoted' \"both\""},
    )
    back = owncase.from_yaml(owncase.to_yaml(tricky).encode("utf-8"))
    assert back.title == tricky.title and back.summary == tricky.summary


# -- any case the validation accepts stays within the model's bounds -------------------------
PRICES = [k for k in catalogue.figures() if k.startswith("price.")]


@st.composite
def outcomes(draw, key, cases):
    kind = draw(st.sampled_from(["entry", "exit"]))
    count = draw(st.floats(0, cases * 1.1))
    effect = draw(st.floats(0, 5))
    amount = (
        Value(figure=draw(st.sampled_from(PRICES)))
        if draw(st.booleans())
        else Value(draw(st.floats(-5_000_000, 5_000_000)))
    )
    price = owncase.standard_price(amount, Value(draw(st.floats(0, 520))))
    if price.kind == "budget" and draw(st.booleans()):
        price = replace(
            price,
            payers=owncase.payers_for(
                draw(st.sampled_from(owncase.PAYER_MODES)),
                amount,
                Value(draw(st.floats(0, 520))),
                Value(draw(st.floats(0, 1))),
                Value(draw(st.floats(0, 1))),
            ),
        )
    values = {
        "base_rate": Value(count / cases),
        "effect": Value(effect),
        "deadweight": Value(draw(st.floats(0, 1))),
        "duration_years": Value(draw(st.floats(1, 30))),
    }
    if kind == "exit":
        values["other_benefit_share"] = Value(draw(st.floats(0, 1)))
    return owncase.OutcomeSpec(key, kind, {"da": key, "en": key}, values, (price,))


@st.composite
def forms(draw):
    cases = draw(st.integers(1, 100_000))
    before = draw(st.floats(1, 200))
    levers = {
        "cases": Value(cases),
        "caseload_before": Value(before),
        "caseload_after": Value(draw(st.floats(1, min(200, before * 1.1)))),
        "worker_cost": Value(draw(st.floats(100_000, 2_000_000))),
        "other_cost_per_year": Value(draw(st.floats(0, 1e9))),
        "one_off_cost": Value(draw(st.floats(0, 1e9))),
        "programme_years": Value(draw(st.integers(1, 20))),
        "horizon_years": Value(draw(st.integers(1, 20))),
        "wider_gains": Value(draw(st.integers(0, 1))),
        "reference_caseload_before": Value(draw(st.floats(1, 200))),
        "reference_caseload_after": Value(draw(st.floats(1, 200))),
    }
    n = draw(st.integers(1, own_case.MAX_OUTCOMES))
    return replace(
        owncase.blank(),
        levers={**owncase.blank().levers, **levers},
        outcomes=tuple(draw(outcomes(f"outcome_{i + 1}", cases)) for i in range(n)),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(forms())
def test_any_form_the_validation_accepts_stays_within_the_models_bounds(own: OwnCase):
    try:
        s = own.scenario
    except OwnCaseError as error:
        assert error.text("da") and "{" not in error.text("da")
        assume(False)
        return
    paths = model.evaluate(s).paths
    # entries and exits within those at risk, exits within the group, no savings without cost
    test_properties.check_bounds(s, paths)
    for o in s.outcomes:
        assert o.base_rate <= 1 and (o.kind == "entry" or o.base_rate < 1)


# -- the page ----------------------------------------------------------------------------------
def test_an_empty_field_takes_the_catalogues_figure_and_says_so():
    page = own_case.OwnCasePage("lang=da")
    lever = page.form_levers["worker_cost"]
    type_into(lever, "600.000")
    assert page.current.worker_cost == 600_000 and lever.info_title == "Dit eget tal"
    type_into(lever, "")
    assert page.current.worker_cost == catalogue.figure("dk.worker_salary").in_prices
    assert lever.info_title.startswith("Tomt felt, så katalogets tal bruges: ")
    assert page.own.levers["worker_cost"] == Value(figure="dk.worker_salary")
    count = page.outcome_forms[0].count
    type_into(count, "")
    assert page.own.outcomes[0].values["base_rate"] == Value(figure="dk.institution_entry_rate")


def test_fields_are_checked_as_the_reader_types_in_the_pages_language():
    page = own_case.OwnCasePage("lang=da")
    form = page.outcome_forms[0]
    type_into(form.count, "150")
    assert form.count.error.startswith("Antal pr. år uden ændringen skal være fra 0 til 100")
    type_into(page.form_levers["caseload_before"], "10")
    assert "Sagstallet efter (20) kan ikke være højere end før (10)." in page.notice_box.value
    type_into(page.form_levers["caseload_before"], "40")
    assert page.notice_box.value == ""
    page.name_box.value = "  "
    assert "Giv indsatsen et navn." in page.notice_box.value
    page.name_box.value = "Min"
    form.kind.value = "exit"
    form = page.outcome_forms[0]
    type_into(form.levers["effect"], "4,5")
    assert "effekten kan højst være" in page.notice_box.value
    english = own_case.OwnCasePage("lang=en")
    type_into(english.outcome_forms[0].count, "abc")
    assert english.outcome_forms[0].count.error.startswith("yearly_count must be a number")


def test_kind_price_and_payers_follow_the_refusion_rules():
    page = own_case.OwnCasePage("lang=en")
    form = page.outcome_forms[0]
    placement = page.current.outcomes[0].prices[0]
    assert placement.stat == pytest.approx(
        explorer.refusion.high_cost_state_share(placement.amount, explorer.figures())
    )
    form.kind.value = "exit"
    form = page.outcome_forms[0]
    o = page.own.outcomes[0]
    assert o.values["base_rate"] == Value(figure="dk.kontanthjaelp_exit_rate")
    assert o.prices[0].amount == Value(figure="price.kontanthjaelp_30plus")
    assert page.current.outcomes[0].prices[0].stat == pytest.approx(0.2)  # after 52 weeks
    type_into(form.weeks, "0")
    assert page.current.outcomes[0].prices[0].stat == pytest.approx(
        (4 * 0.8 + 22 * 0.4 + 26 * 0.3) / 52
    )
    assert "state 38.1%" in form.split.value
    form.mode.value = "shares"
    form = page.outcome_forms[0]
    type_into(form.stat, "50")
    type_into(form.region, "10")
    assert page.current.outcomes[0].prices[0].shares() == pytest.approx((0.4, 0.1, 0.5))
    type_into(form.region, "60")
    assert "shares can add up to at most 100 %" in page.notice_box.value
    form.price.value = "price.kora_gain_per_year"
    assert page.current.outcomes[0].prices[0].kind == "wider"
    form = page.outcome_forms[0]
    form.price.value = "own"
    form = page.outcome_forms[0]
    type_into(form.amount, "250000")
    price = page.current.outcomes[0].prices[0]
    assert (price.amount, price.kommune) == (250_000, 1.0)


def test_outcomes_are_added_up_to_three_and_removed():
    page = own_case.OwnCasePage("lang=da")
    add = page.form_box.children[-1]
    add.click()
    page.form_box.children[-1].click()
    assert [o.key for o in page.current.outcomes] == ["outcome_1", "outcome_2", "outcome_3"]
    assert page.form_box.children[-1].disabled
    remove = [c for c in page.outcome_forms[1].widget.children if "own-remove" in c._dom_classes]
    remove[0].click()
    assert [o.key for o in page.current.outcomes] == ["outcome_1", "outcome_3"]


def test_the_answers_reuse_the_explorers_parts():
    page = own_case.OwnCasePage("case=hjoerring&lang=en")
    assert set(page.charts) == {"cumulative", "flows", "payers"}
    assert "Break-even effect" in page.kpi_box.value
    assert "Chance of paying back" in page.chance_box.value
    assert "Sources behind the numbers" in " ".join(test_texts.visible_text(page.widget))
    s = page.current
    assert page.result.break_even_effect == pytest.approx(model.break_even_effect(s))
    downloads = Downloads(page)
    for button in page.downloads.children[1:]:
        button.click()
    assert set(downloads.files) == {"own-table.csv", "own-workbook.xlsx", "own-case.yaml"}
    assert downloads.files["own-workbook.xlsx"][0] == workbook.MIME
    assert downloads.files["own-workbook.xlsx"][1][:2] == b"PK"
    chart = page.charts["cumulative"].export_spec
    assert "Hjørring" in json.dumps(chart, ensure_ascii=False)
    table = downloads.files["own-table.csv"][1].decode("utf-8-sig")
    assert table.startswith(f"# Social investments: {page.built.title['en']}")
    assert "Active cases: hjoerring.cases (2014, H)" in table


def test_the_draws_grade_catalogue_figures_by_their_source_and_own_numbers_as_assumptions():
    own = owncase.blank()
    levers = dict(own.levers, worker_cost=Value(figure="dk.worker_salary"), overhead=Value(0.25))
    own = replace(own, levers=levers)
    case = own.case()
    grades = {i.name: i.grade for i in uncertainty.uncertain_inputs(case.scenario, case)}
    assert grades["worker_cost"] == catalogue.figure("dk.worker_salary").grade == "H"
    assert grades["overhead"] == "A"
    assert grades["outcome_1.base_rate"] == catalogue.figure("dk.institution_entry_rate").grade
    without = {i.name: i.grade for i in uncertainty.uncertain_inputs(case.scenario)}
    assert set(without.values()) == {"A"}  # outside the catalogue, nothing is known
    graded = uncertainty.simulate(case.scenario, 2000, case=case).npv
    assumed = uncertainty.simulate(case.scenario, 2000).npv
    assert graded.std() < assumed.std()


@pytest.mark.parametrize("page_name", ["explorer", "who_pays", "how_sure"])
def test_an_own_case_link_on_another_page_says_where_it_opens(page_name):
    from explorer.ui import page as page_module

    module = __import__(f"explorer.ui.{page_name}", fromlist=["app"])
    code = owncase.encode(owncase.blank())
    widget = module.app(f"case=own&c={code}&lang=en")
    shown = " ".join(test_texts.visible_text(widget))
    assert "only the page 'Your own intervention' can show" in shown
    assert "'c' is not a known setting" not in shown
    assert page_module.PAGES.index("own_case") > 0


def test_a_case_too_large_for_a_link_offers_the_file():
    page = own_case.OwnCasePage("lang=en")
    noise = random.Random(1)
    page.summary_box.value = "".join(chr(noise.randrange(0x4E00, 0x9FFF)) for _ in range(1000))
    assert page.chrome.query == "case=own&lang=en"
    assert "too large for a link" in page.notice_box.value
    page.summary_box.value = "Short again."
    assert page.chrome.query.startswith("case=own&c=v1.")


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("query", ["", "case=herning", "case=aabenraa", "case=hjoerring"])
def test_the_page_shows_no_word_of_the_other_language_or_a_raw_key(lang, query):
    page = own_case.OwnCasePage(f"{query}&lang={lang}")
    text = " ".join(test_texts.visible_text(page.widget))
    text = test_texts.SOURCE.sub(" ", test_texts.QUOTED.sub(" ", text))
    for f in explorer.figures().values():  # the catalogue's own titles and notes
        for words in (f.source_title, f.note, f.note_da):
            if words:
                text = text.replace(words, " ")
    other = test_texts.ENGLISH if lang == "da" else test_texts.DANISH
    assert not sorted({m.group(0).lower() for m in other.finditer(text)}), text[:2000]
    assert not test_texts.RAW_KEY.findall(text)
    labels = [page.name_box.label, page.upload.label, page.outcome_forms[0].note.label]
    assert all(label and "own_case" not in label for label in labels)


def test_every_catalogue_price_has_a_name_in_both_languages():
    for key in PRICES:
        assert all(owncase.price_label(key).values())


# -- untrusted links and files -----------------------------------------------------------------
GOOD = owncase.blank().spec()


def body(**changes):
    return {**json.loads(json.dumps(GOOD)), **changes}


@pytest.mark.parametrize(
    "code, problem, words",
    [
        ("v2.eJwLAAA", "code_version", "unknown version ('v2')"),
        ("nonsense", "code_version", "unknown version"),
        ("v1.!!!", "code_broken", "damaged"),
        ("v1." + code_of(GOOD)[3:-10], "code_broken", "damaged"),
        ("v1." + "A" * 5000, "code_too_long", "longer than 4,000 characters"),
        (
            "v1." + base64.urlsafe_b64encode(zlib.compress(b" " * 1_000_000)).decode().rstrip("="),
            "code_too_large",
            "more than 64 kB unpacked",
        ),
        (code_of([1, 2, 3]), "invalid", "definition: must be a mapping"),
        (
            code_of(body(levers={"cases": "many"})),
            "invalid",
            "cases: must be a number or a figure key",
        ),
        (code_of(body(levers={"cases": True})), "invalid", "cases: must be a number"),
        (
            code_of({k: v for k, v in GOOD.items() if k != "outcomes"}),
            "invalid",
            "outcomes: needs at least one outcome",
        ),
        (code_of(body(name={"da": "x"})), "invalid", "name: needs a Danish ('da') and an English"),
        (code_of(body(levers={"cases": 10**40})), "huge_number", "c, own.levers.cases: the number"),
        (code_of(body(levers={"cases": 1e6})), "invalid", "cases must be from 1 to 100,000"),
        (
            "v1." + base64.urlsafe_b64encode(zlib.compress(b'{"levers": {"cases": NaN}}')).decode(),
            "huge_number",
            "NaN",
        ),
        (
            "v1." + base64.urlsafe_b64encode(zlib.compress(b'{"a": 1e999}')).decode(),
            "huge_number",
            "inf",
        ),
        (
            "v1." + base64.urlsafe_b64encode(zlib.compress(b'{"a": 1, "a": 2}')).decode(),
            "code_repeated",
            "names 'a' twice",
        ),
        (
            "v1." + base64.urlsafe_b64encode(zlib.compress(b"[" * 5000 + b"]" * 5000)).decode(),
            "code_broken",
            "damaged",
        ),
        (
            code_of(body(levers={"cases": "__import__('os').system('true')"})),
            "invalid",
            "must be a number or a figure key",
        ),
        (code_of(body(outcomes=[{"key": "a"}] * 50)), "invalid", "outcomes: at most 8"),
        (code_of(body(summary={"da": "x" * 3000, "en": "x"})), "long_text", "longer than 2,000"),
    ],
)
def test_hostile_codes_are_refused_with_a_clear_reason(code, problem, words):
    with pytest.raises(OwnCaseError) as raised:
        owncase.decode(code)
    error = raised.value
    if error.problem == "code_refused":  # the case inside the code is refused
        assert error.text("en").startswith("The case in the link was not opened: ")
        error = error.cause
    assert error.problem == problem
    assert words in error.text("en")
    danish = raised.value.text("da")
    assert danish != raised.value.text("en") and "{" not in danish
    assert "blev ikke åbnet" in danish
    page = own_case.OwnCasePage(f"case=own&c={code}&lang=da")
    assert page.current == own_case.OwnCasePage("lang=da").current
    shown = page.notice_box.value
    assert "blev ikke åbnet" in shown or "Adressen er for lang" in shown


def yaml_of(own: OwnCase) -> str:
    return owncase.to_yaml(own, "en")


PWNED = "explorer-own-case-pwned"


@pytest.mark.parametrize(
    "data, problem, words",
    [
        (
            b"own: !!python/object/apply:os.system ['touch /tmp/" + PWNED.encode() + b"']\n",
            "file",
            "tags (!name or !!type) are not allowed",
        ),
        (b"own: !!python/name:os.system\n", "file", "tags"),
        (b"x: " + b"a" * 5_000_000, "file_too_large", "larger than 100 kB"),
        (
            yaml_of(owncase.blank())
            .replace("  area: other\n", "  area: other\n  area: jobs\n")
            .encode(),
            "file",
            "line 12: the key 'area' appears twice (lines 11 and 12)",
        ),
        (
            "own:\n  name: {da: Århus, en: Aarhus}\n".encode("latin-1"),
            "file",
            "line 2: not UTF-8 text",
        ),
        (
            yaml_of(owncase.blank()).replace("cases: 100", "cases: many").encode(),
            "invalid",
            "case 'own', cases: must be a number or a figure key; got 'many'",
        ),
        (
            yaml_of(owncase.blank()).replace("cases: 100", "cases: " + "9" * 400).encode(),
            "huge_number",
            "hostile.yaml, own.levers.cases: the number 99999",
        ),
        (
            yaml_of(owncase.blank()).replace("cases: 100", "cases: 1e400").encode(),
            "huge_number",
            "hostile.yaml, own.levers.cases: the number inf",
        ),
        (
            yaml_of(owncase.blank()).replace("    effect: 0\n", "").encode(),
            "invalid",
            "outcome_1: needs effect",
        ),
        (
            yaml_of(owncase.blank()).replace("kind: entry", "kind: [entry]").encode(),
            "invalid",
            "outcome_1.kind: must be 'entry'",
        ),
        (
            b"a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
            b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n",
            "too_many",
            "too many parts",
        ),
        (b"[" * 50_000 + b"]" * 50_000, "too_deep", "nested too deeply"),
        (b"- " * 49_000, "too_deep", "nested too deeply"),
        (b"".join(b" " * i + b"k:\n" for i in range(440)), "too_deep", "nested too deeply"),
        (b"", "one_case", "must hold exactly one case"),
        (
            (
                yaml_of(owncase.blank()) + yaml_of(owncase.blank()).replace("own:", "other:")
            ).encode(),
            "one_case",
            "exactly one case",
        ),
        (b"own:\n  ? [a, b]\n  : 1\n", "file", "hostile.yaml: a list or mapping is used as a name"),
    ],
)
def test_hostile_files_are_refused_naming_the_line_or_field(data, problem, words, tmp_path):
    before = set(tmp_path.parent.iterdir())
    with pytest.raises(OwnCaseError) as raised:
        owncase.from_yaml(data, "hostile.yaml")
    assert raised.value.problem == problem, raised.value.text("en")
    assert words in raised.value.text("en"), raised.value.text("en")
    assert "{" not in raised.value.text("da")
    assert not (tmp_path.parent / PWNED).exists() and set(tmp_path.parent.iterdir()) == before
    page = own_case.OwnCasePage("case=herning&lang=da")
    kept = page.current
    upload(page, data, "../../hostile.yaml")
    assert page.current == kept
    assert "hostile.yaml" in page.notice_box.value
    assert "../" not in page.notice_box.value


def test_a_good_upload_replaces_the_form_and_clears_old_notices():
    page = own_case.OwnCasePage("case=own&c=v1.broken&lang=en")
    assert "damaged" in page.notice_box.value
    upload(page, owncase.to_yaml(owncase.from_preset("herning")).encode(), "herning.yaml")
    assert page.notice_box.value == "" and page.current.cases == 192


def test_the_case_reader_stays_the_authority(tmp_path):
    """A hand-written file in the presets' format opens, and every value keeps its source."""
    text = files.data_path("cases.yaml").read_text(encoding="utf-8")
    herning = text[text.index("herning:") : text.index("aabenraa:")]
    own = owncase.from_yaml(herning.encode("utf-8"), "herning.yaml")
    assert own.outcomes[0].prices[0].payers["stat"] == owncase.Share(
        "high_cost_refusion", Value(figure="price.institution_placement")
    )
    same_kpis(own.scenario, catalogue.load_case("herning"))
