"""Check a claim: a debate claim in parts, its sources, the model's answer and a verdict."""

from __future__ import annotations

import html
from urllib.parse import urlencode

import ipywidgets as w

from explorer import catalogue, model
from explorer.analysis import claims
from explorer.data import i18n
from explorer.model.scenario import Scenario
from explorer.ui.content import addresses, kpis, links
from explorer.ui.live import page, widgets
from explorer.ui.pages import how_sure


class CheckClaim(page.Page):
    name = "claims"
    charts_used = False
    #: An article embeds the claim and its verdict.
    embed = page.Embed(summary="verdict_html")

    def build(self) -> None:
        lang = self.lang
        ids = [c.id for c in claims.claims()]
        wanted = self.params.get("claim")
        if wanted is not None and wanted not in ids:
            self.notices.append(links.Notice("bad_claim", "claim", wanted))
            wanted = None
        self.picker = widgets.Choice(
            i18n.t("claims_page.claim", lang),
            [(c.id, _short(c.claim[lang])) for c in claims.claims()],
            wanted or self.first_about_case(ids),
            css="claim-picker",
            param="claim",
        )
        self.picker.observe(self.on_change, "value")
        #: Levers for the chosen claim's readings (how a vague word is read), by reading name.
        self.reading_levers: dict[str, widgets.Lever] = {}
        self.reading_box = w.VBox([])
        self.reading_box.add_class("claim-readings")
        self.body = widgets.html_box("claim-body")
        #: The claim, who said it and the verdict: the top of ``body``, and what an embed shows.
        self.verdict_html = ""
        self.context = widgets.html_box("claim-context", self.context_html())
        self.own = self.link.scenario != catalogue.load_case(self.link.case)

    def first_about_case(self, ids: list[str]) -> str:
        """Reached from another page, the claims page opens on a claim about that page's case."""
        about = claims.about(self.link.case)
        return about[0].id if about else ids[0]

    def layout(self) -> w.Widget:
        t = lambda key: i18n.t(f"claims_page.{key}", self.lang)
        head = w.HTML(
            f"<h1>{html.escape(t('title'))}</h1><p class='summary'>{html.escape(t('intro'))}</p>"
        )
        box = w.VBox(
            [head, self.notice_box, self.picker, self.reading_box, self.body, self.context]
        )
        box.add_class("claims-page")
        return box

    def page_params(self) -> dict[str, str]:
        return {"claim": self.picker.value}

    def show_readings(self, c: claims.Claim) -> dict[str, float]:
        """Levers for the claim's readings (kept while the claim stays); their moved values."""
        wanted = [r.name for r in c.readings()]
        if wanted != list(self.reading_levers):
            self.reading_levers = {}
            for r in c.readings():
                lever = widgets.Lever(
                    r.field(),
                    self.lang,
                    r.value,
                    f"<p>{html.escape(r.note[self.lang])}</p>",
                    name=f"reading.{r.name}",
                )
                lever.observe(self.on_change, "value")
                self.reading_levers[r.name] = lever
            self.reading_box.children = tuple(self.reading_levers.values())
        defaults = {r.name: r.value for r in c.readings()}
        return {n: v.value for n, v in self.reading_levers.items() if v.value != defaults[n]}

    def show(self, s: Scenario) -> None:
        lang = self.lang
        t = lambda key, **kw: i18n.t(f"claims_page.{key}", lang, **kw)
        c = claims.claim(self.picker.value)
        mine = self.own and s.case in c.cases()
        readings = self.show_readings(c)
        if mine or readings:
            answer = claims.answer(c, s if mine else None, readings=readings)
        else:
            answer = claims.default_answer(c.id)
        parts = "".join(_part_html(p, lang) for p in answer.model_parts)
        if c.because:
            parts += f"<li>{html.escape(t('no_model', because=c.because[lang]))}</li>"
        documents = "".join(_part_html(p, lang) for p in answer.documents)
        documents_html = (
            f"<h3>{html.escape(t('documents'))}</h3><ul class='documents'>{documents}</ul>"
            if documents
            else ""
        )
        evidence = "".join(
            f"<li>{page.source_html(catalogue.figure(k), lang)}</li>" for k in c.evidence()
        )
        target = c.page if c.page != "claims" else "explorer"
        query = urlencode({**({"case": c.case} if c.case else {}), "lang": lang})
        if mine:
            query = links.build(s, lang)
        settings = t("with_settings", case=catalogue.case(s.case).title[lang])
        note = f"<p class='grades'>{html.escape(settings)}</p>" if mine else ""
        draws = [p.draws for p in answer.parts if p.share is not None]
        draws_note = (
            "<p class='grades draws-note'>"
            + html.escape(
                t(
                    "draws_note",
                    draws=i18n.number(draws[0] or claims.DRAWS, lang),
                    page=i18n.t("page.how_sure", lang),
                    page_draws=i18n.number(int(how_sure.DEFAULT_DRAWS), lang),
                )
            )
            + "</p>"
            if draws
            else ""
        )
        notes = {
            name: kpis.held_out_note(
                catalogue.case(name),
                s if mine and s.case == name else catalogue.load_case(name),
                lang,
            )
            for name in c.cases()
        }
        checks = "".join(  # each under its case's name: a claim may rest on several
            f"<p class='held-out-case'><b>{html.escape(catalogue.case(name).title[lang])}</b></p>"
            + note
            for name, note in notes.items()
            if note
        )
        checks_html = f"<h3>{html.escape(t('held_out'))}</h3>{checks}" if checks else ""
        verdict_help = i18n.t(f"verdict_help.{answer.verdict}", lang)
        if answer.by_construction and answer.verdict != "by_construction":
            fitted = " ".join(_sentence(p.part.says[lang]) for p in answer.by_construction)
            verdict_help += " " + t("by_construction_parts", parts=fitted)
        quote = html.escape(i18n.quoted(c.claim[lang], lang))
        self.verdict_html = (
            f"<blockquote class='claim-text'>{quote}</blockquote>"
            f"<p>{_said(c, lang)}</p>"
            f"<h2>{html.escape(t('verdict'))}: <span class='verdict verdict-{answer.verdict}'>"
            f"{html.escape(i18n.t(f'verdict.{answer.verdict}', lang))}</span></h2>"
            f"<p class='verdict-help'>{html.escape(verdict_help)}</p>"
        )
        self.body.value = (
            f"{self.verdict_html}{note}"
            f"<h3>{html.escape(t('parts'))}</h3><ul class='parts'>{parts}</ul>"
            f"{draws_note}{documents_html}{checks_html}"
            f"<h3>{html.escape(t('evidence'))}</h3><ul class='evidence'>{evidence}</ul>"
            f"<p><a class='open-page' href='{addresses.live_link(target)}?{html.escape(query)}'>"
            f"{html.escape(t('open'))}</a></p>"
        )

    def context_html(self) -> str:
        lang = self.lang
        t = lambda key, **kw: i18n.t(f"claims_page.{key}", lang, **kw)
        items = []
        for c in claims.context():
            f = catalogue.figure(c.figure)
            extra = ""
            if c.compare:
                n = _compare(c.compare["what"], f)
                extra = (
                    f"<br>{html.escape(t('compare.' + c.compare['what'], n=i18n.number(n, lang)))}"
                )
            items.append(
                f"<li><q>{html.escape(c.says[lang])}</q>{page.source_html(f, lang)}{extra}</li>"
            )
        unchecked = "".join(
            f"<li><q>{html.escape(u.says[lang])}</q> {_said(u, lang)}<br>"
            f"{html.escape(t('because', because=u.because[lang]))}</li>"
            for u in claims.unchecked()
        )
        return (
            f"<h2>{html.escape(t('context_title'))}</h2><p>{html.escape(t('context_intro'))}"
            f"</p><ul class='context'>{''.join(items)}</ul>"
            f"<h2>{html.escape(t('unchecked_title'))}</h2><p>{html.escape(t('unchecked_intro'))}"
            f"</p><ul class='unchecked'>{unchecked}</ul>"
        )


