"""Your own intervention, in plain Python (no browser): the form, its link, its file, and
untrusted links and files.

Round trips keep the answers (form -> link, form -> YAML -> load_case, preset -> form -> YAML);
any case the validation accepts stays within the model's bounds; bad and hostile links and files
get a clear refusal naming the field or line, in the page's language, and nothing runs.
"""

import base64
import html
import json
import math
import random
import string
import zlib
from dataclasses import replace

import pytest
import test_properties
import test_texts
import yaml
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from pages import type_into

import explorer
from explorer import catalogue, model
from explorer.__main__ import main as command_line
from explorer.analysis import external, uncertainty
from explorer.catalogue import caseedits, casefile, owncase, reader
from explorer.catalogue.owncase import OwnCase, OwnCaseError, Value
from explorer.data import files, i18n
from explorer.model import fields
from explorer.outputs import workbook
from explorer.ui.content import services
from explorer.ui.live import case_form
from explorer.ui.pages import how_it_works, own_case

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


class Downloads:
    """The files a page hands to the browser."""

    def __init__(self, page):
        self.files: dict[str, tuple[str, bytes]] = {}
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
    _, data = page.files["yaml"].make()
    path = tmp_path / f"{preset}.yaml"
    path.write_bytes(data)
    for scenario in (
        explorer.load_case(path),
        casefile.from_yaml(data).scenario,
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
    linked = own_case.links.parse(query, facts=True).scenario
    assert model.evaluate(s).npv == pytest.approx(model.evaluate(linked).npv, rel=1e-9)
    assert "For comparison: Aabenraa" in page.compare_box.value


def test_an_old_v1_link_keeps_opening():
    own = casefile.decode(V1_CODE)
    assert own.title == {"da": "Tidlig indsats", "en": "Early help"}
    assert own.lever("cases") == Value(250.0)
    assert own.outcomes[0].values["effect"] == Value(0.3, note="Pilot 2023")
    page = own_case.OwnCasePage(f"case=own&c={V1_CODE}&lang=da")
    assert page.current.cases == 250 and page.notice_box.value == ""


def test_encode_is_compact_and_decode_inverts_it():
    for own in (owncase.blank(), *map(owncase.from_preset, catalogue.cases())):
        code = casefile.encode(own)
        assert code.startswith("v1.") and len(code) < casefile.MAX_LINK
        assert set(code[3:]) <= set(string.ascii_letters + string.digits + "-_")
        assert casefile.decode(code) == own


def test_the_yaml_is_the_presets_format_and_reads_back_exactly():
    text = casefile.to_yaml(owncase.from_preset("hjoerring"), "en")
    assert text.startswith("# ") and "explorer.load_case" in text
    assert "refusion_from_week: hjoerring.weeks_on_support" in text
    assert "kommune: rest" in text
    tricky = replace(
        owncase.blank(),
        title={"da": "yes: 1e5 # no", "en": "null"},
        summary={"da": "«on»\nnew line", "en": "'quoted' \"both\""},
    )
    back = casefile.from_yaml(casefile.to_yaml(tricky).encode("utf-8"))
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
    n = draw(st.integers(1, case_form.MAX_OUTCOMES))
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
    before = page.form_levers["caseload_before"]
    type_into(before, "10")
    assert before.error == "Sagstal før skal være fra 20 til 200 sager pr. sagsbehandler; fik 10"
    assert page.current.caseload_before == 40 and before.value == 40
    type_into(before, "40")
    assert before.error == "" and page.notice_box.value == ""
    page.name_box.value = "  "
    assert "Giv indsatsen et navn." in page.notice_box.value
    page.name_box.value = "Min"
    form.kind.value = "exit"
    form = page.outcome_forms[0]
    type_into(form.levers["effect"], "4,5")  # more movers than stayers: the narrowed range says
    assert form.levers["effect"].error == (
        "Effekt ved referenceændringen skal være fra 0 til 2,9 gange; fik 4,5"
    )
    assert page.current.outcomes[0].effect < 2.9
    english = own_case.OwnCasePage("lang=en")
    type_into(english.outcome_forms[0].count, "abc")
    assert english.outcome_forms[0].count.error.startswith(
        "Number a year without the change must be a number"
    )


def test_an_outcome_that_breaks_its_kind_s_relation_is_refused_saying_why():
    exit_ = caseedits.with_kind(owncase.blank().outcomes[0], "exit")
    broken = replace(exit_, values={**exit_.values, "effect": Value(4.0)})
    with pytest.raises(OwnCaseError) as raised:
        replace(owncase.blank(), outcomes=(broken,)).case()
    assert raised.value.problem == "outcome_relation"
    english = raised.value.text("en")
    assert "Off the benefit" in english and english.endswith(
        ": Effect at the reference change must be from 0 to 2.9 times: otherwise the "
        "intervention moves more people than stay on the benefit; got 4."
    )
    assert "ellers flytter indsatsen flere, end der er på ydelsen" in raised.value.text("da")
    back = caseedits.with_kind(
        replace(exit_, values={**exit_.values, "effect": Value(2.5)}), "entry"
    )
    assert back.values["effect"] == Value(1.0)  # an entry's effect is at most 1


def test_kind_price_and_payers_follow_the_refusion_rules():
    page = own_case.OwnCasePage("lang=en")
    form = page.outcome_forms[0]
    placement = page.current.outcomes[0].prices[0]
    assert placement.stat == pytest.approx(
        explorer.model.refusion.high_cost_state_share(placement.amount, explorer.figures())
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
    assert "shares can add up to at most 100%" in page.notice_box.value
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
    assert set(downloads.files) == {
        "own-table.csv",
        "own-workbook.xlsx",
        "own-numbers.json",
        "own-case.yaml",
    }
    assert downloads.files["own-workbook.xlsx"][0] == workbook.MIME
    assert downloads.files["own-workbook.xlsx"][1][:2] == b"PK"
    chart = page.charts["cumulative"].export_spec
    assert "Hjørring" in json.dumps(chart, ensure_ascii=False)
    table = downloads.files["own-table.csv"][1].decode("utf-8-sig")
    assert table.startswith("Year,") and table.splitlines()[0].endswith(",About this table")
    assert f"Social investments: {page.built.title['en']}" in table.splitlines()[1]
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
    from explorer.ui.live import page as page_module

    module = __import__(f"explorer.ui.pages.{page_name}", fromlist=["app"])
    code = casefile.encode(owncase.blank())
    widget = module.app(f"case=own&c={code}&lang=en")
    shown = " ".join(test_texts.visible_text(widget))
    assert "only the page “Your own intervention” can show" in shown
    assert "“c” is not a known setting" not in shown
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
        ("v2.eJwLAAA", "code_version", "unknown version (“v2”)"),
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
            "names “a” twice",
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
        casefile.decode(code)
    error = raised.value
    if error.problem == "code_refused":  # the case inside the code is refused
        assert error.text("en").startswith("The case in the link was not opened: ")
        assert error.cause is not None
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
    return casefile.to_yaml(own, "en")


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
        casefile.from_yaml(data, "hostile.yaml")
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
    upload(page, casefile.to_yaml(owncase.from_preset("herning")).encode(), "herning.yaml")
    assert page.notice_box.value == "" and page.current.cases == 192


def test_the_case_reader_stays_the_authority(tmp_path):
    """A hand-written file in the presets' format opens, and every value keeps its source."""
    text = files.data_path("cases.yaml").read_text(encoding="utf-8")
    herning = text[text.index("herning:") : text.index("aabenraa:")]
    own = casefile.from_yaml(herning.encode("utf-8"), "herning.yaml")
    assert own.outcomes[0].prices[0].payers["stat"] == owncase.Share(
        "high_cost_refusion", Value(figure="price.institution_placement")
    )
    same_kpis(own.scenario, catalogue.load_case("herning"))


# -- a field takes only catalogue figures of its own kind and unit (issue 18, section 5) ----------
FIGURES = sorted(catalogue.figures())


def fits(place, key) -> bool:
    """What a field's unit (fields.yaml) and an outcome's kind allow, read from the figure's unit
    in figures.csv; written here apart from the rule in owncase, as a reader would check it."""
    f = catalogue.figure(key)
    unit = f.unit
    if place[0] == "outcome":
        _, kind, name = place
        if name == "effect":  # measured at a caseload change, as a change of its kind
            word = "relative fall in" if kind == "entry" else "relative rise in exits"
            return unit.startswith(word) and "→" in unit
        if name == "base_rate":
            return unit.endswith(("a year", "per year")) and "relative" not in unit
        if name == "duration_years":
            return unit == "years"
        return unit.startswith("share") and 0 <= f.value <= 1
    if place == ("price", "amount"):
        return unit.startswith("DKK per") and ("person" in unit or "child" in unit)
    if place == ("price", "weeks"):
        return "weeks" in unit
    if place[0] == "price":  # a payer's share
        return "share" in unit and 0 <= f.value <= 1
    field = explorer.model.fields.field("scenario", place[1])
    if place[1] == "trend":  # a yearly fall of a costly state, not an effect at a change
        return unit.startswith("relative fall in") and "→" not in unit and 0 <= f.value <= 0.5
    if field.unit.format == "money":
        return unit.startswith("DKK")
    if field.unit.key in ("caseload", "years", "year"):
        return unit == field.unit.en
    if field.unit.key == "cases":
        return not unit.startswith(("DKK", "share", "relative")) and f.value >= 1
    if field.unit.format == "share":
        return ("share" in unit or "rate" in unit) and 0 <= f.value <= 1
    return not unit.startswith(("DKK", "share", "relative", "years"))


SCENARIO_PLACES = [("scenario", n) for n in ("start_year", *owncase.STAFFING, *owncase.REFERENCE)]
OUTCOME_PLACES = [
    ("outcome", kind, name)
    for kind in ("entry", "exit")
    for name in ("base_rate", "effect", "deadweight", "duration_years", "other_benefit_share")
    if name != "other_benefit_share" or kind == "exit"
]
PRICE_PLACES = [("price", "amount"), ("price", "stat"), ("price", "region"), ("price", "weeks")]


def with_figure(place, key) -> OwnCase:
    """The empty form (its outcome of the place's kind) with one catalogue figure in one place."""
    own = owncase.blank()
    if place[0] == "scenario":
        return replace(own, levers={**own.levers, place[1]: Value(figure=key)})
    o = owncase.new_outcome(place[1] if place[0] == "outcome" else "exit", "outcome_1")
    if place[0] == "outcome":
        o = replace(o, values={**o.values, place[2]: Value(figure=key)})
    else:
        price = o.prices[0]
        amount = Value(figure=key) if place[1] == "amount" else price.amount
        payers = {
            "amount": price.payers,
            "stat": owncase.payers_for("shares", amount, stat=Value(figure=key)),
            "region": owncase.payers_for("shares", amount, region=Value(figure=key)),
            "weeks": owncase.payers_for("benefit", amount, Value(figure=key)),
        }[place[1]]
        o = replace(o, prices=(replace(price, amount=amount, payers=payers),))
    return replace(own, outcomes=(o,))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SCENARIO_PLACES + OUTCOME_PLACES + PRICE_PLACES), st.sampled_from(FIGURES))
