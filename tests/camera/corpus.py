"""Locating the DCC test-data corpus (../shared/testdata/dgc beside the repo)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DGC_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "testdata" / "dgc"


def picture_cases() -> list[tuple[str, dict[str, Any]]]:
    """(id, case) for every case JSON that states EXPECTEDPICTUREDECODE and carries a 2DCODE."""
    if not DGC_DIR.is_dir():
        return []
    cases = []
    for file in sorted(DGC_DIR.glob("*/2DCode/raw/*.json")):
        case = json.loads(file.read_text(encoding="utf-8"))
        expected = case.get("EXPECTEDRESULTS", {}).get("EXPECTEDPICTUREDECODE")
        if isinstance(case, dict) and "2DCODE" in case and expected is not None:
            cases.append((f"{file.parts[-4]}/{file.stem}", case))
    return cases


def png_files() -> list[Path]:
    return sorted(DGC_DIR.glob("*/2DCode/png/*.png")) if DGC_DIR.is_dir() else []
