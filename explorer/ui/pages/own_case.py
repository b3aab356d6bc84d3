"""Your own intervention: a form that describes a case, the explorer's answers for it, and the
case in a link, a file (YAML) and a workbook.

The form (``explorer.ui.live.case_form``) edits an own case; the answers come from the parts the
other pages use (KPI cards, charts, the Monte Carlo draws). The link carries the whole case
(``case=own&c=v1.…``); a link to a preset (``case=herning&caseload_after=22``, say from the
explorer) starts the form from that preset with the link's changes; no case, an empty form.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

import ipywidgets as w

from explorer import catalogue, model
from explorer.analysis import uncertainty
from explorer.catalogue import casefile, owncase
from explorer.catalogue.owncase import OWN, OwnCase, OwnCaseError
from explorer.catalogue.reader import Case
from explorer.data import i18n
from explorer.model.scenario import Scenario
from explorer.outputs import export
from explorer.ui.content import charts, kpis, links
from explorer.ui.live import page, widgets
from explorer.ui.live.case_form import CaseForm, t

DRAWS = 2000
BLANK = "blank"
YAML_MIME = "application/yaml"


@dataclass(frozen=True)
class CaseNotice(links.Notice):
    """A notice about a case in the link or in a file: the refusal in the page's language."""

    error: OwnCaseError | None = None

    def text(self, lang: str) -> str:
        return self.error.text(lang) if self.error else ""


def split_query(query: str) -> tuple[str | None, str | None, str]:
    """(the own case's code, the case the link asks for, the rest for the shared link reader)."""
    if not isinstance(query, str) or len(query) > links.MAX_QUERY:
        return None, None, query if isinstance(query, str) else ""
    try:
        pairs = parse_qsl(query, keep_blank_values=True, max_num_fields=200)
    except ValueError:
        return None, None, query
    code = next((v for k, v in pairs if k == "c"), None)
    case = next((v for k, v in pairs if k == "case"), None)
    if code is None and case != OWN:
        return None, case, query
    return code, None, urlencode([(k, v) for k, v in pairs if k not in ("c", "case")])