def test_no_field_takes_a_catalogue_figure_of_another_kind_or_unit(place, key):
    own = with_figure(place, key)
    try:
        opened = casefile.decode(casefile.encode(own))  # as a link would carry it
    except OwnCaseError as raised:
        error = raised.cause or raised
        if error.problem in ("figure_kind", "figure_none"):  # said so, naming the field
            assert key in error.text("en") and key in error.text("da")
            name = place[-1] if place[0] != "price" or place[1] != "weeks" else None
            if name and place[0] != "price":
                group = "scenario" if place[0] == "scenario" else "outcome"
                label = explorer.model.fields.field(group, name).label
                assert label["en"] in error.text("en") and label["da"] in error.text("da")
        return
    assert fits(place, key), (place, key, catalogue.figure(key).unit)
    assert opened == own and own.case()


def test_the_audits_link_with_a_refusion_share_as_effect_is_refused_naming_the_field():
    own = owncase.blank()
    o = own.outcomes[0]
    values = {
        **o.values,
        "effect": Value(figure="refusion.weeks_1_4"),
        "base_rate": Value(figure="dk.family_care_share_2018"),
    }
    code = casefile.encode(replace(own, outcomes=(replace(o, values=values),)))
    page = own_case.OwnCasePage(f"case=own&c={code}&lang=en")
    assert page.current == own_case.OwnCasePage("lang=en").current
    notice = html.unescape(page.notice_box.value)
    assert "“Placements avoided”, Yearly rate without the change" in notice
    assert "dk.family_care_share_2018" in notice
    effect_only = replace(o, values={**o.values, "effect": Value(figure="refusion.weeks_1_4")})
    text = yaml_of(replace(own, outcomes=(effect_only,))).encode()
    with pytest.raises(OwnCaseError) as raised:
        casefile.from_yaml(text, "audit.yaml")
    assert raised.value.problem == "figure_kind"
    assert "»Undgåede anbringelser«, Effekt ved referenceændringen" in raised.value.text("da")
    for key in ("dk.discount.fm2021", "dk.kontanthjaelp_exit_rate"):  # another kind's rate
        with pytest.raises(OwnCaseError):
            with_figure(("outcome", "entry", "base_rate"), key).case()


