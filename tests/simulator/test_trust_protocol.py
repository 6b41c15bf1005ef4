"""The DGCA trust-list protocol: status list, one certificate per update call, resume tokens, 204."""

from __future__ import annotations

import base64

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from kiosk.errors import TrustError
from kiosk.passes.signer import compute_kid, load_signer_cert
from kiosk.simulator.server import Simulator
from tests.simulator.conftest import AUTH, TIMEOUT


def walk(http: requests.Session, sim: Simulator, resume: str | None = None) -> list[requests.Response]:
    """Download the whole list as a DGCA client does; bounded so a broken server cannot loop forever."""
    pages = []
    for _ in range(50):
        headers = dict(AUTH)
        if resume is not None:
            headers["X-RESUME-TOKEN"] = resume
        r = http.get(sim.url + "/signercertificateUpdate", headers=headers, timeout=TIMEOUT)
        if r.status_code == 204:
            assert r.content == b""
            return pages
        assert r.status_code == 200, r.text
        pages.append(r)
        resume = r.headers["X-RESUME-TOKEN"]
    raise AssertionError("the update walk never reached 204")


def test_walk_to_the_end_yields_every_signer(sim: Simulator, http: requests.Session) -> None:
    pages = walk(http, sim)
    status = http.get(sim.url + "/signercertificateStatus", headers=AUTH, timeout=TIMEOUT)
    assert status.headers["Content-Type"].startswith("application/json")
    assert [p.headers["X-KID"] for p in pages] == status.json()
    assert len(pages) == 2
    kinds = set()
    for page in pages:
        der = base64.b64decode(page.text, validate=True)
        assert base64.b64decode(page.headers["X-KID"]) == compute_kid(der)
        signer = load_signer_cert(der)
        assert signer.country == page.headers["X-COUNTRY"]
        kinds.add("ec" if isinstance(signer.public_key, ec.EllipticCurvePublicKey) else "rsa")
        if isinstance(signer.public_key, rsa.RSAPublicKey):
            assert signer.public_key.key_size == 2048
        else:
            assert signer.public_key.curve.name == "secp256r1"
    assert kinds == {"ec", "rsa"}


def test_resume_token_continues_after_the_last_certificate_seen(
    sim: Simulator, http: requests.Session
) -> None:
    first, second = walk(http, sim)
    rest = walk(http, sim, resume=first.headers["X-RESUME-TOKEN"])
    assert [p.headers["X-KID"] for p in rest] == [second.headers["X-KID"]]
    assert walk(http, sim, resume=second.headers["X-RESUME-TOKEN"]) == []


def test_new_certificates_appear_after_the_old_resume_token(sim: Simulator, http: requests.Session) -> None:
    last = walk(http, sim)[-1].headers["X-RESUME-TOKEN"]
    http.post(sim.url + "/_sim/trust/malformed", timeout=TIMEOUT)
    added = walk(http, sim, resume=last)
    assert len(added) == 1


def test_malformed_certificate_is_published_and_unreadable(sim: Simulator, http: requests.Session) -> None:
    injected = http.post(sim.url + "/_sim/trust/malformed", timeout=TIMEOUT).json()
    pages = walk(http, sim)
    assert len(pages) == 3
    assert pages[-1].headers["X-KID"] == injected["kid"]
    assert (
        injected["kid"]
        in http.get(sim.url + "/signercertificateStatus", headers=AUTH, timeout=TIMEOUT).json()
    )
    with pytest.raises(TrustError):
        load_signer_cert(base64.b64decode(pages[-1].text))
    for page in pages[:-1]:
        load_signer_cert(base64.b64decode(page.text))  # the good ones still load


def test_bad_resume_token_and_auth(sim: Simulator, http: requests.Session) -> None:
    bad = http.get(
        sim.url + "/signercertificateUpdate", headers={**AUTH, "X-RESUME-TOKEN": "abc"}, timeout=TIMEOUT
    )
    assert (bad.status_code, bad.json()["error"]) == (400, "bad_resume_token")
    assert http.get(sim.url + "/signercertificateStatus", timeout=TIMEOUT).status_code == 401
