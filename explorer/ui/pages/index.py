"""The landing page: what the explorer is for and a link to each page (no chart stack)."""

from __future__ import annotations

import html

import ipywidgets as w

from explorer.data import i18n
from explorer.data.pages import PAGES
from explorer.model.scenario import Scenario
from explorer.ui.live import page


class Index(page.Page):
    name = "index"
    charts_used = False
    has_numbers = False
    #: The front page is about every case: its view names none.
    has_case = False

    def build(self) -> None:
        self.body = w.HTML()
        self.body.add_class("landing")

    def layout(self) -> w.Widget:
        return w.VBox([self.notice_box, self.body])

    def show(self, s: Scenario) -> None:
        lang = self.lang
        query = html.escape(self.query(s))
        items = "".join(
            f"<li><a class='page-link' href='{p.notebook}?{query}'>"
            f"{html.escape(i18n.t(f'page.{p.name}', lang))}</a>: "
            f"{html.escape(i18n.t(f'index.{p.name}', lang))}</li>"
            for p in PAGES
            if p.name != self.name
        )
        self.body.value = (
            f"<h1>{html.escape(i18n.t('index.title', lang))}</h1>"
            f"<p class='summary'>{html.escape(i18n.t('index.intro', lang))}</p>"
            f"<ul class='pages'>{items}</ul>"
            f"<p class='course'>{html.escape(i18n.t('index.course', lang))}</p>"
        )


def app(query: str | None = None) -> w.Widget:
    return page.app(Index, query)