def test_a_new_kind_keeps_no_figure_of_the_old_kind():
    herning = owncase.from_preset("herning")
    exit = caseedits.with_kind(herning.outcomes[0], "exit")
    assert owncase.is_evidence(exit.values["effect"])  # filled in from the evidence on the page
    assert caseedits.with_kind(exit, "entry").values["effect"] == Value(0.0)  # none for prevention
    assert exit.values["base_rate"] == Value(figure="dk.kontanthjaelp_exit_rate")
    assert exit.values["deadweight"] == Value(figure="herning.deadweight")  # a share of either
    replace(herning, outcomes=(exit,)).case()


def test_the_price_list_offers_only_prices():
    page = own_case.OwnCasePage("lang=en")
    keys = [k for k, _ in page.outcome_forms[0].price.options if k != case_form.OWN_PRICE]
    assert keys and all(fits(("price", "amount"), k) for k in keys)


# -- what the form shows is what the model computes --------------------------------------------
def applied_share(s) -> float:
    """The share of the effects entered the model applies in a year with every caseworker in place,
    read from the model's yearly table."""
    row = model.evaluate(s).yearly.iloc[1]
    return (1 - s.services_share) * row["dose"] + s.services_share * row["services_dose"]


CASELOADS = st.integers(2, 400).map(lambda n: n / 2)


