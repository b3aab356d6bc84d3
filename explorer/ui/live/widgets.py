"""The page's building blocks: levers, choices, charts, the page frame and the Vega runtime.

Each is a small anywidget whose JavaScript lives in ``explorer/ui/live/js/``. Python keeps the logic
(parsing what is typed, formatting numbers in the page's language); the browser draws native,
labelled inputs that work with a keyboard, a screen reader and a phone.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import PurePosixPath

import anywidget
import ipywidgets as w
import traitlets

from explorer.data import files, i18n, numbers
from explorer.model.fields import Field, FieldError
from explorer.ui.live import vega


def _js(name: str) -> str:
    return files.package_path("ui", "live", "js", name).read_text(encoding="utf-8")


@cache
def _runtime_class() -> type:
    class Runtime(anywidget.AnyWidget):
        """Vega, Vega-Lite and Vega-Embed for every chart of the page (sent once per page)."""

        _esm = vega.bundle()

    return Runtime


class RuntimeLoader(anywidget.AnyWidget):
    """Loads the Vega runtime from the launcher's static address (see vega.served_url)."""

    _esm = _js("runtime_loader.js")
    url = traitlets.Unicode("").tag(sync=True)


def runtime_ready() -> None:
    """Read what ``runtime()`` will send, before a reader arrives."""
    if vega.served_url() is None:
        _runtime_class()


def runtime() -> anywidget.AnyWidget:
    """The page's Vega runtime: a hidden widget that loads the libraries or holds them."""
    url = vega.served_url()
    widget = RuntimeLoader(url=url) if url else _runtime_class()()
    widget.layout.display = "none"
    return widget


class Lever(anywidget.AnyWidget):
    """A labelled slider with a number field, for one field of the field specification."""

    _esm = _js("lever.js")
    value = traitlets.Float(0).tag(sync=True)
    min = traitlets.Float(0).tag(sync=True)
    max = traitlets.Float(1).tag(sync=True)
    step = traitlets.Float(0.1).tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    display = traitlets.Unicode("").tag(sync=True)
    typed = traitlets.Unicode("").tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)
    info_title = traitlets.Unicode("").tag(sync=True)
    info_html = traitlets.Unicode("").tag(sync=True)
    slider = traitlets.Bool(True).tag(sync=True)
    css = traitlets.Unicode("").tag(sync=True)
    lang = traitlets.Unicode("da").tag(sync=True)
    #: How the browser shows the value while the slider moves (numbers.intl of the field's kind).
    number_format = traitlets.Dict({}).tag(sync=True)

    def __init__(
        self,
        field: Field,
        lang: str,
        value: float,
        info_html: str = "",
        slider: bool = True,
        lo: float | None = None,
        hi: float | None = None,
        step: float | None = None,
        name: str | None = None,
    ):
        self.field, self.name = field, name or field.name
        super().__init__(
            min=field.lo if lo is None else lo,
            max=field.hi if hi is None else hi,
            step=field.step if step is None else step,
            label=field.label[lang],
            info_title=i18n.t("lever.about", lang),
            info_html=info_html,
            slider=slider,
            lang=lang,
            css="lever-" + self.name.replace(".", "-").replace("_", "-"),
            number_format=numbers.intl(numbers.field_kind(field.unit.format, field.whole), lang),
        )
        self.set(value)
        self.observe(self._typed, "typed")
        self.observe(self._show, "value")

    def set(self, value: float) -> None:
        """Move the lever (clamped to its range) without an error."""
        self.value = min(max(float(value), self.min), self.max)
        self.error = ""
        self._show()

    def _show(self, _=None) -> None:
        self.display = self.field.show(self.value, self.lang)

    def _typed(self, change) -> None:
        try:
            text = json.loads(change["new"])["text"]
        except (ValueError, KeyError, TypeError):
            return
        try:
            value = self.field.parse(str(text)[:60], self.lang)
            if not self.min <= value <= self.max:
                raise FieldError(self.field, "range", value).with_bounds(self.min, self.max)
        except FieldError as error:
            self.error = error.text(self.lang)
            self._show()
            return
        self.error = ""
        if value == self.value:
            self._show()
        self.value = value

    @property
    def number(self) -> float | int:
        """The value as the field wants it (a whole number for whole fields)."""
        return self.field.check(self.field.clamp(self.value))


class Choice(anywidget.AnyWidget):
    """A labelled <select> (``kind="select"``) or checkbox (``kind="toggle"``)."""

    _esm = _js("choice.js")
    value = traitlets.Unicode("").tag(sync=True)
    options: traitlets.List[list[str]] = traitlets.List([]).tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    kind = traitlets.Unicode("select").tag(sync=True)
    css = traitlets.Unicode("").tag(sync=True)

    def __init__(
        self,
        label: str,
        options: list[tuple[str, str]] | None = None,
        value: str = "",
        kind: str = "select",
        css: str = "",
        param: str = "",
    ):
        #: The link parameter the choice sets, if it chooses what the page shows (the claim): a
        #: read view offers each option as a link.
        self.param = param
        options = options or []
        keys = [k for k, _ in options]
        if kind == "select" and value not in keys:
            value = keys[0] if keys else ""
        super().__init__(
            label=label, options=[list(o) for o in options], value=value, kind=kind, css=css
        )


