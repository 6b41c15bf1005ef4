"""The personal data the tests and the demo put into passes and manual logs, to look for in log files.

Collected from the sources rather than typed in a second time, so a new test's visitor
is covered without anyone remembering this module:
- holder names given to the simulator (`"family_name": "..."`, `given_name="..."`,
  `"fn"`/`"gn"` in hand-built certificates) in tests/, kiosk/demo/ and kiosk/simulator/
  (whose defaults, e.g. `_text(body, "family_name", "Musterfrau")`, match the same way);
- the demo story's visitors (`_dcc("v", "홍", "길동", ...)`) and screenshot names;
- Korean mobile numbers typed into manual logs anywhere in those sources.

Needles are chosen so an ordinary log line cannot match by accident: Latin names of
four letters or more as whole words, Hangul names of two syllables or more, phone
numbers by their digits whatever the separators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCES = (REPO / "tests", REPO / "kiosk" / "demo", REPO / "kiosk" / "simulator")

_NAME_KEYS = r"(?:family_name|given_name|fn|gn|family|given)"
_NAME_PATTERNS = (
    re.compile(rf'"{_NAME_KEYS}"\s*[:,]\s*"([^"\\]+)"'),  # {"family_name": "Kim"}, _text(b, "fn", "X")
    re.compile(rf"\b{_NAME_KEYS}\s*=\s*\"([^\"\\]+)\""),  # family_name="Kim"
    re.compile(r'_dcc\(\s*"\w+",\s*"([^"]+)",\s*"([^"]+)"'),  # the demo story's visitors
    re.compile(r'\(\s*"([가-힣]{1,2})",\s*"([가-힣]{1,3})"\s*\)'),  # ("윤", "서준") pairs
)
_PHONE = re.compile(r"01[016789][- ]?\d{3,4}[- ]?\d{4}")
_LOG_PHONE = re.compile(r"(?<!\d)0\d{1,2}[- .]?\d{3,4}[- .]?\d{4}(?!\d)")
_LATIN_WORD = re.compile(r"[^\W\d_]{4,}")
_HANGUL = re.compile(r"[가-힣]{2,}")


@dataclass(frozen=True)
class Needles:
    names: frozenset[str]
    phones: frozenset[str]  # digits only


def _source_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for folder in SOURCES for p in sorted(folder.rglob("*.py"))]


@cache
def needles() -> Needles:
    raw_names: set[str] = set()
    phones: set[str] = set()
    for text in _source_texts():
        for pattern in _NAME_PATTERNS:
            for match in pattern.finditer(text):
                groups = match.groups()
                raw_names.update(groups)
                if len(groups) == 2:
                    raw_names.add(groups[0] + groups[1])  # 홍 + 길동 -> 홍길동
        phones.update(re.sub(r"\D", "", m.group()) for m in _PHONE.finditer(text))
    names: set[str] = set()
    for raw in raw_names:
        names.update(w for w in _LATIN_WORD.findall(raw) if not _HANGUL.fullmatch(w))
        names.update(_HANGUL.findall(raw))
    return Needles(frozenset(names), frozenset(p for p in phones if len(p) >= 10))


def leaks_in(text: str, found: Needles | None = None) -> set[str]:
    """What kinds of personal data `text` holds ("name", "phone"); never the values themselves."""
    found = found or needles()
    kinds: set[str] = set()
    words = set(_LATIN_WORD.findall(text)) | set(_HANGUL.findall(text))
    if words & found.names or any(h in text for h in found.names if _HANGUL.fullmatch(h)):
        kinds.add("name")
    if any(re.sub(r"\D", "", m.group()) in found.phones for m in _LOG_PHONE.finditer(text)):
        kinds.add("phone")
    return kinds


def log_files(folder: Path) -> list[Path]:
    """Every log file under `folder`, rotated ones (`kiosk.log.1` ...) included."""
    return sorted(p for p in folder.rglob("*.log*") if p.is_file() and re.search(r"\.log(\.\d+)?$", p.name))


def scan_logs(folder: Path) -> dict[Path, set[str]]:
    """Log files under `folder` with personal data in them, and which kinds."""
    found = needles()
    out: dict[Path, set[str]] = {}
    for path in log_files(folder):
        kinds = leaks_in(path.read_text(encoding="utf-8", errors="replace"), found)
        if kinds:
            out[path] = kinds
    return out
