"""The site's error pages, one text per kind in both languages (texts.yaml ``error.*``), the
reader's language first, with no internals.

Three media serve them: the launcher answers with ``page`` (``explorer.serving``); nginx serves
the static pages in ``deploy/nginx/pages`` and Voilà renders the template
``share/jupyter/voila/templates/explorer/error.html``, both written from here by ``make docs``
(``python -m explorer.ui.views.errors --write``; ``tests/test_deploy.py`` fails when a copy
differs). A busy page (503, or nginx's 429) reloads itself after ``RETRY_AFTER`` seconds, the
address and so the scenario kept.
"""

from __future__ import annotations

import argparse
import html
from pathlib import Path

from explorer.data import i18n
from explorer.ui.content import addresses

#: Seconds a busy reader is asked to wait (Retry-After, and the page's own reload).
RETRY_AFTER = 10
#: Each status's title and, for some, a line beneath it (texts.yaml ``error.<key>``).
KINDS = {
    400: ("too_many", "too_many_help"),
    404: ("not_found", None),
    405: ("not_allowed", None),
    414: ("too_long", "too_long_help"),
    431: ("too_large", None),
    503: ("busy", "busy_help"),
}
STYLE = (
    "body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; "
    "color: #1d1d1d; max-width: 40em; margin: 3em auto; padding: 0 1em; line-height: 1.5; }\n"
    "h1 { font-size: 1.4em; } a { color: #0a5a8c; }"
)
ROOT = Path(__file__).resolve().parents[3]
#: The static pages nginx serves (deploy/nginx/explorer.conf.template's ``error_page``s).
NGINX_PAGES = {"busy.html": 503, "too-long.html": 414}
NGINX_FOLDER = ROOT / "deploy" / "nginx" / "pages"
#: Where nginx puts the site (the conf template's locations): its static pages link from there.
NGINX_PREFIX = "/explorer/"
VOILA_TEMPLATE = ROOT / "share" / "jupyter" / "voila" / "templates" / "explorer" / "error.html"


def page(status: int, home: str, lang: str = "da", **numbers: float | str) -> str:
    """The error page of ``status``, the reader's ``lang`` first; ``home`` is the front page's
    address (``?lang=`` is added), ``numbers`` fill the texts (``most``: 400's limit)."""
    lang = lang if lang in i18n.LANGS else "da"
    title, help_key = KINDS.get(status, ("other", None))
    body = []
    for code in (lang, i18n.other(lang)):
        filled = {
            k: i18n.number(v, code) if isinstance(v, int | float) else v for k, v in numbers.items()
        }
        filled = {"code": str(status), "seconds": str(RETRY_AFTER), **filled}
        line = _text(i18n.t(f"error.{help_key}", code, **filled)) + " " if help_key else ""
        front = html.escape(addresses.with_query(home, f"lang={code}"))
        retry = (
            f" · <a href='' onclick='location.reload(); return false;'>"
            f"{_text(i18n.t('error.retry', code))}</a>"
            if status == 503
            else ""
        )
        body.append(
            f"<h1 lang='{code}'>{_text(i18n.t(f'error.{title}', code, **filled))}</h1>\n"
            f"<p lang='{code}'>{line}<a href='{front}'>{_text(i18n.t('error.front', code))}"
            f"</a>{retry}</p>\n"
        )
    names = " · ".join(
        i18n.t("error.busy" if status == 503 else "error.title", code)
        for code in (lang, i18n.other(lang))
    )
    reload = f"<meta http-equiv='refresh' content='{RETRY_AFTER}'>" if status == 503 else ""
    return (
        f"<!DOCTYPE html>\n<html lang='{lang}'>\n<head>\n<meta charset='utf-8'>\n"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>\n"
        f"<meta name='robots' content='noindex'>{reload}\n<title>{_text(names)}</title>\n"
        f"<style>{STYLE}</style>\n</head>\n<body class='explorer-error'>\n{''.join(body)}"
        "</body>\n</html>\n"
    )


def _text(words: str) -> str:
    """Words as an element's text (an apostrophe stays one)."""
    return html.escape(words, quote=False)


def nginx_pages() -> dict[str, str]:
    """nginx's static pages by file name; they link to the live front page under its prefix."""
    home = NGINX_PREFIX + addresses.live("index")
    return {name: page(status, home) for name, status in NGINX_PAGES.items()}


def voila_template() -> str:
    """Voilà's error template: the busy page, the missing page and any other status, for a
    page at ``voila/render/<page>.ipynb`` (the front page beside it)."""
    home = addresses.live_link("index")
    other = page(500, home, code="{{ status_code }}")
    return (
        "{#- Written by `make docs` from explorer/ui/views/errors.py: edit the texts there. -#}\n"
        "{% if status_code == 503 %}"
        f"{page(503, home)}"
        "{% elif status_code == 404 %}"
        f"{page(404, home)}"
        "{% else %}"
        f"{other}"
        "{% endif %}\n"
    )


def written() -> dict[Path, str]:
    """Every file written from here, by path."""
    files = {NGINX_FOLDER / name: text for name, text in nginx_pages().items()}
    files[VOILA_TEMPLATE] = voila_template()
    return files


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write the error pages nginx and Voilà serve.")
    parser.add_argument("--write", action="store_true", help="write them (else list them)")
    options = parser.parse_args(argv)
    for path, text in written().items():
        if options.write:
            path.write_text(text, encoding="utf-8")
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
