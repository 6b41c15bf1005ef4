"""Plausible health-certificate payloads for the demo phone (`POST /v1/dcc`).

Values follow the EU DCC value sets (SNOMED/LOINC codes) so the kiosk's business
rules see what a real issuer would put there. Dates are relative to the
simulator's clock so a pass issued in a demo is valid in that demo.
"""

from __future__ import annotations

import random
import string
import unicodedata
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from kiosk.clock import utc_datetime
from kiosk.errors import InputError

COVID_19 = "840539006"
TEST_TYPES = {"naa": "LP6464-4", "rat": "LP217198-3"}
TEST_RESULTS = {"not_detected": "260415000", "detected": "260373001"}
_UVCI_ALPHABET = string.ascii_uppercase + string.digits


def make_uci(rng: random.Random, country: str) -> str:
    body = "".join(rng.choice(_UVCI_ALPHABET) for _ in range(26))
    return f"URN:UVCI:01:{country}:{body}"


def icao_transliteration(name: str) -> str:
    """The machine-readable form (`fnt`/`gnt`): A-Z and '<' only, like an MRZ."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = "".join(c for c in decomposed if c.isascii())
    out = "".join(c if c.isalpha() else "<" for c in ascii_only.upper().strip())
    return out or "X"


def _number(body: Mapping[str, Any], key: str, default: float, low: float, high: float) -> float:
    value = body.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise InputError(f"'{key}' must be a number between {low:g} and {high:g}")
    return float(value)


def _text(body: Mapping[str, Any], key: str, default: str, max_len: int = 80) -> str:
    value = body.get(key, default)
    if not isinstance(value, str) or not value.strip() or len(value) > max_len:
        raise InputError(f"'{key}' must be a non-empty string of at most {max_len} characters")
    return value.strip()


def build_hcert(body: Mapping[str, Any], *, now: float, country: str, uci: str) -> tuple[str, dict[str, Any]]:
    """(certificate type, hcert) from a `/v1/dcc` request body; InputError on bad fields."""
    cert_type = body.get("type")
    if cert_type not in ("v", "t", "r"):
        raise InputError("'type' must be one of v, t, r")
    family = _text(body, "family_name", "Musterfrau")
    given = _text(body, "given_name", "Erika")
    dob = _text(body, "dob", "1990-01-01", 10)
    today = utc_datetime(now)
    common = {"tg": COVID_19, "co": country, "is": "Venue Pass Kiosk upstream simulator", "ci": uci}
    entry: dict[str, Any]
    if cert_type == "v":
        days_ago = _number(body, "days_ago", 30, 0, 3650)
        sd = int(_number(body, "sd", 2, 1, 9))
        dn = int(_number(body, "dn", sd, 1, 9))
        entry = {
            **common,
            "vp": "1119349007",
            "mp": "EU/1/20/1528",
            "ma": "ORG-100030215",
            "dn": dn,
            "sd": sd,
            "dt": (today - timedelta(days=days_ago)).date().isoformat(),
        }
    elif cert_type == "t":
        hours_ago = _number(body, "hours_ago", 12, 0, 24 * 365)
        test_type = body.get("test_type", "naa")
        result = body.get("result", "not_detected")
        if test_type not in TEST_TYPES:
            raise InputError("'test_type' must be one of naa, rat")
        if result not in TEST_RESULTS:
            raise InputError("'result' must be one of not_detected, detected")
        entry = {
            **common,
            "tt": TEST_TYPES[test_type],
            "sc": (today - timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "tr": TEST_RESULTS[result],
            "tc": "Simulator test centre",
        }
    else:
        days_ago = _number(body, "days_ago", 20, 0, 3650)
        first_positive = today - timedelta(days=days_ago)
        entry = {
            **common,
            "fr": first_positive.date().isoformat(),
            "df": (first_positive + timedelta(days=11)).date().isoformat(),
            "du": (first_positive + timedelta(days=180)).date().isoformat(),
        }
    hcert = {
        "ver": "1.3.0",
        "nam": {
            "fn": family,
            "fnt": icao_transliteration(family),
            "gn": given,
            "gnt": icao_transliteration(given),
        },
        "dob": dob,
        cert_type: [entry],
    }
    return cert_type, hcert
