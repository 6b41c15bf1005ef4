"""Reading the EU DCC test corpus (../shared/testdata/dgc): cases, their trust and clock."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import cbor2

from kiosk.passes.signer import StaticTrust, load_signer_cert

CORPUS_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "testdata" / "dgc"
# The misspelt key used by a few ES cases means the expiration check.
KEY_ALIASES = {"EXPTECTEDEXPIRED": "EXPECTEDEXPIRATIONCHECK"}
# The expectations judged once the pass is decoded, by the library and the CLI alike; the
# three before them (prefix, base45, zlib) are judged by the stage that failed.
LATER_EXPECTATIONS = (
    "EXPECTEDDECODE",
    "EXPECTEDVALIDJSON",
    "EXPECTEDVERIFY",
    "EXPECTEDEXPIRATIONCHECK",
    "EXPECTEDKEYUSAGE",
)


@dataclass(frozen=True)
class Case:
    name: str  # path relative to the corpus, for test ids only
    data: dict[str, Any]

    @property
    def text(self) -> str:
        return str(self.data.get("PREFIX", ""))

    @property
    def expected(self) -> dict[str, bool]:
        raw = self.data.get("EXPECTEDRESULTS", {})
        return {KEY_ALIASES.get(k, k): v for k, v in raw.items() if isinstance(v, bool)}

    @property
    def context(self) -> dict[str, Any]:
        ctx = self.data.get("TESTCTX", {})
        return ctx if isinstance(ctx, dict) else {}

    def trust(self) -> StaticTrust:
        cert = self.context.get("CERTIFICATE")
        return StaticTrust([load_signer_cert(cert)] if cert else [])

    def clock(self) -> float | None:
        value = self.context.get("VALIDATIONCLOCK")
        return parse_clock(value) if value else None


def parse_clock(value: str) -> float:
    """ISO 8601 in the corpus's many spellings; no zone means UTC."""
    parsed = datetime.fromisoformat(value.strip())
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def load_cases() -> list[Case]:
    if not CORPUS_DIR.is_dir():
        return []
    cases = []
    for path in sorted(CORPUS_DIR.rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "PREFIX" in data:
            cases.append(Case(str(path.relative_to(CORPUS_DIR)), data))
    return cases


def _cbor_field_payload(case: Case) -> Any:
    """The hcert inside the case's own CBOR field, decoded independently of our chain."""
    try:
        claims = cbor2.loads(bytes.fromhex(case.data["CBOR"]))
        return claims[-260][1]
    except Exception:
        return None


def corpus_disagreement(case: Case, key: str) -> str | None:
    """Why we expect to disagree with this expectation, judged from the case data, or None."""
    if key == "EXPECTEDVALIDJSON" and case.expected.get(key) and "CBOR" in case.data:
        signed = _cbor_field_payload(case)
        if signed is not None and signed != case.data.get("JSON"):
            return "corpus inconsistent: its CBOR field signs a payload different from its JSON field"
    return None