class OwnCasePage(CaseForm, page.Page):
    """The own-case page: the form on the left, the explorer's answers for it on the right."""

    name = "own_case"
    offers = page.Offers(
        charts=("cumulative", "flows", "payers"), files=(*page.TABLE_FILES, "case")
    )
    embed = page.Embed(cards=kpis.MAIN_CARDS, chart="cumulative")
    reads_own_query = True

    def __init__(self, query: str = "", url: str | None = None):
        self.code, self.asked_case, rest = split_query(query)
        super().__init__(rest, url)

    # -- the page's parts ---------------------------------------------------------------------
    def build(self) -> None:
        lang = self.lang
        own, self.started_from = self.first_case()
        self.start_choice = widgets.Choice(
            t("start.label", lang),
            [(BLANK, t("start.blank", lang))]
            + [(n, catalogue.case(n).title[lang]) for n in catalogue.cases()],
            self.started_from or BLANK,
            css="own-start",
        )
        self.start_button = widgets.button(
            t("start.button", lang), "own-start-button", self.on_start
        )
        self.upload = widgets.FileOpen(
            self.on_upload,
            label=t("upload", lang),
            accept=".yaml,.yml",
            max_bytes=casefile.MAX_FILE,
            css="own-upload",
        )
        self.form_box = w.VBox()
        self.fill(own)
        self.kpi_box = widgets.html_box("kpis")
        self.chance_box = widgets.html_box("kpis")
        self.compare_box = widgets.html_box("summary")
        self.chart_box = w.VBox()
        self.chart_box.add_class("charts")
        self.no_savings = widgets.html_box("chart-empty")
        self.sources = widgets.html_box("sources-panel")

    def first_case(self) -> tuple[OwnCase, str | None]:
        """The case the link asks for: its code, a preset with the link's changes, or none."""
        if self.code is not None:
            try:
                return casefile.decode(self.code), None
            except OwnCaseError as error:
                self.notices.append(CaseNotice("case", error=error))
                return owncase.blank(), None
        if self.asked_case is not None:
            preset = self.link.case
            return owncase.from_preset(preset).with_scenario(self.link.scenario), preset
        return owncase.blank(), None

    def refresh(self) -> None:
        """Read the form; a mistake is named in the page's language, else the answers follow."""
        try:
            own = self.read_form()
            built = own.case()
        except OwnCaseError as error:
            self.errors = [error.text(self.lang), t("not_computed", self.lang)]
            self.answers.layout.display = "none"
            self.show_notices()
            return
        self.answers.layout.display = None
        self.own, self.built, self.base = own, built, built.scenario
        self.sync_form(built)
        super().refresh()

    def scenario(self) -> Scenario:
        return self.built.scenario

    # -- starting points -----------------------------------------------------------------------
    def start(self, own: OwnCase, preset: str | None) -> None:
        self.started_from = preset
        self.notices = []
        self.fill(own)
        self.refresh()

    def on_start(self) -> None:
        choice = self.start_choice.value
        if choice == BLANK:
            self.start(owncase.blank(), None)
        else:
            self.start(owncase.from_preset(choice), choice)

    def on_upload(self, name: str, data: bytes | None) -> None:
        """Open a case file from the reader's device (``data`` None: over the size limit); a bad
        one is named in a notice and changes nothing."""
        try:
            if data is None:
                raise OwnCaseError("file_too_large", source=name, most=casefile.MAX_FILE // 1000)
            own = casefile.from_yaml(data, name)
        except OwnCaseError as error:
            self.notices = [CaseNotice("case", error=error)]
            self.show_notices()
        else:
            self.start(own, None)

    # -- the answers ---------------------------------------------------------------------------
    def layout(self) -> w.Widget:
        lang = self.lang
        controls = w.VBox([self.start_choice, self.start_button, self.upload, self.form_box])
        controls.add_class("levers")
        controls.add_class("own-form")
        # on a phone how the form starts stays on top; the form follows the answers
        for start in (self.start_choice, self.start_button, self.upload):
            start.add_class("case-choice")
        bar = self.download_bar(lambda: self.result)
        bar.children = (
            *bar.children,
            self.download(
                "yaml",
                t("download_yaml", lang),
                lambda: export.file_name(OWN, "case", self.lang, "yaml"),
                self.yaml_file,
            ),
        )
        sources = widgets.Disclosure(
            i18n.t("source.table_title", lang), [self.sources], "sources-disclosure"
        )
        self.answers = w.VBox(
            [self.compare_box, self.kpi_box, self.chance_box, self.chart_box, bar, sources]
        )
        results = w.VBox([self.notice_box, self.answers])
        results.add_class("results")
        main = w.Box([controls, results])
        main.add_class("main")
        head = w.HTML(
            f"<h1>{html.escape(t('title', lang))}</h1>"
            f"<p class='summary'>{html.escape(t('intro', lang))}</p>"
        )
        return w.VBox([head, main])

    def show(self, s: Scenario) -> None:
        lang = self.lang
        self.result = r = model.evaluate(s)
        self.kpi_box.value = kpis.main(r, lang)
        sim = uncertainty.simulate(s, DRAWS, seed=0, case=self.built)
        self.chance_box.value = (
            "<div class='kpi-grid'>" + kpis.chance_cards(sim, lang) + f"</div><p class='grades'>"
            f"{html.escape(t('chance_note', lang, draws=i18n.number(DRAWS, lang)))}</p>"
        )
        self.compare_box.value = self.comparison(r)
        self.chart_box.children = [
            self.chart("cumulative", charts.cumulative_net(r, lang), s),
            self.chart("flows", charts.yearly_flows(r, lang), s),
            self.payers(r, s),
        ]
        self.sources.value = kpis.sources_table(self.built, s, lang)
        length = len(self.whole_query())
        if length > casefile.MAX_LINK:
            self.errors.append(t("link_too_long", lang, length=i18n.number(length, lang)))

    def payers(self, r: model.Result, s: Scenario) -> w.Widget:
        """Who gets the savings; with nothing saved (no effect entered yet), a line saying so
        in place of a chart of empty axes."""
        lang = self.lang
        body = charts.savings_by_payer(r, lang)
        if charts.saves_nothing(r):
            self.chart_inputs.pop("payers", None)  # no download of an empty chart
            why = "no_effect" if all(o.effect == 0 for o in s.outcomes) else "no_one_moved"
            self.no_savings.value = (
                f"<p><b>{html.escape(body['title'])}</b><br>"
                f"{html.escape(t(f'no_savings.{why}', lang))}</p>"
            )
            return self.no_savings
        return self.chart("payers", body, s)

    def comparison(self, r: model.Result) -> str:
        """The preset the form started from, as the catalogue has it, beside the reader's."""
        if self.started_from is None:
            return ""
        lang = self.lang
        preset = model.evaluate(catalogue.load_case(self.started_from))
        text = t(
            "compare",
            lang,
            case=catalogue.case(self.started_from).title[lang],
            preset=i18n.millions(preset.npv, lang),
            own=i18n.millions(r.npv, lang),
        )
        return f"<p>{html.escape(i18n.tidy(text))}</p>"

    def whole_query(self) -> str:
        return urlencode({"case": OWN, "c": casefile.encode(self.own), "lang": self.lang})

    def query(self, scenario: Scenario) -> str:
        """The link: the whole case while it fits, else the page alone (a notice offers the
        file instead)."""
        whole = self.whole_query()
        return (
            whole
            if len(whole) <= casefile.MAX_LINK
            else urlencode({"case": OWN, "lang": self.lang})
        )

    def case_file(self) -> Case | None:
        """The reader's case: its sources label the downloads and grade the draws."""
        return getattr(self, "built", None)

    def yaml_file(self) -> tuple[str, bytes]:
        """The reader's case as a case file."""
        return YAML_MIME, casefile.to_yaml(self.own, self.lang).encode("utf-8")


def app(query: str | None = None) -> w.Widget:
    return page.app(OwnCasePage, query)
