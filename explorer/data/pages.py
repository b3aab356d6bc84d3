"""The site's pages, in menu order: the one list of them, which the menu, the landing page, the
claims' page links and the tests read.

A page named ``name`` is the module ``explorer/ui/pages/<name>.py``, the notebook
``notebooks/<name>.ipynb``, the texts ``page.<name>`` (its title) and, but for the landing page,
``index.<name>`` (its line there). ``tests/test_recipes.py`` checks that each of those exists,
that voila.json keeps ``pool`` kernels warm for it, and that a browser test opens it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    name: str
    #: Preheated kernels Voilà keeps for the page (voila.json's ``kernel_pools_config``).
    pool: int = 1
    #: A claim may send the reader here (claims.yaml's ``page``): the page shows a scenario.
    claim_target: bool = True

    @property
    def notebook(self) -> str:
        return f"{self.name}.ipynb"


PAGES = (
    Page("index", claim_target=False),
    Page("explorer", pool=8),
    Page("who_pays"),
    Page("how_sure"),
    Page("claims"),
    Page("own_case", claim_target=False),
    Page("how_it_works"),
)
NAMES = tuple(p.name for p in PAGES)
