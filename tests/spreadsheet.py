"""Workbooks recalculated by LibreOffice (Debian's ``libreoffice-calc-nogui``) in one headless call.

Each workbook first goes through openpyxl, which drops the cached results XlsxWriter stored, so
every number read back was computed by LibreOffice from the formulas.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

#: LibreOffice's setting to recalculate every formula of an .xlsx file it opens.
RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def recalculate(
    written: dict[str, bytes],
    root: Path,
    edit: Callable[[str, openpyxl.Workbook], None] = lambda name, book: None,
) -> dict[str, openpyxl.Workbook]:
    """Every workbook of ``written`` (name -> .xlsx bytes), changed by ``edit`` if given,
    recalculated by LibreOffice in one call under ``root``, read back with its values."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail(
            "soffice (LibreOffice) is missing: install Debian's libreoffice-calc-nogui "
            "(apt-get install libreoffice-calc-nogui); the workbook's formulas are "
            "checked with it",
            pytrace=False,
        )
    home, source, out = root / "home", root / "in", root / "out"
    profile = home / ".config" / "libreoffice" / "4" / "user"
    profile.mkdir(parents=True)
    (profile / "registrymodifications.xcu").write_text(RECALC_ALWAYS, encoding="utf-8")
    source.mkdir()
    for name, data in written.items():
        book = openpyxl.load_workbook(io.BytesIO(data))  # formulas only: no cached results
        edit(name, book)
        book.save(source / f"{name}.xlsx")
    files = sorted(source.glob("*.xlsx"))
    done = subprocess.run(
        [soffice, "--headless", "--calc", "--convert-to", "xlsx", "--outdir", str(out)]
        + [str(f) for f in files],
        env={**os.environ, "HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    missing = [f.name for f in files if not (out / f.name).exists()]
    if done.returncode or missing:
        pytest.fail(
            f"soffice failed (exit {done.returncode}); missing {missing}:\n{done.stderr}",
            pytrace=False,
        )
    return {f.stem: openpyxl.load_workbook(out / f.name, data_only=True) for f in files}