@settings(max_examples=40, deadline=None)
@given(CASELOADS, CASELOADS)
def test_an_empty_forms_effect_is_the_effect_of_the_readers_own_change(a, b):
    before, after = max(a, b), min(a, b)
    assume(before < 200 and after < before)
    page = own_case.OwnCasePage("lang=en")
    type_into(page.outcome_forms[0].levers["effect"], "0.3")
    order = [("caseload_before", before), ("caseload_after", after)]
    if before <= 20:  # before can fall only to after (20), and at 20 is no change: after first
        order.reverse()
    for name, value in order:
        type_into(page.form_levers[name], f"{value}")
    s = page.current
    assert (s.caseload_before, s.caseload_after) == (before, after)
    assert (s.reference_caseload_before, s.reference_caseload_after) == (before, after)
    assert applied_share(s) == pytest.approx(1.0)
    assert "applies 100% of the effects entered" in page.applied.value
    for name in ("caseload_before", "caseload_after", *owncase.REFERENCE):
        assert page.form_levers[name].value == getattr(s, name)


def test_a_45_to_30_case_is_not_scaled_by_a_hidden_reference():
    page = own_case.OwnCasePage("lang=en")
    type_into(page.outcome_forms[0].levers["effect"], "0.5")
    type_into(page.form_levers["caseload_before"], "45")
    type_into(page.form_levers["caseload_after"], "30")
    s = page.current
    assert (s.reference_caseload_before, s.reference_caseload_after) == (45, 30)
    assert model.evaluate(s).yearly["dose"].iloc[1] == pytest.approx(1.0)
    # a reference the reader sets is kept, shown and applied
    type_into(page.form_levers["reference_caseload_before"], "40")
    type_into(page.form_levers["reference_caseload_after"], "20")
    s = page.current
    assert (s.caseload_before, s.caseload_after) == (45, 30)
    assert applied_share(s) == pytest.approx(math.log(1.5) / math.log(2))
    assert "applies 58% of the effects entered" in page.applied.value
    assert "45 → 30 against 40 → 20" in html.unescape(page.applied.value)
    type_into(page.form_levers["caseload_after"], "25")  # no longer follows the own caseload
    assert page.current.reference_caseload_after == 20
    # a preset's effect stays where it was measured
    herning = own_case.OwnCasePage("case=herning&lang=en")
    type_into(herning.form_levers["caseload_after"], "36")
    s = herning.current
    assert (s.reference_caseload_before, s.reference_caseload_after) == (48, 24)
    assert applied_share(s) == pytest.approx(math.log(48 / 36) / math.log(2))


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["caseload_before", "caseload_after"]), CASELOADS)
def test_a_caseload_after_above_before_is_refused_naming_the_field_and_range(name, value):
    page = own_case.OwnCasePage("lang=en")
    kept = page.current
    lever = page.form_levers[name]
    type_into(lever, f"{value}")
    s = page.current
    if (name == "caseload_before" and value < 20) or (name == "caseload_after" and value > 40):
        assert s == kept and lever.value == getattr(kept, name)
        bounds = "from 20 to 200" if name == "caseload_before" else "from 1 to 40"
        label = fields.field("scenario", name).label["en"]
        assert lever.error.startswith(f"{label} must be {bounds} cases per caseworker")
    else:
        assert getattr(s, name) == value and lever.error == ""
        assert s.caseload_after <= s.caseload_before


def test_a_link_with_caseload_10_before_and_20_after_is_refused_with_the_range():
    own = owncase.blank()
    own = replace(own, levers={**own.levers, "caseload_before": Value(10.0)})
    with pytest.raises(OwnCaseError) as raised:
        own.case()
    assert raised.value.text("en").startswith(
        "Caseload after must be from 1 to 10 cases per caseworker; got 20"
    )
    assert raised.value.text("da").startswith(
        "Sagstal efter skal være fra 1 til 10 sager pr. sagsbehandler; fik 20"
    )


