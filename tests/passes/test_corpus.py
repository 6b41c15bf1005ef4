"""The EU DCC test corpus: every case × every expectation this module can judge.

Disagreements with the corpus are marked xfail(strict) by a property of the
case data, never by file name:
- the case's own CBOR field decodes to a payload that differs from its JSON
  field (the corpus is inconsistent with itself; we return what was signed);
- the signer certificate's extensions cannot be parsed, so we report the key
  usage as "unknown" by design (docs/decisions/0007) where the corpus expects "ok".
"""

from __future__ import annotations

import functools
import random
import zlib
from typing import Any

import base45
import cbor2
import pytest

from kiosk.passes.dcc import check_dcc
from kiosk.passes.model import DccCheck, KeyUsageState, SignatureState, Stage
from tests.passes.corpus import LATER_EXPECTATIONS, Case, corpus_disagreement, load_cases

pytestmark = pytest.mark.corpus

_BEFORE = {
    "EXPECTEDUNPREFIX": {Stage.PREFIX},
    "EXPECTEDB45DECODE": {Stage.PREFIX, Stage.BASE45},
    "EXPECTEDCOMPRESSION": {Stage.PREFIX, Stage.BASE45, Stage.ZLIB},
}
SUPPORTED = (*_BEFORE, *LATER_EXPECTATIONS)
# The validation time when a case gives none: only the expiration check depends on it.
_NO_CLOCK = 0.0

CASES = load_cases()


@functools.cache
def _check(index: int) -> DccCheck:
    case = CASES[index]
    at = case.clock()
    return check_dcc(case.text, case.trust(), _NO_CLOCK if at is None else at)


def _actual(key: str, check: DccCheck, case: Case) -> bool:
    if key in _BEFORE:
        return check.stage_error not in _BEFORE[key]
    if key == "EXPECTEDDECODE":
        return check.decoded
    if key == "EXPECTEDVALIDJSON":
        return check.decoded and check.payload == case.data.get("JSON")
    if key == "EXPECTEDVERIFY":
        return check.signature is SignatureState.VALID
    if key == "EXPECTEDEXPIRATIONCHECK":
        return check.expired is False
    if key == "EXPECTEDKEYUSAGE":
        return check.key_usage is KeyUsageState.OK
    raise AssertionError(f"unsupported key {key}")


def _params() -> list[Any]:
    if not CASES:
        skip = pytest.mark.skip(reason="DCC corpus not found at ../shared/testdata/dgc")
        return [pytest.param(None, None, marks=skip)]
    params = []
    for index, case in enumerate(CASES):
        for key in SUPPORTED:
            if key not in case.expected:
                continue
            if key == "EXPECTEDEXPIRATIONCHECK" and case.clock() is None:
                continue
            reason = corpus_disagreement(case, key)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            params.append(pytest.param(index, key, id=f"{case.name}:{key}", marks=marks))
    return params


@pytest.mark.parametrize(("index", "key"), _params())
def test_expectation(index: int, key: str) -> None:
    case = CASES[index]
    check = _check(index)
    assert _actual(key, check, case) is case.expected[key], (
        f"stage={check.stage_error} detail={check.error_detail} signature={check.signature} "
        f"expired={check.expired} key_usage={check.key_usage}"
    )


# --- forged passes: one flipped bit must never verify --------------------------------------


def _reencode(text: str, *, flip_signature: bool, rng: random.Random) -> str:
    outer = cbor2.loads(zlib.decompress(base45.b45decode(text.strip()[4:])))
    tags = []
    while isinstance(outer, cbor2.CBORTag):
        tags.append(outer.tag)
        outer = outer.value
    protected, unprotected, payload, signature = outer
    target = bytearray(signature if flip_signature else payload)
    bit = rng.randrange(len(target) * 8)
    target[bit // 8] ^= 1 << (bit % 8)
    if flip_signature:
        signature = bytes(target)
    else:
        payload = bytes(target)
    item: Any = [protected, dict(unprotected), payload, signature]
    for tag in reversed(tags):
        item = cbor2.CBORTag(tag, item)
    return "HC1:" + base45.b45encode(zlib.compress(cbor2.dumps(item))).decode()


def _valid_indices() -> list[Any]:
    found = [
        pytest.param(i, id=case.name)
        for i, case in enumerate(CASES)
        if case.expected.get("EXPECTEDVERIFY") and _check(i).signature is SignatureState.VALID
    ]
    return found or [pytest.param(None, marks=pytest.mark.skip(reason="no verifiable corpus case"))]


@pytest.mark.parametrize("index", _valid_indices())
@pytest.mark.parametrize("part", ["signature", "payload"])
def test_flipped_bit_never_verifies(index: int, part: str) -> None:
    case = CASES[index]
    rng = random.Random(index)
    trust = case.trust()
    at = case.clock() or _NO_CLOCK
    for _ in range(3):
        forged = _reencode(case.text, flip_signature=part == "signature", rng=rng)
        check = check_dcc(forged, trust, at)
        assert check.signature is not SignatureState.VALID
