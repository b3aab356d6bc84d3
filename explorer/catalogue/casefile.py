"""A reader's own case as a case file (YAML) and as a link code.

``to_yaml`` / ``from_yaml`` write and read the file; ``encode`` / ``decode`` the compact,
versioned code a link carries (``case=own&c=v1.<base64url(zlib(json))>``; a later format gets a
new prefix and ``v1`` keeps its reader, so an old link keeps opening). Files and codes are
untrusted: size, depth and number limits come first, then the strict YAML reader (or a strict
JSON reader) and the case reader; nothing is executed or written. Every refusal is an
:class:`~explorer.catalogue.owncase.OwnCaseError`.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from explorer import catalogue
from explorer.catalogue.owncase import (
    OWN,
    OwnCase,
    OwnCaseError,
    case_of,
    check_figures,
)
from explorer.catalogue.reader import Case
from explorer.data import i18n, yamlfile

VERSION = "v1"
#: A link that carries the whole case has at most this many characters; a larger case is a file.
MAX_LINK = 1_800
MAX_CODE = 4_000  # characters of a code read from a link
MAX_JSON = 64_000  # bytes of a code's JSON once inflated
MAX_FILE = 100_000  # bytes of a case file
MAX_NUMBER = 1e12  # larger than any field allows; refused before the case reader sees it
MAX_TEXT = 2_000
MAX_DEPTH = 12
MAX_NODES = 5_000
CODE = re.compile(r"[A-Za-z0-9_-]+={0,2}")
#: Strings written without quotes in a case file: figure keys and plain words.
PLAIN = re.compile(r"[a-z][a-z0-9_]*(?:\.[A-Za-z0-9_]+)*")
NOT_PLAIN = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}


def _inspect(content: Any, source: str) -> None:
    """Refuse what no case needs before the case reader sees it: deep nesting, many parts, long
    texts, non-text keys and numbers beyond any field's range (named by their place)."""
    stack: list[tuple[Any, str, int]] = [(content, "", 0)]
    nodes = 0
    while stack:
        node, path, depth = stack.pop()
        nodes += 1
        where = f"{source}, {path}" if path else source
        if nodes > MAX_NODES:
            raise OwnCaseError("too_many", source=source)
        if depth > MAX_DEPTH:
            raise OwnCaseError("too_deep", where=where)
        if isinstance(node, dict):
            for key, value in node.items():
                if not isinstance(key, str):
                    raise OwnCaseError("bad_key", where=where, name=repr(key)[:40])
                stack.append((value, f"{path}.{key}" if path else key, depth + 1))
        elif isinstance(node, list):
            stack.extend((v, f"{path}[{i}]", depth + 1) for i, v in enumerate(node))
        elif isinstance(node, str) and len(node) > MAX_TEXT:
            raise OwnCaseError("long_text", where=where, most=MAX_TEXT)
        elif (
            isinstance(node, (int, float))
            and not isinstance(node, bool)
            and not abs(node) <= MAX_NUMBER
        ):  # also NaN and infinities
            raise OwnCaseError("huge_number", where=where, value=repr(node)[:24])


def _checked(content: Any, source: str) -> tuple[OwnCase, Case]:
    """The own case in a case file's content (one case) and the case reader's case of it, after
    every check the page makes; ``source`` names it in errors."""
    _inspect(content, source)
    if not isinstance(content, dict) or len(content) != 1:
        raise OwnCaseError("one_case", source=source)
    body = next(iter(content.values()))
    try:
        case = case_of(content, source)
    except OwnCaseError:
        _check_kinds(body)  # a figure of another kind says more than the range it breaks
        raise
    own = OwnCase.of(body)
    own.check()
    return own, case


def _check_kinds(body: Any) -> None:
    """Refuse a catalogue figure of another kind in a case the reader refused, where the case
    is whole enough to tell (else the reader's reason stands)."""
    try:
        check_figures(OwnCase.of(body))
    except OwnCaseError:
        raise
    except (KeyError, TypeError, AttributeError, ValueError, IndexError):
        return


def read(content: Any, source: str) -> OwnCase:
    """The own case in a case file's content (one case); ``source`` names it in errors."""
    return _checked(content, source)[0]


class _Dumper(yaml.SafeDumper):
    """Writes figure keys and plain words bare and every other text in double quotes, so the
    strict reader reads back exactly what was written."""


def _text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    plain = PLAIN.fullmatch(text) is not None and text not in NOT_PLAIN
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=None if plain else '"')