def test_a_form_that_cannot_be_computed_shows_no_old_answers():
    page = own_case.OwnCasePage("lang=en")
    page.name_box.value = " "
    assert page.answers.layout.display == "none"
    assert "The answers show again when the form can be computed." in page.notice_box.value
    page.name_box.value = "Mine"
    assert page.answers.layout.display is None and page.notice_box.value == ""


@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_emptied_field_takes_its_default_or_says_it_needs_a_number(lang):
    page = own_case.OwnCasePage(f"lang={lang}")
    form = page.outcome_forms[0]
    fields_ = {**page.form_levers, "count": form.count, **form.levers, "amount": form.amount}
    form.mode.value = "shares"
    form = page.outcome_forms[0]
    fields_.update(region=form.region, stat=form.stat)
    for name, lever in fields_.items():
        kept = page.current
        type_into(lever, "")
        if lever.default:
            assert lever.error == "" and lever.emptied, name
        else:
            assert page.current == kept, name
            label = lever.field.label[lang]
            assert lever.error.startswith(label), name
            assert ("catalogue figure" if lang == "en" else "intet tal i kataloget") in lever.error
            assert lever.field.show(lever.min, lang) in lever.error
    cases = page.form_levers["cases"]
    type_into(cases, "")
    assert cases.error == (
        "Active cases has no catalogue figure to fall back on: enter a number from 1 to "
        "100,000 cases."
        if lang == "en"
        else "Aktive sager har intet tal i kataloget at falde tilbage på: skriv et tal fra 1 til "
        "100.000 sager."
    )


def test_an_emptied_reference_takes_the_readers_own_figure():
    page = own_case.OwnCasePage("lang=en")
    type_into(page.form_levers["caseload_after"], "25")
    type_into(page.form_levers["reference_caseload_after"], "10")
    type_into(page.form_levers["reference_caseload_after"], "")
    assert page.current.reference_caseload_after == 25


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(owncase.PAYER_MODES),
    st.integers(0, 520),
    st.integers(0, 60),
    st.integers(0, 40),
    st.sampled_from([k for k in PRICES if k != "price.kora_gain_per_year"]),
)
def test_an_own_amount_keeps_who_pays(mode, weeks, stat, region, figure):
    page = own_case.OwnCasePage("lang=en")
    form = page.outcome_forms[0]
    form.price.value = figure
    form = page.outcome_forms[0]
    form.mode.value = mode
    form = page.outcome_forms[0]
    if mode == "benefit":
        type_into(form.weeks, str(weeks))
    if mode == "shares":
        type_into(form.stat, str(stat))
        type_into(form.region, str(region))
    before = page.current.outcomes[0].prices[0]
    form.price.value = case_form.OWN_PRICE
    form = page.outcome_forms[0]
    after = page.current.outcomes[0].prices[0]
    assert after.amount == pytest.approx(before.amount)
    assert after.shares() == pytest.approx(before.shares())
    assert form.mode.value == mode and f"state {i18n_percent(before.stat)}" in form.split.value


def i18n_percent(share):
    return explorer.data.i18n.percent(share, "en", 1)


def test_an_empty_form_claims_no_documented_effect():
    page = own_case.OwnCasePage("lang=en")
    assert "3 times the documented effect" not in page.kpi_box.value
    assert "No effect entered" in page.kpi_box.value
    type_into(page.outcome_forms[0].levers["effect"], "0.5")
    assert "No effect entered" not in page.kpi_box.value
    assert "Break-even effect" in page.kpi_box.value


# -- what produced the effect: the services' part follows their cost ------------------------------
@settings(max_examples=30, deadline=None)
@given(st.integers(1, 100_000_000), st.integers(1, 4000))
def test_an_own_case_with_services_sets_their_reference_and_share(other, cases):
    page = own_case.OwnCasePage("lang=en")
    type_into(page.form_levers["cases"], str(cases))
    type_into(page.form_levers["other_cost_per_year"], str(other))
    s = page.current
    staff = s.extra_workers * s.cost_per_worker
    assert s.reference_other_cost == other
    assert s.services_share == pytest.approx(other / (staff + other), abs=1e-4)
    share = page.form_levers["services_share"]
    assert share.info_title.startswith("Assumption: other costs ÷")
    assert applied_share(s) == pytest.approx(1.0)
    # the reader's own share is kept when the costs move; emptied, the rule is back
    type_into(share, "10")
    type_into(page.form_levers["worker_cost"], "600000")
    assert page.current.services_share == pytest.approx(0.1)
    type_into(share, "")
    s = page.current
    assert s.services_share == pytest.approx(
        other / (s.extra_workers * s.cost_per_worker + other), abs=1e-4
    )


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_services_sentence_is_one_sentence_in_one_money_format_on_both_pages(lang):
    own = own_case.OwnCasePage(f"case=aabenraa&lang={lang}")
    how = how_it_works.HowItWorks(f"case=aabenraa&lang={lang}")
    s = own.current
    sentence = services.sentence(s, lang)
    money = explorer.data.i18n.millions(s.other_cost_per_year, lang)
    assert money in sentence and ("mio. kr." in money or "DKK" in money)
    assert sentence in html.unescape(own.applied.value)
    assert sentence in html.unescape(how.chain.value)
    assert services.sentence(s.replace(services_share=0), lang) == ""


