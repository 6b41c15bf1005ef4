"""The simulator signs every list it publishes, can publish a tampered entry, and can serve a
`Date` that is off: what the kiosk's signature and clock checks are tested against."""

from __future__ import annotations

import base64
from email.utils import parsedate_to_datetime

import pytest
import requests
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_der_public_key

from kiosk.simulator.server import Simulator
from tests.simulator.conftest import AUTH, TIMEOUT


def verifies(sim: Simulator, resp: requests.Response) -> bool:
    key = load_der_public_key(base64.b64decode(sim.state.list_signing_key))
    assert isinstance(key, ec.EllipticCurvePublicKey)
    try:
        key.verify(base64.b64decode(resp.headers["X-SIGNATURE"]), resp.content, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True


@pytest.mark.parametrize("path", ["/signercertificateStatus", "/v1/trust/issuers", "/v1/revocations"])
def test_every_list_answer_is_signed_over_its_body(sim: Simulator, http: requests.Session, path: str) -> None:
    resp = http.get(sim.url + path, headers=AUTH, timeout=TIMEOUT)
    assert resp.status_code == 200 and verifies(sim, resp)


def test_each_certificate_of_the_update_stream_is_signed(sim: Simulator, http: requests.Session) -> None:
    token, seen = None, 0
    while True:
        headers = AUTH if token is None else {**AUTH, "X-RESUME-TOKEN": token}
        resp = http.get(sim.url + "/signercertificateUpdate", headers=headers, timeout=TIMEOUT)
        if resp.status_code == 204:
            break
        assert verifies(sim, resp)
        token, seen = resp.headers["X-RESUME-TOKEN"], seen + 1
    assert seen == len(sim.state.trust_list()) == 2


def test_a_tampered_entry_carries_a_signature_that_does_not_verify(
    sim: Simulator, http: requests.Session
) -> None:
    added = http.post(sim.url + "/_sim/trust/tampered", timeout=TIMEOUT).json()
    last = str(added["id"] - 1)
    resp = http.get(
        sim.url + "/signercertificateUpdate", headers={**AUTH, "X-RESUME-TOKEN": last}, timeout=TIMEOUT
    )
    assert resp.headers["X-KID"] == added["kid"]
    assert resp.headers["X-SIGNATURE"] and not verifies(sim, resp)
    # It is listed like any other, and stays until a reset.
    status = http.get(sim.url + "/signercertificateStatus", headers=AUTH, timeout=TIMEOUT)
    assert added["kid"] in status.json() and verifies(sim, status)


def test_the_list_key_is_public_in_the_stats(sim: Simulator, http: requests.Session) -> None:
    stats = http.get(sim.url + "/_sim/stats", timeout=TIMEOUT).json()
    assert stats["list_signing_key"] == sim.state.list_signing_key


def test_the_date_header_can_be_set_off(sim: Simulator, http: requests.Session) -> None:
    def served_date() -> float:
        resp = http.get(sim.url + "/v1/health", timeout=TIMEOUT)
        return parsedate_to_datetime(resp.headers["Date"]).timestamp()

    honest = served_date()
    sim.date_offset_s = 600.0
    try:
        assert 598 <= served_date() - honest <= 602
    finally:
        sim.date_offset_s = 0.0
