"""The landing page: one sentence and a link for each page."""

from __future__ import annotations

import html

import ipywidgets as w

from .. import links
from . import common

PAGES = {
    "da": ("Sociale investeringer i kommunerne: regn selv efter",
           "Betaler det sig at ansætte flere sagsbehandlere, så hver har færre sager? Her kan du "
           "regne på Herning, Aabenraa og Hjørring med tal, der har en kilde, og ændre antagelserne.",
           [("explorer.ipynb", "Sagstal og økonomi",
             "Vælg en sag, skru på sagstallet og se udgift, gevinst og hvornår det er tjent hjem."),
            ("who_pays.ipynb", "Hvem sparer, og hvem betaler?",
             "Hvor meget af gevinsten lander hos kommunen, og hvad koster en social impact bond "
             "i forhold til at finansiere selv eller med et statsligt tilskud?"),
            ("how_sure.ipynb", "Hvor sikre er vi?",
             "Chancen for at tjene sig hjem, når de usikre tal trækkes mange gange, og hvad der "
             "betyder mest."),
            ("claims.ipynb", "Holder påstanden?",
             "Påstande fra debatten, hver med kilderne, modellens svar og en vurdering."),
            ("how_it_works.ipynb", "Sådan virker modellen",
             "Kæden fra sagstal til gevinst for kommune, region og stat, trin for trin.")]),
    "en": ("Social investments in Danish municipalities: check the numbers",
           "Does hiring more caseworkers, so that each has fewer cases, pay for itself? Work through "
           "Herning, Aabenraa and Hjørring with sourced numbers, and change the assumptions.",
           [("explorer.ipynb", "Caseloads and money",
             "Pick a case, move the caseload and see cost, savings and when it pays back."),
            ("who_pays.ipynb", "Who saves, and who pays?",
             "How much of the savings lands with the kommune, and what does a social impact bond "
             "cost compared with self-financing or a state grant?"),
            ("how_sure.ipynb", "How sure are we?",
             "The chance of paying back when the uncertain figures are drawn many times, and "
             "what matters most."),
            ("claims.ipynb", "Does the claim hold?",
             "Claims from the debate, each with its sources, the model's answer and a verdict."),
            ("how_it_works.ipynb", "How the model works",
             "The chain from caseload to savings for kommune, region and state, step by step.")]),
}


def app(query: str | None = None) -> w.Widget:
    link = links.parse(common.query_string() if query is None else query)
    lang = link.lang
    title, intro, pages = PAGES[lang]
    other = "en" if lang == "da" else "da"
    items = "".join(f"<li><a class='page-link' href='/voila/render/{path}?lang={lang}'>"
                    f"{html.escape(name)}</a>: {html.escape(text)}</li>" for path, name, text in pages)
    body = (f"<div class='topbar'><a class='lang-link' href='?lang={other}'>"
            f"{'English' if lang == 'da' else 'Dansk'}</a></div><h1>{html.escape(title)}</h1>"
            f"<p class='summary'>{html.escape(intro)}</p><ul class='pages'>{items}</ul>")
    page = w.VBox([common.style(), w.HTML(body),
                   w.HTML(common.notices_html(link.notices, [], lang))])
    page.add_class("app")
    return page
