"""The issuing side round-trips through the verifier (the simulator depends on this)."""

from __future__ import annotations

import pytest

from kiosk.passes.dcc import check_dcc
from kiosk.passes.issue import issue_dcc, make_signer
from kiosk.passes.model import KeyUsageState, SignatureState
from kiosk.passes.signer import load_signer_cert
from tests.passes.conftest import DAY, HCERT_T, HCERT_V, T0, Signer


@pytest.mark.parametrize("signer_name", ["es256", "ps256"])
def test_issued_pass_verifies(signer_name: str, request: pytest.FixtureRequest) -> None:
    signer: Signer = request.getfixturevalue(signer_name)
    text = issue_dcc(
        HCERT_V, private_key=signer.key, kid=signer.cert.kid, issuer="DE",
        issued_at=T0, expires_at=T0 + 30 * DAY, alg=signer.alg,
    )
    assert text.startswith("HC1:")
    check = check_dcc(text, signer.trust, T0 + DAY)
    assert check.decoded and check.stage_error is None
    assert check.signature is SignatureState.VALID
    assert check.expired is False
    assert check.key_usage is KeyUsageState.OK
    assert check.payload == HCERT_V
    assert (check.issuer, check.issued_at, check.expires_at) == ("DE", T0, T0 + 30 * DAY)
    assert check.cert_type == "v"
    assert check.uci == HCERT_V["v"][0]["ci"]
    assert check.kid == signer.cert.kid


def test_wrong_signer_does_not_verify(es256: Signer) -> None:
    other_key, _ = make_signer("ES256", "DE", "other", None, T0 - DAY, T0 + DAY)
    # Signed by another key but claiming es256's kid: a forgery.
    text = issue_dcc(HCERT_V, private_key=other_key, kid=es256.cert.kid, issuer="DE",
                     issued_at=T0, expires_at=T0 + DAY)
    assert check_dcc(text, es256.trust, T0).signature is SignatureState.INVALID


def test_make_signer_key_usage_oids(test_only: Signer) -> None:
    assert test_only.cert.allowed_types == frozenset({"t"})
    assert test_only.cert.country == "DE"
    text = issue_dcc(HCERT_V, private_key=test_only.key, kid=test_only.cert.kid, issuer="DE",
                     issued_at=T0, expires_at=T0 + DAY)
    assert check_dcc(text, test_only.trust, T0).key_usage is KeyUsageState.MISMATCH
    text_t = issue_dcc(HCERT_T, private_key=test_only.key, kid=test_only.cert.kid, issuer="DE",
                       issued_at=T0, expires_at=T0 + DAY)
    assert check_dcc(text_t, test_only.trust, T0).key_usage is KeyUsageState.OK


def test_eku_variant_oid_is_understood() -> None:
    _, der = make_signer("ES256", "NL", "v only", frozenset({"v", "r"}), T0, T0 + DAY, eku_variant=True)
    assert load_signer_cert(der).allowed_types == frozenset({"v", "r"})


def test_unsupported_algorithm_is_refused(es256: Signer) -> None:
    with pytest.raises(ValueError):
        make_signer("EdDSA", "DE", "x", None, T0, T0 + DAY)
    with pytest.raises(ValueError):
        issue_dcc(HCERT_V, private_key=es256.key, kid=b"k", issuer="DE", issued_at=T0,
                  expires_at=T0 + DAY, alg="HS256")
    with pytest.raises(TypeError):  # EC key with PS256 label
        issue_dcc(HCERT_V, private_key=es256.key, kid=b"k", issuer="DE", issued_at=T0,
                  expires_at=T0 + DAY, alg="PS256")
