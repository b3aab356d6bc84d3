"""The course for students (notebooks/course/, issue 26 section 4): two languages of one course,
blank exercises with a folded key, what Binder and ``make course`` need, and a course that the
served app neither lists, preheats nor runs. nbval runs the notebooks themselves (``make test``).
"""

from __future__ import annotations

import ast
import html
import io
import json
import re
import sys
import tokenize
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from jupyter_server.services.contents.filemanager import FileContentsManager
from servers import Voila

from explorer.data import i18n
from explorer.data import pages as registry
from explorer.ui.pages import index as front
from explorer.ui.views import readview

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
COURSE = NOTEBOOKS / "course"
LANGUAGES = {"kursus.ipynb": "da", "course.ipynb": "en"}
WORDS = {tokenize.STRING, tokenize.COMMENT, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}


def cells(name: str) -> list[dict]:
    return json.loads((COURSE / name).read_text(encoding="utf-8"))["cells"]


def code(cell: dict) -> str:
    return "".join(cell["source"])


def without_words(source: str) -> list[tuple[int, str]]:
    """The code's tokens with every string and comment blanked: what runs, not what it says."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [(t.type, "" if t.type in WORDS else t.string) for t in tokens]


def test_the_course_is_the_same_in_danish_and_english_but_for_its_words():
    assert {p.name for p in COURSE.glob("*.ipynb")} == set(LANGUAGES)
    da, en = cells("kursus.ipynb"), cells("course.ipynb")
    assert [c["cell_type"] for c in da] == [c["cell_type"] for c in en]
    for a, b in zip(da, en):
        assert a.get("metadata") == b.get("metadata")
        if a["cell_type"] == "code":
            assert without_words(code(a)) == without_words(code(b)), code(a)
    for name, lang in LANGUAGES.items():
        assert code(next(c for c in cells(name) if c["cell_type"] == "code")).startswith(
            f'LANG = "{lang}"'
        )


@pytest.mark.parametrize("name", LANGUAGES)
def test_every_exercise_is_blank_with_a_folded_key_and_a_check(name):
    """``answer_N = ...`` as committed, then a folded cell setting ``key_N``, then the check."""
    nb = [c for c in cells(name) if c["cell_type"] == "code"]
    blanks = [i for i, c in enumerate(nb) if re.fullmatch(r"answer_\d+ = \.\.\.", code(c))]
    assert len(blanks) >= 5
    for number, i in enumerate(blanks, start=1):
        assert code(nb[i]) == f"answer_{number} = ..."
        key, check = nb[i + 1], nb[i + 2]
        assert key["metadata"].get("jupyter", {}).get("source_hidden") is True
        assert f"key_{number} = " in code(key) and "assert" not in code(key)
        tree = ast.parse(code(check))
        asserts = [n for n in ast.walk(tree) if isinstance(n, ast.Assert)]
        assert asserts and f"answer_{number}" in code(check), code(check)


def test_binder_and_make_course_have_what_the_course_needs():
    """Every module the course imports is in Binder's environment; ``make course`` opens it."""
    imported = set()
    for cell in cells("kursus.ipynb"):
        if cell["cell_type"] == "code":
            for node in ast.walk(ast.parse(code(cell))):
                if isinstance(node, ast.Import):
                    imported |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module:
                    imported.add(node.module.split(".")[0])
    env = yaml.safe_load((ROOT / ".binder" / "environment.yml").read_text(encoding="utf-8"))
    conda = {re.split(r"[<>=!~ ]", d, maxsplit=1)[0] for d in env["dependencies"]}
    conda = {{"pyyaml": "yaml"}.get(d, d) for d in conda}
    third_party = imported - set(sys.stdlib_module_names) - {"explorer"}
    assert third_party and third_party <= conda, third_party - conda
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    opened = re.search(r"^COURSE\s*\?=\s*(\S+)", makefile, re.M)
    assert opened and (ROOT / opened.group(1)).is_file()
    assert re.search(r"^course: setup\n\t\S*jupyter lab .*/lab/tree/\$\(COURSE\)", makefile, re.M)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in re.findall(r"urlpath=lab/tree/([\w/.]+\.ipynb)", readme):
        assert (ROOT / path).is_file(), path
    assert "urlpath=lab/tree/notebooks/course/kursus.ipynb" in readme


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_front_page_and_its_view_tell_how_to_open_the_course(lang):
    words = html.escape(i18n.t("index.course", lang))
    course = "kursus.ipynb" if lang == "da" else "course.ipynb"
    assert "make course" in words and f"notebooks/course/{course}" in words
    live = front.Index(f"lang={lang}", url="")
    key, notices, _ = readview.canonical("index", f"lang={lang}")
    view = readview.render("index", key, readview.Site("https://example.org", "/")).html(notices)
    assert words in live.body.value and words in view


def test_every_text_that_names_a_course_notebook_names_one_that_exists():
    """The front page, the read views' 'how to change the numbers', README and docs."""
    files = [ROOT / "explorer" / "data" / "texts.yaml", ROOT / "README.md", ROOT / "Makefile"]
    files += [ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
    mention = re.compile(r"notebooks/course[\w/.]*?\.ipynb")
    named = {
        (path.name, found)
        for path in files
        for found in mention.findall(path.read_text(encoding="utf-8"))
    }
    assert named
    assert all((ROOT / found).is_file() for _, found in named), named


def test_voila_neither_lists_nor_preheats_the_course():
    """voila.json's hidden names (jupyter_server's own listing) and preheat denylist (Voilà's
    rule: the pattern is in the notebook's whole path or matches its start) leave out the course and
    only the course."""
    config = json.loads((ROOT / "voila.json").read_text(encoding="utf-8"))
    hide = config["ContentsManager"]["hide_globs"]
    listed = FileContentsManager(root_dir=str(NOTEBOOKS), hide_globs=hide).get("")["content"]
    assert {c["name"] for c in listed} == {p.notebook for p in registry.PAGES}
    denied = config["VoilaKernelManager"]["preheat_denylist"]

    def preheated(path: str) -> bool:
        return not any(p in path or re.match(p, path) for p in denied)

    # Voilà passes the notebook's whole path
    assert not any(preheated(str(NOTEBOOKS / "course" / name)) for name in LANGUAGES)
    assert all(preheated(str(NOTEBOOKS / p.notebook)) for p in registry.PAGES)


@pytest.fixture(scope="module")
def launcher():
    server = Voila(
        "course", launcher="explorer.serving", warm=False, args=("--preheat_kernel=False",)
    )
    yield server
    server.stop()


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.slow  # a Voilà server (no kernels): make test runs it, make test-fast does not
@pytest.mark.parametrize("path", ["course/kursus.ipynb", "course/course.ipynb", "nope.ipynb"])
def test_the_launcher_runs_only_the_pages(launcher, path):
    """A notebook that is no page is a 404 before any kernel starts: the course would run its
    Monte Carlo and claims for whoever asked."""
    assert status(f"{launcher.url}voila/render/{path}") == 404
    assert not launcher.kernels()