def test_the_form_asks_for_the_fields_the_case_model_lists():
    page = own_case.OwnCasePage("lang=en")
    assert list(page.form_levers) == ["start_year", *owncase.STAFFING, *owncase.REFERENCE]
    assert set(owncase.REFERENCE) == {*reader.REFERENCES, "trend"}
    assert {own: ref for ref, own in reader.REFERENCES.items()} == caseedits.FOLLOWS
    assert tuple(n for n in reader.OUTCOME_VALUES if n != "base_rate") == case_form.OUTCOME_LEVERS


@pytest.mark.parametrize("lang, shown", [("da", "259,1"), ("en", "259.1")])
def test_people_a_year_show_as_the_kpi_cards_show_people(lang, shown):
    page = own_case.OwnCasePage(f"case=aabenraa&lang={lang}")
    count = page.outcome_forms[0].count
    assert count.value == pytest.approx(259.056)  # 25.7 % of 1,008
    assert count.display == explorer.data.i18n.people(count.value, lang) == shown
    applied = html.unescape(page.applied.value)
    assert "55 → 30" in applied and "55,0" not in applied and "55.0" not in applied


@pytest.mark.parametrize("preset", ["aabenraa", "hjoerring"])
def test_cutting_a_presets_services_in_the_form_cuts_their_part_of_the_effect(preset):
    page = own_case.OwnCasePage(f"case={preset}&lang=en")
    s = page.current
    assert applied_share(s) == pytest.approx(1.0) and s.services_share > 0
    type_into(page.form_levers["other_cost_per_year"], "0")
    s = page.current
    assert s.reference_other_cost == catalogue.load_case(preset).reference_other_cost
    assert applied_share(s) == pytest.approx(1 - s.services_share)
    shown = html.unescape(page.applied.value)
    assert f"applies {explorer.data.i18n.percent(1 - s.services_share, 'en')}" in shown
    assert (
        model.evaluate(s).total_savings < model.evaluate(catalogue.load_case(preset)).total_savings
    )


def test_a_catalogue_effect_is_used_only_at_the_change_it_was_measured_at():
    herning = own_case.OwnCasePage("case=herning&lang=en")
    type_into(herning.form_levers["reference_caseload_after"], "20")
    notice = html.unescape(herning.notice_box.value)
    assert "herning.institution_effect was measured at caseloads 48 → 24" in notice
    assert herning.answers.layout.display == "none"
    own = owncase.blank()
    o = own.outcomes[0]
    o = replace(o, values={**o.values, "effect": Value(figure="herning.institution_effect")})
    with pytest.raises(OwnCaseError) as raised:
        casefile.decode(casefile.encode(replace(own, outcomes=(o,))))
    cause = raised.value.cause
    assert cause is not None and cause.problem == "effect_reference"
    levers = {**own.levers, "reference_caseload_before": Value(figure="herning.caseload_before")}
    levers["reference_caseload_after"] = Value(figure="herning.caseload_after")
    replace(own, levers=levers, outcomes=(o,)).case()  # at its own reference it is used


# -- one reading path: load_case, the command line, an upload and a link agree (issue 25) ---------
def written(place, valid, wild):
    """A value as a case file may write it: mostly a number in range (``valid``), else a number
    out of range (``wild``), a catalogue figure of the place's kind, or any catalogue figure."""
    other = st.one_of(wild, st.sampled_from(FIGURES))
    kind = owncase.figures_for(place)
    if kind:
        other = st.one_of(other, st.sampled_from(kind))
    return st.integers(0, 9).flatmap(lambda i: valid if i < 7 else other)


