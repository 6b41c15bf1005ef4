"""Shared fixtures for the DCC tests: signer keys are slow to make (RSA), so build them once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.passes.issue import make_signer
from kiosk.passes.model import SignerCert
from kiosk.passes.signer import StaticTrust, load_signer_cert

T0 = 1_700_000_000.0  # 2023-11-14
DAY = 86_400.0

HCERT_V: dict[str, Any] = {
    "ver": "1.3.0",
    "nam": {"fn": "Musterfrau", "fnt": "MUSTERFRAU", "gn": "Erika", "gnt": "ERIKA"},
    "dob": "1964-08-12",
    "v": [
        {
            "tg": "840539006",
            "vp": "1119349007",
            "mp": "EU/1/20/1528",
            "ma": "ORG-100030215",
            "dn": 2,
            "sd": 2,
            "dt": "2023-09-01",
            "co": "DE",
            "is": "Robert Koch-Institut",
            "ci": "URN:UVCI:01DE/IZ12345A/5CWLU12RNOB9RXSEOP6FG8#W",
        }
    ],
}
HCERT_T: dict[str, Any] = {
    "ver": "1.3.0",
    "nam": {"fn": "Kim", "fnt": "KIM", "gn": "Minsu", "gnt": "MINSU"},
    "dob": "1990-01-01",
    "t": [
        {
            "tg": "840539006",
            "tt": "LP6464-4",
            "sc": "2023-11-13T10:00:00Z",
            "tr": "260415000",
            "tc": "Test centre",
            "co": "DE",
            "is": "Robert Koch-Institut",
            "ci": "URN:UVCI:01DE/TEST/0001#X",
        }
    ],
}


@dataclass(frozen=True)
class Signer:
    alg: str
    key: Any
    der: bytes
    cert: SignerCert

    @property
    def trust(self) -> StaticTrust:
        return StaticTrust([self.cert])


def _signer(alg: str, key_usage: frozenset[str] | None, **kw: Any) -> Signer:
    key, der = make_signer(alg, "DE", f"DSC {alg}", key_usage, T0 - 365 * DAY, T0 + 365 * DAY, **kw)
    return Signer(alg, key, der, load_signer_cert(der))


@pytest.fixture(scope="session")
def es256() -> Signer:
    return _signer("ES256", None)


@pytest.fixture(scope="session")
def ps256() -> Signer:
    return _signer("PS256", None)


@pytest.fixture(scope="session")
def p384() -> Signer:
    return _signer("ES256", None, ec_curve=ec.SECP384R1())


@pytest.fixture(scope="session")
def test_only() -> Signer:
    return _signer("ES256", frozenset({"t"}))
