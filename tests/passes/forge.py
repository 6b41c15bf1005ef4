"""Forging signed passes with hostile values at every key, for the fuzz tests.

A forged pass is structurally valid (COSE_Sign1 / CWT / hcert) and signed by a key the
test trusts, so each hostile value gets past the signature check and reaches the code
that reads it. `Edit`s say where a value goes; hypothesis strategies draw them.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Any

import cbor2
from hypothesis import strategies as st

from kiosk.passes import cose
from kiosk.passes.issue import PrivateKey, sign_claims

NOW = 1_780_000_000.0  # 2026-05-28
DAY = 86_400.0

NAM = {"fn": "Musterfrau", "fnt": "MUSTERFRAU", "gn": "Erika", "gnt": "ERIKA"}
ENTRIES: dict[str, dict[str, Any]] = {
    "v": {"tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528", "ma": "ORG-100030215", "dn": 2,
          "sd": 2, "dt": "2026-03-01", "co": "XA", "is": "Test issuer", "ci": "URN:UVCI:01:XA:FUZZ#V"},
    "t": {"tg": "840539006", "tt": "LP6464-4", "sc": "2026-05-27T20:00:00Z", "tr": "260415000",
          "tc": "Centre", "co": "XA", "is": "Test issuer", "ci": "URN:UVCI:01:XA:FUZZ#T"},
    "r": {"tg": "840539006", "fr": "2026-04-01", "df": "2026-04-12", "du": "2026-09-01", "co": "XA",
          "is": "Test issuer", "ci": "URN:UVCI:01:XA:FUZZ#R"},
}

# Where a hostile value can go: (place, key). Places are the CWT claims map, the hcert
# container (claim -260), the hcert, its name, its entry, and both COSE headers.
PLACES: dict[str, list[Any]] = {
    "cwt": [1, 4, 6, -260, 2, 99],
    "container": [1, 2],
    "hcert": ["ver", "nam", "dob", "v", "t", "r"],
    "nam": ["fn", "gn", "fnt", "gnt"],
    "entry": sorted({k for e in ENTRIES.values() for k in e}),
    "protected": [cose.HEADER_ALG, cose.HEADER_KID, 3],
    "unprotected": [cose.HEADER_ALG, cose.HEADER_KID, 3],
}

HUGE = 10**400


class Enormous:
    """Stands for 10**5000 until the pass is encoded: printing such an int raises ValueError
    (Python's int max str digits), and hypothesis prints what it drew."""

    def __repr__(self) -> str:
        return "Enormous(10**5000)"


def _materialize(value: Any) -> Any:
    if isinstance(value, Enormous):
        return 10**5000
    if isinstance(value, list):
        return [_materialize(v) for v in value]
    if isinstance(value, dict):
        return {k: _materialize(v) for k, v in value.items()}
    if isinstance(value, cbor2.CBORTag):
        return cbor2.CBORTag(value.tag, _materialize(value.value))
    return value


SPECIAL: list[Any] = [
    HUGE, -HUGE, Enormous(), 2**64, -(2**64) - 1, 2**63, -1, 0, math.nan, math.inf, -math.inf, 1e308,
    b"", b"\xff" * 9, "", "\x00", "2026-05-28", "2026-05-28T10:00:00Z", "9999-12-31T23:59:59-23:59",
    "0001-01-01", "LP6464-4", "LP217198-3", "260415000", "260373001", cbor2.undefined,
    cbor2.CBORTag(1, 10**30), cbor2.CBORTag(0, "not a date"), cbor2.CBORTag(4, (10**9, 1)),
    cbor2.CBORTag(30, (1, 0)), cbor2.CBORTag(258, (1, 2)), cbor2.CBORTag(9999, ("x", 1)),
]


@dataclass(frozen=True)
class Edit:
    place: str
    key: Any
    value: Any


def base_claims(kind: str = "v") -> dict[Any, Any]:
    hcert = {"ver": "1.3.0", "nam": dict(NAM), "dob": "1964-08-12", kind: [dict(ENTRIES[kind])]}
    return {1: "XA", 6: int(NOW - 10 * DAY), 4: int(NOW + 300 * DAY), -260: {1: hcert}}


def forge(key: PrivateKey, kid: bytes, kind: str, edits: list[Edit]) -> str:
    """An `HC1:` text with `edits` applied to a valid pass of `kind`, signed with `key`."""
    claims = copy.deepcopy(base_claims(kind))
    protected: dict[Any, Any] = {cose.HEADER_ALG: cose.ALG_ES256, cose.HEADER_KID: kid}
    unprotected: dict[Any, Any] = {}
    root: Any = claims
    for edit in edits:
        target = _target(claims, protected, unprotected, edit.place, kind)
        value = _materialize(edit.value)
        if edit.place == "root":
            root = value
        elif isinstance(target, dict):
            target[edit.key] = value
    return sign_claims(root, private_key=key, protected=protected, unprotected=unprotected)


def _target(claims: dict[Any, Any], protected: dict[Any, Any], unprotected: dict[Any, Any],
            place: str, kind: str) -> Any:
    if place == "protected":
        return protected
    if place == "unprotected":
        return unprotected
    if place == "cwt":
        return claims
    # Earlier edits may have replaced the containers: then there is nothing to edit below.
    container = claims.get(-260)
    if place == "container":
        return container
    hcert = container.get(1) if isinstance(container, dict) else None
    if place == "hcert":
        return hcert
    if not isinstance(hcert, dict):
        return None
    if place == "nam":
        return hcert.get("nam")
    entries = hcert.get(kind)
    return entries[0] if isinstance(entries, list) and entries else None


# --- hypothesis strategies -----------------------------------------------------------------------

map_keys = st.one_of(st.integers(-300, 300), st.text(max_size=4), st.binary(max_size=3))
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    # CBOR text is UTF-8: a lone surrogate cannot be encoded, so none is drawn here.
    st.text(max_size=20),
    st.binary(max_size=30),
    st.sampled_from(SPECIAL),
)
special = st.sampled_from(SPECIAL)
# Half the values are the known trouble-makers; the rest explore nested structures.
hostile_values = special | st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(map_keys, inner, max_size=3)
    | st.builds(cbor2.CBORTag, st.integers(0, 300), inner),
    max_leaves=5,
)


