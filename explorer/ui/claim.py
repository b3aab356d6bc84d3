"""Check a claim: a debate claim, what the sources say, the model's answer and a verdict."""

from __future__ import annotations

import html
from urllib.parse import parse_qsl, urlencode

import ipywidgets as w

from .. import catalogue, charts, claims, i18n, links, model
from . import common

TEXT = {
    "da": {"title": "Holder påstanden?", "claim": "Påstand",
           "intro": "Påstande fra debatten om sociale investeringer, hver med kilderne, modellens "
                    "svar og en vurdering i almindelige ord.",
           "said": "Sagt af {who}. {where}.", "evidence": "Hvad kilderne siger",
           "answer": "Modellens svar", "verdict": "Vurdering",
           "open": "Åbn scenariet i beregneren",
           "verdicts": {"holds": "Holder", "holds_if": "Holder, hvis …",
                        "cannot_check": "Kan ikke efterprøves"},
           "unknown_claim": "Påstanden {raw} findes ikke; den første vises."},
    "en": {"title": "Does the claim hold?", "claim": "Claim",
           "intro": "Claims from the debate on social investments, each with its sources, the "
                    "model's answer and a verdict in plain words.",
           "said": "Said by {who}. {where}.", "evidence": "What the sources say",
           "answer": "The model's answer", "verdict": "Verdict",
           "open": "Open the scenario in the explorer",
           "verdicts": {"holds": "Holds", "holds_if": "Holds if …",
                        "cannot_check": "Cannot be checked"},
           "unknown_claim": "The claim {raw} does not exist; the first is shown."},
}


def _split(query: str) -> tuple[str | None, str]:
    """The claim id, and the rest of the query for links.parse."""
    params = parse_qsl(query[: links.MAX_QUERY], keep_blank_values=True)
    claim_id = next((v for k, v in params if k == "claim"), None)
    return claim_id, urlencode([(k, v) for k, v in params if k != "claim"])


class CheckClaim:
    def __init__(self, query: str = ""):
        claim_id, rest = _split(query)
        link = links.parse(rest)
        self.lang, lang = link.lang, link.lang
        self.text = TEXT[lang]
        ids = [c.id for c in claims.claims()]
        errors = []
        if claim_id is not None and claim_id not in ids:
            errors.append(self.text["unknown_claim"].format(raw=claim_id[:40]))
            claim_id = None
        self.picker = w.Dropdown(options=[(c.claim[lang][:90] + ("…" if len(c.claim[lang]) > 90 else ""),
                                           c.id) for c in claims.claims()],
                                 value=claim_id or ids[0], layout=w.Layout(width="100%"))
        self.picker.add_class("claim-picker")
        self.body = w.HTML()
        self.body.add_class("claim-body")
        self.notices = w.HTML(common.notices_html(link.notices, errors, lang))
        self.url = common.UrlSync()
        self.chart = common.jupyter_chart(self._figure(), lang)
        self.chart.add_class("chart-cumulative")
        top = w.HTML(f"<div class='topbar'><a href='index.ipynb?lang={lang}'>{i18n.t('home', lang)}"
                     f"</a></div><h1>{self.text['title']}</h1><p class='summary'>{self.text['intro']}</p>")
        self.widget = w.VBox([common.style(), top, self.notices,
                              w.HBox([w.HTML(f"<b>{self.text['claim']}:</b>&nbsp;"), self.picker]),
                              self.body, self.chart, self.url])
        self.widget.add_class("app")
        self.picker.observe(self._on_pick, "value")
        self._render()

    @property
    def claim(self) -> claims.Claim:
        return claims.claim(self.picker.value)

    def _figure(self):
        s = links.parse(self.claim.scenario).scenario
        return charts.cumulative_net(model.evaluate(s), catalogue.case(s.case).start_year, self.lang)

    def _on_pick(self, _):
        self.chart.chart = self._figure()
        self._render()

    def _render(self):
        lang, text, c = self.lang, self.text, self.claim
        answer = c.answer()
        evidence = []
        for key in c.evidence:
            f = catalogue.figure(key)
            source = (f"<a href='{html.escape(f.source_url)}' target='_blank' rel='noopener'>"
                      f"{html.escape(f.source_title or f.source_url)}</a> ({f.year}, {f.grade})"
                      if f.source_url else html.escape(i18n.t("no_source", lang)))
            evidence.append(f"<li>{html.escape(f.note_in(lang))} {source}</li>")
        scenario_query = dict(parse_qsl(c.scenario)) | {"lang": lang}
        href = f"explorer.ipynb?{html.escape(urlencode(scenario_query))}"
        self.body.value = (
            f"<blockquote class='claim-text'>»{html.escape(c.claim[lang])}«</blockquote>"
            f"<p>{html.escape(text['said'].format(who=c.said_by, where=c.where))}</p>"
            f"<h3>{text['evidence']}</h3><ul class='evidence'>{''.join(evidence)}</ul>"
            f"<h3>{text['answer']}</h3><p class='answer'>{html.escape(answer.text[lang])}</p>"
            f"<h3>{text['verdict']}: <span class='verdict verdict-{c.verdict}'>"
            f"{text['verdicts'][c.verdict]}</span></h3>"
            f"<p class='verdict-text'>{html.escape(c.verdict_text[lang])}</p>"
            f"<p><a class='open-explorer' href='{href}'>{text['open']}</a></p>")
        self.url.query = urlencode({"claim": c.id, "lang": lang})


def app(query: str | None = None) -> w.Widget:
    return CheckClaim(common.query_string() if query is None else query).widget