@st.composite
def case_files(draw):
    """A hand-written case file's one case: plausible values, wrong-kind figures, references at
    other changes and numbers out of range, as a reader might write them."""
    before = draw(written(("scenario", "caseload_before"), st.integers(20, 120), st.just(10)))
    after = st.integers(1, 20) if isinstance(before, str) else st.integers(1, before)
    levers = {
        "cases": draw(written(("scenario", "cases"), st.integers(1, 5000), st.just(0))),
        "caseload_before": before,
        "caseload_after": draw(written(("scenario", "caseload_after"), after, st.just(300))),
    }
    for name in ("reference_caseload_before", "reference_caseload_after", "other_cost_per_year"):
        if draw(st.booleans()):
            levers[name] = draw(
                written(("scenario", name), st.integers(1, 100), st.integers(-10, 0))
            )
    kind = draw(st.sampled_from(["entry", "exit"]))
    payers = draw(
        st.sampled_from([{"kommune": 1}, {"stat": {"refusion_from_week": 30}, "kommune": "rest"}])
    )
    outcome = {
        "key": "jobs",
        "kind": kind,
        "label": {"da": "Job", "en": "Jobs"},
        "base_rate": draw(
            written(("outcome", kind, "base_rate"), st.floats(0, 0.9), st.floats(1, 2))
        ),
        "effect": draw(written(("outcome", kind, "effect"), st.floats(0, 1), st.floats(1, 6))),
        "prices": [
            {
                "label": {"da": "Pris", "en": "Price"},
                "amount": draw(written(("price", "amount"), st.integers(0, 600_000), st.just(9e6))),
                "payers": payers,
            }
        ],
    }
    if draw(st.booleans()):
        outcome["duration_years"] = draw(
            written(("outcome", kind, "duration_years"), st.floats(1, 30), st.floats(31, 99))
        )
    return {
        "name": {"da": "Min sag", "en": "My case"},
        "summary": {"da": "Et eksempel.", "en": "An example."},
        "levers": levers,
        "outcomes": [outcome],
    }


def refusal(read) -> OwnCaseError | None:
    """None if ``read()`` accepts the case, else its refusal."""
    try:
        read()
    except OwnCaseError as error:
        return error
    return None


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case_files())
def test_a_case_file_load_case_accepts_the_page_accepts_and_the_other_way_round(
    tmp_path_factory, body
):
    """load_case, the command line, the page's upload and its link code read a case file on one
    path: each accepts it exactly when the others do, and refuses it in the same words."""
    data = yaml.safe_dump({"mine": body}, allow_unicode=True, sort_keys=False).encode("utf-8")
    path = tmp_path_factory.mktemp("case") / "mine.yaml"
    path.write_bytes(data)
    by_api = refusal(lambda: explorer.load_case(path))
    page = own_case.OwnCasePage("lang=en")
    upload(page, data, "mine.yaml")
    by_upload = html.unescape(page.notice_box.value) if page.notices else None
    by_link = refusal(lambda: casefile.decode(code_of(body)))
    assert (by_api is None) == (by_upload is None) == (by_link is None), (by_api, by_upload)
    event("accepted" if by_api is None else f"refused: {by_api.problem}")
    if by_api is None:  # the page opened the case and computes what load_case computes
        assert page.answers.layout.display is None and not page.errors
        same_kpis(page.current, explorer.load_case(path))
        assert command_line(["evaluate", str(path)]) == 0
    else:
        assert by_upload is not None and by_link is not None and by_link.cause is not None
        assert by_api.text("en") in by_upload
        # the link names no file and its case 'own'; the rest of the refusal is the same
        assert by_link.cause.problem == by_api.problem
        if by_api.problem != "invalid":
            assert by_link.cause.text("en") == by_api.text("en")
        assert command_line(["evaluate", str(path)]) == 2


# -- an exit effect not entered is the evidence's (issue 25, section 6) ----------------------------
def evidence_words(lang):
    """How the form says an effect is the evidence-based one."""
    return explorer.data.i18n.t("external.evidence", lang, sources="")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CASELOADS, CASELOADS, st.integers(1, 99), st.sampled_from(["da", "en"]))
def test_an_exit_outcome_with_no_effect_entered_takes_the_evidence_based_effect(a, b, count, lang):
    before, after = max(a, b), min(a, b)
    assume(20 < before < 200 and after < before)
    page = own_case.OwnCasePage(f"lang={lang}")
    page.outcome_forms[0].kind.value = "exit"
    for name, value in [("caseload_before", before), ("caseload_after", after)]:
        type_into(page.form_levers[name], f"{value}".replace(".", "," if lang == "da" else "."))
    form = page.outcome_forms[0]
    type_into(form.count, str(count))
    s = page.current
    o = s.outcomes[0]
    assert (s.caseload_before, s.caseload_after, o.base_rate) == (before, after, count / 100)
    central, low, high = external.evidence().effect(before, after, o.base_rate)
    assert o.effect == pytest.approx(central, rel=1e-12) and low <= o.effect <= high
    # the form says where it is from and how far it may be off, in the page's language
    shown = f"{i18n.number(low, lang, 2)} "
    for text in (form.note.placeholder, form.levers["effect"].info_title):
        assert text.startswith(evidence_words(lang)) and shown in text
        assert external.evidence().label(lang) in text
    assert form.note.value == "" and form.no_effect.value == ""
    # the answers use it
    assert o.effect > 0 and model.evaluate(s).total_savings > 0
    assert i18n.t("break_even.no_effect", lang) not in page.kpi_box.value


