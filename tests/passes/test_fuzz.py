"""Hypothesis fuzzing: whatever comes in, only a DccCheck (or a TrustError) comes out."""

from __future__ import annotations

import contextlib
import zlib

import base45
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.errors import TrustError
from kiosk.passes.dcc import check_dcc
from kiosk.passes.model import DccCheck, SignatureState
from kiosk.passes.signer import load_signer_cert
from tests.passes.conftest import DAY, HCERT_V, T0, Signer

_SETTINGS = settings(
    max_examples=2 * settings.default.max_examples,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
_B45_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def _valid_raw(signer: Signer) -> bytes:
    from kiosk.passes.issue import issue_dcc

    text = issue_dcc(HCERT_V, private_key=signer.key, kid=signer.cert.kid, issuer="DE",
                     issued_at=T0, expires_at=T0 + DAY)
    return zlib.decompress(base45.b45decode(text[4:]))


@_SETTINGS
@given(st.text(max_size=400))
def test_arbitrary_text(es256: Signer, text: str) -> None:
    assert isinstance(check_dcc(text, es256.trust, T0), DccCheck)


@_SETTINGS
@given(st.text(alphabet=_B45_ALPHABET, max_size=600))
def test_arbitrary_base45_body(es256: Signer, body: str) -> None:
    check = check_dcc("HC1:" + body, es256.trust, T0)
    assert isinstance(check, DccCheck)
    assert check.signature is not SignatureState.VALID


@_SETTINGS
@given(st.data())
def test_mutated_valid_pass_never_verifies_unless_unchanged(es256: Signer, data: st.DataObject) -> None:
    raw = bytearray(_valid_raw(es256))
    for _ in range(data.draw(st.integers(1, 4))):
        pos = data.draw(st.integers(0, len(raw) - 1))
        raw[pos] = data.draw(st.integers(0, 255))
    text = "HC1:" + base45.b45encode(zlib.compress(bytes(raw))).decode()
    check = check_dcc(text, es256.trust, T0)
    assert isinstance(check, DccCheck)
    if check.signature is SignatureState.VALID:
        # Only changes outside the signed bytes (e.g. the unprotected header) may still verify.
        assert check.payload == HCERT_V


@_SETTINGS
@given(st.binary(max_size=600) | st.text(max_size=600))
def test_load_signer_cert_only_raises_trust_error(data: bytes | str) -> None:
    with contextlib.suppress(TrustError):
        load_signer_cert(data)


@_SETTINGS
@given(st.data())
def test_mutated_certificate_only_raises_trust_error(es256: Signer, data: st.DataObject) -> None:
    der = bytearray(es256.der)
    for _ in range(data.draw(st.integers(1, 3))):
        der[data.draw(st.integers(0, len(der) - 1))] = data.draw(st.integers(0, 255))
    with contextlib.suppress(TrustError):
        load_signer_cert(bytes(der))