def _part_html(part: claims.PartAnswer, lang: str) -> str:
    """A part: its status, what it says, the seed's words it tests and its answer."""
    words = part.part.words
    quoted = (
        f" <span class='seed-words' lang='da'>{html.escape(i18n.quoted(words, lang))}</span>"
        if words
        else ""
    )
    return (
        f"<li><span class='verdict verdict-{part.status}'>"
        f"{html.escape(i18n.t(f'verdict.{part.status}', lang))}</span> "
        f"<b>{html.escape(part.part.says[lang])}</b>{quoted}<br>"
        f"<span class='answer'>{html.escape(i18n.tidy(part.text(lang)))}</span></li>"
    )


def _said(c: claims.Claim | claims.Unchecked, lang: str) -> str:
    """Who made a claim, where and when, with a link to the piece where it is public."""
    said = i18n.t("claims_page.said", lang, who=c.said_by, where=c.where[lang], when=c.when[lang])
    link = (
        f" <a href='{html.escape(c.url)}' target='_blank' rel='noopener'>"
        f"{html.escape(i18n.t('claims_page.read', lang))}</a>"
        if c.url
        else ""
    )
    return html.escape(i18n.tidy(said)) + link


def _sentence(text: str) -> str:
    """A part's words as a sentence of its own: ending with its full stop, never with two."""
    text = text.rstrip()
    return text if text.endswith((".", "?", "!")) else text + "."


def _compare(what: str, f: catalogue.Figure) -> float:
    if what == "hjoerring_programmes":
        return f.value / catalogue.figure("hjoerring.programme_cost").value
    herning = model.evaluate(catalogue.load_case("herning"))
    return f.in_prices / herning.yearly["cost"].iloc[1]


def _short(text: str, most: int = 95) -> str:
    return text if len(text) <= most else text[: most - 1].rsplit(" ", 1)[0] + " …"


def app(query: str | None = None) -> w.Widget:
    return page.app(CheckClaim, query)