_Dumper.add_representer(str, _text)


def to_yaml(case: OwnCase, lang: str = "da") -> str:
    """The case as a case file, in the format of data/cases.yaml."""
    head = "".join(
        f"# {line}\n"
        for line in i18n.t("own_case.yaml_header", lang, year=catalogue.price_year()).split("\n")
    )
    body = yaml.dump(
        {OWN: case.spec()},
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=10_000,
    )
    return head + body


def _content(data: bytes, name: str) -> Any:
    """A case file's content, read by the strict YAML reader within the page's limits."""
    if len(data) > MAX_FILE:
        raise OwnCaseError("file_too_large", source=name, most=MAX_FILE // 1000)
    if yamlfile.too_deep(bytes(data).decode("utf-8", "replace"), MAX_DEPTH):
        raise OwnCaseError("too_deep", where=name)
    try:
        return yamlfile.read(name, bytes(data))
    except yamlfile.DataError as error:
        raise OwnCaseError("file", detail=str(error)) from None


def _file_name(name: Path | str) -> str:
    return Path(str(name)).name[:80] or "case.yaml"


def from_yaml(data: bytes, name: str = "case.yaml") -> OwnCase:
    """The own case in a case file's bytes, checked by the strict YAML and case readers."""
    name = _file_name(name)
    return read(_content(data, name), name)


def read_case_file(path: Path | str, data: bytes | None = None) -> Case:
    """The case in a case file (or in ``data`` named as that file), read and checked as the page
    reads an upload: the same limits, figure kinds, references and relations, the same messages.
    ``explorer.load_case("my_case.yaml")`` and ``python -m explorer evaluate my_case.yaml`` read
    a file this way. The case is the reader's own: its name is ``own``, never a preset's."""
    path = Path(str(path))
    name = _file_name(path)
    if data is None:
        try:
            with path.open("rb") as file:
                data = file.read(MAX_FILE + 1)
        except FileNotFoundError:
            raise OwnCaseError("file", detail=f"{name}: file not found ({path})") from None
        except OSError as error:
            raise OwnCaseError(
                "file", detail=f"{name}: cannot be read ({error.strerror})"
            ) from None
    _, case = _checked(_content(data, name), name)
    return replace(case, name=OWN, scenario=case.scenario.replace(case=OWN))


def encode(case: OwnCase) -> str:
    """The link code of a case: ``v1.`` and the case's JSON, compressed, in base64url."""
    text = json.dumps(case.spec(), ensure_ascii=False, separators=(",", ":"))
    packed = base64.urlsafe_b64encode(zlib.compress(text.encode("utf-8"), 9))
    return f"{VERSION}.{packed.decode('ascii').rstrip('=')}"


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise OwnCaseError("code_repeated", name=key[:40])
        out[key] = value
    return out


def _huge(value: str) -> OwnCaseError:
    return OwnCaseError("code_refused", cause=OwnCaseError("huge_number", where="c", value=value))


def _no_constant(name: str) -> Any:
    raise _huge(name)


def decode(code: str) -> OwnCase:
    """The case in a link code; a bad or hostile code is refused with the reason."""
    if not isinstance(code, str) or len(code) > MAX_CODE:
        raise OwnCaseError("code_too_long", most=MAX_CODE)
    version, _, payload = code.partition(".")
    if version != VERSION:
        raise OwnCaseError("code_version", version=version[:12])
    if not CODE.fullmatch(payload):
        raise OwnCaseError("code_broken")
    try:
        payload = payload.rstrip("=")
        packed = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        inflater = zlib.decompressobj()
        data = inflater.decompress(packed, MAX_JSON)
    except (binascii.Error, ValueError, zlib.error):
        raise OwnCaseError("code_broken") from None
    if inflater.unconsumed_tail:
        raise OwnCaseError("code_too_large", most=MAX_JSON // 1000)
    if not inflater.eof or inflater.unused_data:
        raise OwnCaseError("code_broken")
    try:
        content = json.loads(
            data.decode("utf-8"), object_pairs_hook=_unique, parse_constant=_no_constant
        )
    except (UnicodeDecodeError, RecursionError, json.JSONDecodeError):
        raise OwnCaseError("code_broken") from None
    except OwnCaseError:
        raise
    except ValueError:  # int() refuses a number of thousands of digits
        raise _huge("…") from None
    try:
        return read({OWN: content}, "c")
    except OwnCaseError as error:
        raise OwnCaseError("code_refused", cause=error) from None