class Chart(anywidget.AnyWidget):
    """A Vega-Lite chart in its column, with PNG and SVG downloads of its captioned version."""

    _esm = _js("chart.js")
    spec = traitlets.Dict({}).tag(sync=True)
    export_spec = traitlets.Dict({}).tag(sync=True)
    locale = traitlets.Dict({}).tag(sync=True)
    texts = traitlets.Dict({}).tag(sync=True)
    file_stem = traitlets.Unicode("chart").tag(sync=True)
    css = traitlets.Unicode("").tag(sync=True)


class Chrome(anywidget.AnyWidget):
    """The page frame: links to the pages, language, Share, address bar, downloads, connection.

    ``location`` is the page's address (origin and path) as the browser reports it when the
    frame is drawn; ``views``: the server also serves read views (``<prefix>/view/<page>``), and
    Share offers the read view's link and embed, with the live page's link beside them."""

    _esm = _js("chrome.js")
    page = traitlets.Unicode("").tag(sync=True)
    pages: traitlets.List[list[str]] = traitlets.List([]).tag(sync=True)
    query = traitlets.Unicode("").tag(sync=True)
    other_query = traitlets.Unicode("").tag(sync=True)
    texts = traitlets.Dict({}).tag(sync=True)
    location = traitlets.Unicode("").tag(sync=True)
    views = traitlets.Bool(False).tag(sync=True)
    #: Share's lines of Python that print the page's key figures (``explorer.outputs.reproduce``).
    python = traitlets.Unicode("").tag(sync=True)
    #: Share's data links: the read view's table (CSV) and numbers (JSON), relative to the page.
    data = traitlets.Dict({}).tag(sync=True)
    #: Links from the live page (``explorer.ui.content.addresses``): ``pages``, each page's
    #: live page by name; ``view``, this page's read view.
    links = traitlets.Dict({}).tag(sync=True)
    #: Share's embed snippet: ``param``, what asks a read view for its embed form; ``script``,
    #: embed.js relative to the page; ``height`` and ``live_height``, the frame's height for a
    #: read view's embed and for the live page's (``explorer.ui.live.page``).
    embed = traitlets.Dict({}).tag(sync=True)
    #: An address as the browser may report it: http(s), no query, no spaces or quotes.
    LOCATION = re.compile(r"https?://[^\s\"'<>?#]{1,2000}")

    @traitlets.validate("location")
    def _check_location(self, proposal) -> str:
        """The browser's word is untrusted: anything but a plain http(s) address is ignored."""
        value = proposal["value"]
        return value if isinstance(value, str) and self.LOCATION.fullmatch(value) else ""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.on_msg(self._reply)

    def _reply(self, _widget, content, _buffers) -> None:
        if isinstance(content, dict) and isinstance(content.get("ping"), int):
            self.send({"pong": content["ping"]})

    def send_file(self, name: str, mime: str, data: bytes) -> None:
        """Hand a file to the browser as a download."""
        self.send({"file": name, "mime": mime, "b64": base64.b64encode(data).decode("ascii")})


class TextField(anywidget.AnyWidget):
    """A labelled text field (``lines`` > 1: a text area); ``value`` changes when the reader
    leaves the field."""

    _esm = _js("text_field.js")
    value = traitlets.Unicode("").tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    placeholder = traitlets.Unicode("").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    lines = traitlets.Int(1).tag(sync=True)
    max_length = traitlets.Int(1000).tag(sync=True)
    css = traitlets.Unicode("").tag(sync=True)


class FileOpen(anywidget.AnyWidget):
    """A button that opens a file from the reader's device and hands ``on_open(name, data)`` its
    bytes; ``on_open(name, None)`` for a file over ``max_bytes`` (not sent)."""

    _esm = _js("file_open.js")
    label = traitlets.Unicode("").tag(sync=True)
    accept = traitlets.Unicode("").tag(sync=True)
    max_bytes = traitlets.Int(100_000).tag(sync=True)
    css = traitlets.Unicode("").tag(sync=True)

    def __init__(self, on_open: Callable[[str, bytes | None], None], **kwargs):
        super().__init__(**kwargs)
        self.on_open = on_open
        self.on_msg(self._received)

    def _received(self, _widget, content, buffers) -> None:
        if not isinstance(content, dict):
            return
        name = PurePosixPath(str(content.get("name", "")).replace("\\", "/")).name[:80]
        data = bytes(buffers[0]) if buffers else None
        self.on_open(name, data if data is not None and len(data) <= self.max_bytes else None)


def html_box(css: str, value: str = "") -> w.HTML:
    box = w.HTML(value)
    box.add_class(css)
    return box


def button(text: str, css: str, on_click: Callable[[], None]) -> w.Button:
    b = w.Button(description=text, tooltip=text)
    b.add_class(css)
    b.on_click(lambda _: on_click())
    return b


class Disclosure(w.VBox):
    """A button that shows or hides a group of widgets (keyboard: Enter or Space)."""

    def __init__(self, title: str, children: list[w.Widget], css: str, open_: bool = False):
        self.title = title
        self.toggle = w.Button(description="")
        self.toggle.add_class("disclosure-toggle")
        self.body = w.VBox(children)
        self.body.add_class("disclosure-body")
        super().__init__([self.toggle, self.body])
        self.add_class("disclosure")
        self.add_class(css)
        self.toggle.on_click(lambda _: self.show(not self.is_open))
        self.show(open_)

    def show(self, open_: bool) -> None:
        self.is_open = open_
        self.body.layout.display = "" if open_ else "none"
        self.toggle.description = ("▾ " if open_ else "▸ ") + self.title
