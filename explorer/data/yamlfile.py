"""A strict, safe YAML reader for data files and uploaded case files.

Data files are read by people's tools and edited by hand, and case files come from readers, so the
reader refuses what YAML would otherwise accept silently: a repeated key (the second would replace
the first), a file that is not UTF-8, a file over a size limit, nesting deeper than any data file
needs (YAML's reader slows down with the square of the depth), and tags (``!!python/object`` and
the like). Every error names the file and, where YAML knows it, the line.
"""

from __future__ import annotations

import re
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

#: The largest YAML text read (data files are a few kB; a case file a few hundred bytes).
MAX_BYTES = 1_000_000
#: The deepest nesting read: brackets, or indentation in columns (data files need 4 and 10).
MAX_DEPTH = 20
MAX_INDENT = 80
_BRACKETS = re.compile(r"[\[\]{}]")


class DataError(ValueError):
    """A data or case file is malformed; the message names the file, the place and the problem."""


#: libyaml's parser where PyYAML was built with it (about ten times faster), else PyYAML's own.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_SafeLoader):  # type: ignore[valid-type, misc]
    """SafeLoader that refuses duplicate keys and any explicit tag."""


def _mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        line = key_node.start_mark.line + 1
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"the key {key!r} appears twice (lines {seen[key]} and {line})",
                key_node.start_mark,
            )
        seen[key] = line
    return loader.construct_mapping(node, deep=deep)


def _no_tags(loader: _StrictLoader, suffix: str, node: yaml.Node):
    raise yaml.constructor.ConstructorError(
        None, None, f"tags such as !{suffix} are not allowed", node.start_mark
    )


# YAML 1.2's core schema for plain scalars: 500_000, 1:30, 0o17, "yes" and "no" stay text, so a
# typo cannot become a number or a boolean without a word.
_INT, _FLOAT, _BOOL = (f"tag:yaml.org,2002:{t}" for t in ("int", "float", "bool"))
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_INT, _FLOAT, _BOOL)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(_INT, re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_StrictLoader.add_implicit_resolver(
    _FLOAT,
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)
_StrictLoader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_StrictLoader.add_multi_constructor("!", _no_tags)
_StrictLoader.add_multi_constructor("tag:yaml.org,2002:python/", _no_tags)


def _explicit_tags(text: str) -> bool:
    """True if the text uses an explicit tag (``!name`` or ``!!type``) outside quotes."""
    tokens = yaml.scan(text, Loader=_SafeLoader)
    return any(isinstance(token, yaml.TagToken) for token in tokens)


def too_deep(text: str, depth: int = MAX_DEPTH, indent: int = MAX_INDENT) -> bool:
    """True if brackets (counted in quotes too) nest deeper than ``depth`` or a line is indented
    (by spaces and the ``- ? :`` indicators) by ``indent`` columns or more."""
    if re.search(rf"^[ ?:-]{{{indent}}}", text, re.MULTILINE):
        return True
    level = 0
    for bracket in _BRACKETS.finditer(text):
        level = level + 1 if bracket.group() in "[{" else max(level - 1, 0)
        if level > depth:
            return True
    return False


def parse(text: str, name: str) -> Any:
    """The content of a YAML text; ``name`` is how errors refer to it (a file name)."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise DataError(f"{name}: larger than {MAX_BYTES // 1000} kB; not read")
    if too_deep(text):
        raise DataError(f"{name}: nested more than {MAX_DEPTH} levels deep; not read")
    try:
        if _explicit_tags(text):
            raise DataError(f"{name}: tags (!name or !!type) are not allowed")
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        # libyaml places the end of a file on a line after the last one
        line = min(mark.line + 1, max(len(text.splitlines()), 1)) if mark else 0
        where = f", line {line}" if mark else ""
        raise DataError(f"{name}{where}: {error.problem or error.context}") from None
    except yaml.YAMLError as error:
        raise DataError(f"{name}: not valid YAML ({error})") from None
    except TypeError:  # a list or mapping used as a mapping's key
        raise DataError(f"{name}: a list or mapping is used as a name (key)") from None


def read(path: Path | Traversable | str, data: bytes | None = None) -> Any:
    """The content of a YAML file (or of ``data`` named as the file ``path``)."""
    path = Path(str(path))
    try:
        raw = path.read_bytes() if data is None else data
    except FileNotFoundError:
        raise DataError(f"{path.name}: file not found ({path})") from None
    except OSError as error:
        raise DataError(f"{path.name}: cannot be read ({error.strerror})") from None
    if len(raw) > MAX_BYTES:
        raise DataError(f"{path.name}: larger than {MAX_BYTES // 1000} kB; not read")
    if b"\x00" in raw:
        raise DataError(f"{path.name}: a binary file, not YAML text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DataError(
            f"{path.name}, line {line}: not UTF-8 text (save the file as UTF-8)"
        ) from None
    return parse(text, path.name)