def _keys(known: list[Any]) -> st.SearchStrategy[Any]:
    return st.sampled_from(known) | st.sampled_from(known) | map_keys


# Built once: making strategies inside a draw costs more than the scan under test.
edits = st.one_of(
    st.builds(Edit, st.just("root"), st.none(), hostile_values),
    # Mostly the keys the code reads; sometimes any key (wrong key types, unknown claims).
    *(st.builds(Edit, st.just(place), _keys(keys), hostile_values) for place, keys in PLACES.items()),
)


def forged_passes(key: PrivateKey, kid: bytes) -> st.SearchStrategy[str]:
    """Signed passes with one to three hostile edits."""
    return st.builds(
        lambda kind, chosen: forge(key, kid, kind, chosen),
        st.sampled_from(sorted(ENTRIES)),
        st.lists(edits, min_size=1, max_size=3),
    )


def any_text() -> st.SearchStrategy[str]:
    """Any `str`: lone surrogates, control characters, pass prefixes, up to 64 KiB and beyond."""
    chars = st.text(alphabet=st.characters(exclude_categories=()), max_size=60)
    prefixed = st.builds(lambda p, t: p + t, st.sampled_from(["", "HC1:", "KP1:", " HC1:", "hc1:"]), chars)
    long = st.builds(_long_text, st.sampled_from(["", "HC1:", "KP1:"]), chars,
                     st.sampled_from([4_096, 64 * 1024, 64 * 1024 + 1, 70_000]))
    return st.one_of(prefixed, long)


def _long_text(prefix: str, unit: str, size: int) -> str:
    unit = unit or "\udcff"
    return (prefix + unit * (size // len(unit) + 1))[:size]
