"""docs/glossary.md is what the kiosk says: its key Korean terms are the ones the screens
(`ko.ts`, and the Korean lines of `en.ts`) and the export and report (`owner_tools/words.py`) use."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kiosk.decision import Reason, Verdict, VerifiedBy
from kiosk.owner_tools.words import Words

REPO = Path(__file__).resolve().parents[3]
I18N = REPO / "kiosk" / "assets" / "i18n"

# Where each key term stands: (file, context, source) of a window text, or a words.py lookup;
# "=" the whole text is the term, "^" the text starts with it, "~" the text contains it.
KO_WORDS = Words("ko")
USES: dict[str, list[tuple[str, str, str, str]]] = {
    "admit": [("ko", "Verdict", "Admitted", "="), ("ko", "TodayTab", "Admitted", "="),
              ("en", "Secondary", "Admitted", "=")],
    "deny": [("ko", "Verdict", "Not admitted", "="), ("ko", "TodayTab", "Not admitted", "="),
             ("en", "Secondary", "Not admitted", "=")],
    "staff check": [("ko", "Verdict", "Staff check", "="), ("ko", "TodayTab", "Staff check", "="),
                    ("ko", "VerifiedBy", "Checked by staff", "="),
                    ("ko", "TodayTab", "Checked by staff", "=")],
    "staff admits": [("ko", "ManualLogPanel", "Checked, admit", "="), ("ko", "VerdictView", "Admit", "="),
                     ("ko", "StaffStrip", "Admit", "="), ("ko", "Reason", "Checked by staff", "~")],
    "staff refuses": [("ko", "ManualLogPanel", "Deny", "="), ("ko", "VerdictView", "Deny", "="),
                      ("ko", "StaffStrip", "Deny", "="), ("ko", "Reason", "Refused by staff", "~")],
    "no pass": [("ko", "ManualLogPanel", "Visitor with no QR code", "="),
                ("ko", "StaffStrip", "Visitor with no QR code:", "^")],
    "token": [("ko", "StaffStrip", "Token", "=")],
    "online": [("ko", "Health", "ONLINE", "="), ("ko", "HealthTab", "online", "=")],
    "checked online": [("ko", "VerifiedBy", "Checked online", "="),
                       ("ko", "TodayTab", "Checked online", "=")],
    "offline": [("ko", "Health", "OFFLINE", "="), ("ko", "HealthTab", "offline", "=")],
    "checked offline": [("ko", "VerifiedBy", "Checked offline (signature)", "^"),
                        ("ko", "TodayTab", "Checked offline", "=")],
    "degraded": [("ko", "Health", "DEGRADED", "="), ("ko", "HealthTab", "slow", "=")],
    "verification service": [("ko", "Reason", "Not valid according to the verification service", "^"),
                             ("ko", "UploadsTab", "Uploads to the verification service", "^")],
    "trust list": [("ko", "TodayTab", "Trust list", "="), ("ko", "StatusBar", "Certificate list: none", "^"),
                   ("ko", "StatusBar", "Certificates updated: %1", "^")],
    "upload": [("ko", "AdminScreen", "Uploads", "="), ("ko", "UploadsTab", "Waiting to upload", "^")],
    "hint: tilt": [("ko", "Preview", "Tilt away from the light", "=")],
    "hint: closer": [("ko", "Preview", "Move closer", "=")],
    "hint: still": [("ko", "Preview", "Hold still", "=")],
    "hint: brightness": [("ko", "Preview", "Turn up your screen brightness", "=")],
}
WORDS_USES: dict[str, list[tuple[str, str]]] = {
    "admit": [(KO_WORDS.word(Verdict.ADMIT), "=")],
    "deny": [(KO_WORDS.word(Verdict.DENY), "=")],
    "staff check": [(KO_WORDS.word(Verdict.MANUAL), "="), (KO_WORDS.word(VerifiedBy.STAFF), "=")],
    "staff admits": [(KO_WORDS.reason(Reason.STAFF_CONFIRMED), "~")],
    "staff refuses": [(KO_WORDS.reason(Reason.STAFF_REJECTED), "~")],
    "manual log": [(KO_WORDS.report("logged_manually"), "=")],
    "online": [(KO_WORDS.report("online"), "=")],
    "checked online": [(KO_WORDS.word(VerifiedBy.ONLINE), "="), (KO_WORDS.report("scans_online"), "=")],
    "offline": [(KO_WORDS.report("offline"), "=")],
    "checked offline": [(KO_WORDS.word(VerifiedBy.OFFLINE), "="), (KO_WORDS.report("verified_offline"), "=")],
    "degraded": [(KO_WORDS.report("degraded"), "=")],
    "verification service": [(KO_WORDS.reason(Reason.UPSTREAM_UNAVAILABLE), "^"),
                             (KO_WORDS.report("health"), "=")],
    "outage": [(KO_WORDS.report("title"), "^")],
    "upload": [(KO_WORDS.word("pending"), "^"), (KO_WORDS.columns(with_phone=False)[5], "^")],
    "no answer": [(KO_WORDS.cause("timeout"), "=")],
}


def glossary() -> dict[str, str]:
    """Key -> Korean, from the table in docs/glossary.md."""
    terms = {}
    for line in (REPO / "docs" / "glossary.md").read_text("utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 5 and cells[0] not in ("Key", "---"):
            terms[cells[0]] = cells[1]
    return terms


def translations(lang: str) -> dict[tuple[str, str], str]:
    table = {}
    for ctx in ET.parse(I18N / f"{lang}.ts").getroot().iter("context"):
        for msg in ctx.iter("message"):
            table[(ctx.findtext("name", ""), msg.findtext("source", ""))] = msg.findtext("translation", "")
    return table


def uses_term(text: str, term: str, how: str) -> bool:
    return {"=": text == term, "^": text.startswith(term), "~": term in text}[how]


def test_the_glossary_has_every_key_term_the_project_agreed_on() -> None:
    keys = set(glossary())
    for key in ("admit", "deny", "staff check", "online", "offline", "degraded", "manual log", "token",
                "trust list", "no pass"):
        assert key in keys, key


@pytest.mark.parametrize("key", sorted(USES))
def test_the_window_uses_the_glossary_term(key: str) -> None:
    term = glossary()[key]
    tables = {"ko": translations("ko"), "en": translations("en")}
    for lang, context, source, how in USES[key]:
        said = tables[lang][(context, source)]
        assert uses_term(said, term, how), f"{lang}.ts {context} {source!r} says {said!r}, glossary {term!r}"


@pytest.mark.parametrize("key", sorted(WORDS_USES))
def test_the_export_and_report_use_the_glossary_term(key: str) -> None:
    term = glossary()[key]
    for said, how in WORDS_USES[key]:
        assert uses_term(said, term, how), f"words.py says {said!r}, glossary {term!r}"


def test_words_no_longer_used_stay_out_of_the_korean() -> None:
    # The jargon and the ambiguous words the glossary replaced.
    korean = " ".join(translations("ko").values())
    for old in ("신뢰 목록", "뒤로", "확인함, 입장", "검증 서버"):
        assert old not in korean, old