def test_the_evidence_effect_travels_in_the_file_and_link_and_gives_way_to_the_readers(tmp_path):
    page = own_case.OwnCasePage("lang=en")
    page.outcome_forms[0].kind.value = "exit"
    s = page.current
    evidence = s.outcomes[0].effect
    assert evidence > 0
    path = tmp_path / "mine.yaml"
    path.write_bytes(page.files["yaml"].make()[1])
    case = catalogue.read_case_file(path)
    assert case.scenario.outcomes[0].effect == evidence
    assert case.notes["outcome_1.effect"].startswith(evidence_words("en"))
    assert own_case.OwnCasePage(page.chrome.query).current == s
    form = page.outcome_forms[0]
    type_into(form.levers["effect"], "0.5")  # the reader's own figure replaces it
    assert page.current.outcomes[0].effect == 0.5
    assert form.levers["effect"].info_title == "Your own figure"
    form.note.value = "Our pilot"
    type_into(form.levers["effect"], "")  # emptied, the evidence is back, without that note
    assert page.current.outcomes[0].effect == evidence and form.note.value == ""
    assert form.levers["effect"].info_title.startswith(evidence_words("en"))
    form.note.value = "Checked against our own pilot"  # a note makes the figure the reader's
    assert page.own.outcomes[0].values["effect"] == Value(evidence, note=form.note.value)


@pytest.mark.parametrize("lang", ["da", "en"])
def test_an_entry_outcome_with_no_effect_still_asks_for_the_readers_figure(lang):
    page = own_case.OwnCasePage(f"lang={lang}")
    form = page.outcome_forms[0]
    assert form.spec.kind == "entry" and page.current.outcomes[0].effect == 0
    asks = case_form.t("outcome.no_evidence", lang)
    assert html.escape(asks) in form.no_effect.value
    assert ("no evidence" if lang == "en" else "ingen evidens") in asks
    assert not form.note.placeholder.startswith(evidence_words(lang))
    type_into(form.levers["effect"], "")
    assert form.levers["effect"].error.startswith(form.levers["effect"].field.label[lang])
    assert ("no evidence" if lang == "en" else "ingen evidens") in form.levers["effect"].error
    assert page.current.outcomes[0].effect == 0
    # an exit outcome with the evidence's effect, made a prevention outcome, asks again
    form.kind.value = "exit"
    assert page.current.outcomes[0].effect > 0
    page.outcome_forms[0].kind.value = "entry"
    assert page.current.outcomes[0].effect == 0
    assert html.escape(asks) in page.outcome_forms[0].no_effect.value


@pytest.mark.parametrize("lang", ["da", "en"])
def test_an_empty_form_says_why_no_one_gets_savings_instead_of_empty_axes(lang):
    """Regression: the empty form's 'Who gets the savings?' chart showed only axes and a legend.
    With no effect entered the page says so in its place; a case with an effect draws it."""
    page = own_case.OwnCasePage(f"lang={lang}")
    assert "payers" not in page.chart_inputs and page.no_savings in page.chart_box.children
    said = html.unescape(page.no_savings.value)
    assert i18n.t("own_case.no_savings.no_effect", lang) in said
    assert i18n.t("chart.payers_title", lang) in said
    filled = own_case.OwnCasePage(f"case=hjoerring&lang={lang}")
    assert "payers" in filled.chart_inputs and filled.no_savings not in filled.chart_box.children


@pytest.mark.parametrize("lang", ["da", "en"])
def test_an_own_cases_break_even_is_a_share_of_the_effect_used(lang):
    """Regression: an own case's break-even card said "21 % of the documented effect" of an
    effect the reader typed; a preset's says documented."""
    from explorer.outputs import key_figures

    herning = explorer.load_case("herning")
    own = herning.replace(case="own")
    _, preset_line = key_figures.card(explorer.evaluate(herning), "break_even_effect", lang)
    _, own_line = key_figures.card(explorer.evaluate(own), "break_even_effect", lang)
    assert preset_line == i18n.t("kpi_sub.break_even", lang)
    assert own_line == i18n.t("kpi_sub.break_even_own", lang)
