"""The upstream API over real sockets: auth, verify, tokens, revocations, visit uploads."""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import re

import pytest
import requests

from kiosk.clock import ManualClock
from kiosk.passes.issue import issue_dcc, make_signer
from kiosk.passes.signer import compute_kid
from kiosk.simulator.server import Simulator
from tests.simulator.conftest import AUTH, TIMEOUT


def post(http: requests.Session, sim: Simulator, path: str, body: object, **kw: object) -> requests.Response:
    headers = {**AUTH, **kw.pop("headers", {})}  # type: ignore[dict-item]
    return http.post(sim.url + path, json=body, headers=headers, timeout=TIMEOUT, **kw)  # type: ignore[arg-type]


def new_dcc(http: requests.Session, sim: Simulator, **body: object) -> dict:
    r = post(http, sim, "/v1/dcc", {"type": "v", **body})
    assert r.status_code == 201, r.text
    return r.json()


def verify(http: requests.Session, sim: Simulator, text: str, at: float) -> dict:
    r = post(http, sim, "/v1/verify", {"kiosk_id": "k-1", "pass": text, "scanned_at": at})
    assert r.status_code == 200, r.text
    return r.json()


def visit(vid: str, **extra: object) -> dict:
    return {
        "id": vid,
        "scanned_at": 1_780_000_000.5,
        "kind": "dcc",
        "pass_hash": hashlib.sha256(vid.encode()).hexdigest(),
        "decision": "admit",
        "reason": "valid",
        "verified_by": "offline",
        **extra,
    }


def batch(http: requests.Session, sim: Simulator, visits: list, key: str) -> requests.Response:
    return post(
        http, sim, "/v1/visits:batch", {"kiosk_id": "k-1", "visits": visits}, headers={"Idempotency-Key": key}
    )


# --- transport and auth ---------------------------------------------------------------------


def test_health_is_open_and_cheap(sim: Simulator, http: requests.Session, clock: ManualClock) -> None:
    r = http.get(sim.url + "/v1/health", timeout=TIMEOUT)
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "time": clock.now()}


@pytest.mark.parametrize("header", [None, "Bearer wrong-key", "Basic ZGVtby1rZXk6", "Bearer"])
def test_api_needs_a_known_bearer_key(sim: Simulator, http: requests.Session, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    r = http.post(sim.url + "/v1/tokens", headers=headers, timeout=TIMEOUT)
    assert r.status_code == 401
    assert r.json()["error"] == "unauthorized"
    assert r.headers["WWW-Authenticate"].startswith("Bearer")


def test_custom_key_set(shared_state, http: requests.Session) -> None:
    with Simulator(state=shared_state, api_keys=["kiosk-a", "kiosk-b"]) as sim:
        ok = http.post(sim.url + "/v1/tokens", headers={"Authorization": "Bearer kiosk-b"}, timeout=TIMEOUT)
        demo = http.post(sim.url + "/v1/tokens", headers=AUTH, timeout=TIMEOUT)
    assert ok.status_code == 201
    assert demo.status_code == 401


def test_unknown_path_and_wrong_method_are_json_errors(sim: Simulator, http: requests.Session) -> None:
    missing = http.get(sim.url + "/v2/nothing", headers=AUTH, timeout=TIMEOUT)
    wrong = http.get(sim.url + "/v1/verify", headers=AUTH, timeout=TIMEOUT)
    assert (missing.status_code, missing.json()["error"]) == (404, "not_found")
    assert (wrong.status_code, wrong.json()["error"]) == (405, "method_not_allowed")
    assert wrong.headers["Allow"] == "POST"


def test_bad_json_and_oversized_bodies_are_refused(sim: Simulator, http: requests.Session) -> None:
    bad = http.post(sim.url + "/v1/verify", data=b"{not json", headers=AUTH, timeout=TIMEOUT)
    assert (bad.status_code, bad.json()["error"]) == (400, "invalid_json")
    huge = http.post(sim.url + "/v1/verify", data=b"x" * (1024 * 1024 + 1), headers=AUTH, timeout=TIMEOUT)
    assert huge.status_code == 413
    assert huge.json()["error"] == "body_too_large"
    # The server closed that connection; the session reconnects and carries on.
    assert http.get(sim.url + "/v1/health", timeout=TIMEOUT).status_code == 200


def test_keep_alive_serves_several_requests_on_one_connection(sim: Simulator) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", sim.port, timeout=TIMEOUT)
    try:
        conn.request("GET", "/v1/health")
        first = conn.getresponse()
        first.read()
        sock = conn.sock
        conn.request("POST", "/v1/tokens", headers=AUTH)
        second = conn.getresponse()
        second.read()
        assert (first.status, second.status) == (200, 201)
        assert conn.sock is sock and sock is not None
    finally:
        conn.close()


def test_stop_closes_pooled_connections(shared_state, http: requests.Session) -> None:
    sim = Simulator(state=shared_state).start()
    url = sim.url
    assert http.get(url + "/v1/health", timeout=TIMEOUT).status_code == 200
    sim.stop()
    with pytest.raises(requests.ConnectionError):
        http.get(url + "/v1/health", timeout=TIMEOUT)


# --- verify: DCC ----------------------------------------------------------------------------


def test_issued_dcc_verifies_with_a_masked_holder(sim: Simulator, http: requests.Session, clock) -> None:
    issued = new_dcc(http, sim, family_name="Hong", given_name="Gildong")
    assert issued["pass"].startswith("HC1:")
    out = verify(http, sim, issued["pass"], clock.now())
    assert (out["result"], out["reason"]) == ("valid", "valid")
    assert "holder" in out
    assert "Hong" not in out["holder"] and "Gildong" not in out["holder"]


def test_korean_holder_is_masked_too(sim: Simulator, http: requests.Session, clock) -> None:
    issued = new_dcc(http, sim, family_name="홍", given_name="길동")
    out = verify(http, sim, issued["pass"], clock.now())
    assert out["result"] == "valid"
    assert "길동" not in out["holder"]


@pytest.mark.parametrize(("cert_type", "alg"), [("v", "PS256"), ("t", "ES256"), ("r", "ES256")])
def test_every_certificate_type_and_both_algorithms(sim, http, clock, cert_type: str, alg: str) -> None:
    issued = new_dcc(http, sim, type=cert_type, alg=alg)
    assert (issued["type"], issued["alg"]) == (cert_type, alg)
    assert verify(http, sim, issued["pass"], clock.now())["result"] == "valid"


def test_revoked_dcc(sim: Simulator, http: requests.Session, clock: ManualClock) -> None:
    issued = new_dcc(http, sim)
    r = http.post(sim.url + "/_sim/revoke", json={"uci": issued["uci"]}, timeout=TIMEOUT)
    assert r.json()["uci_hash"] == hashlib.sha256(issued["uci"].encode()).hexdigest()
    assert verify(http, sim, issued["pass"], clock.now())["result"] == "revoked"
    assert verify(http, sim, new_dcc(http, sim)["pass"], clock.now())["result"] == "valid"


def test_dcc_scanned_after_its_expiry(sim: Simulator, http: requests.Session, clock: ManualClock) -> None:
    issued = new_dcc(http, sim)
    out = verify(http, sim, issued["pass"], issued["expires_at"] + 60)
    assert (out["result"], out["reason"]) == ("expired", "expired")


def test_forged_dcc_is_invalid(sim: Simulator, http: requests.Session, clock: ManualClock) -> None:
    import zlib

    import base45

    text = new_dcc(http, sim)["pass"]
    raw = bytearray(zlib.decompress(base45.b45decode(text[4:])))
    raw[-5] ^= 0x01  # inside the signature
    forged = "HC1:" + base45.b45encode(zlib.compress(bytes(raw))).decode()
    out = verify(http, sim, forged, clock.now())
    assert (out["result"], out["reason"]) == ("invalid", "bad_signature")


def test_dcc_from_an_unknown_signer(sim: Simulator, http: requests.Session, clock: ManualClock) -> None:
    key, der = make_signer("ES256", "XB", "Stranger", None, clock.now() - 10, clock.now() + 1e6)
    text = issue_dcc(
        {
            "ver": "1.3.0",
            "nam": {"fn": "A", "fnt": "A"},
            "dob": "1990-01-01",
            "v": [{"ci": "URN:UVCI:01:XB:1", "dn": 2, "sd": 2}],
        },
        private_key=key,
        kid=compute_kid(der),
        issuer="XB",
        issued_at=clock.now(),
        expires_at=clock.now() + 1e6,
    )
    out = verify(http, sim, text, clock.now())
    assert (out["result"], out["reason"]) == ("invalid", "unknown_signer")


@pytest.mark.parametrize("text", ["hello", "HC1:!!!", "NZCP:/1/xyz"])
def test_texts_that_are_no_valid_pass(sim, http, clock, text: str) -> None:
    out = verify(http, sim, text, clock.now())
    assert out["result"] in ("unknown", "invalid")
    assert "holder" not in out


def test_verify_validates_its_input(sim: Simulator, http: requests.Session) -> None:
    for body in (
        {"pass": "KP1:x", "scanned_at": 1},
        {"kiosk_id": "k", "scanned_at": 1},
        {"kiosk_id": "k", "pass": "KP1:x", "scanned_at": "yesterday"},
    ):
        r = post(http, sim, "/v1/verify", body)
        assert r.status_code == 400, body
        assert r.json()["error"] == "bad_request"
    iso = post(
        http, sim, "/v1/verify", {"kiosk_id": "k", "pass": "KP1:x", "scanned_at": "2026-11-25T08:00:00"}
    )
    assert iso.status_code == 200


def test_dcc_request_validation(sim: Simulator, http: requests.Session) -> None:
    for body in ({"type": "x"}, {"type": "v", "alg": "RS256"}, {"type": "t", "result": "maybe"}):
        r = post(http, sim, "/v1/dcc", body)
        assert r.status_code == 400, body
        assert r.json()["message"]


# --- verify: check-in tokens ------------------------------------------------------------------


def test_token_is_redeemed_once(sim: Simulator, http: requests.Session, clock: ManualClock) -> None:
    r = post(http, sim, "/v1/tokens", None)
    assert r.status_code == 201
    token = r.json()["token"]
    assert re.fullmatch(r"KP1:[A-Za-z0-9_-]{32}", token)
    assert r.json()["expires_at"] - r.json()["issued_at"] == 30
    assert verify(http, sim, token, clock.now()) == {"result": "valid", "reason": "valid"}
    assert verify(http, sim, token, clock.now()) == {"result": "invalid", "reason": "already_used"}


def test_tokens_are_distinct(sim: Simulator, http: requests.Session) -> None:
    tokens = {post(http, sim, "/v1/tokens", None).json()["token"] for _ in range(20)}
    assert len(tokens) == 20


def test_token_expires_after_30_seconds(sim: Simulator, http: requests.Session, clock: ManualClock) -> None:
    early, late = (post(http, sim, "/v1/tokens", None).json()["token"] for _ in range(2))
    clock.advance(30)
    assert verify(http, sim, early, clock.now())["result"] == "valid"
    clock.advance(0.5)
    assert verify(http, sim, late, clock.now()) == {"result": "expired", "reason": "expired"}


def test_unknown_token(sim: Simulator, http: requests.Session, clock: ManualClock) -> None:
    fake = "KP1:" + base64.urlsafe_b64encode(b"\0" * 24).decode()
    assert verify(http, sim, fake, clock.now()) == {"result": "unknown", "reason": "unknown_token"}


# --- revocations ------------------------------------------------------------------------------


def test_revocations_since(sim: Simulator, http: requests.Session, clock: ManualClock) -> None:
    http.post(sim.url + "/_sim/revoke", json={"uci": "URN:UVCI:01:XA:OLD"}, timeout=TIMEOUT)
    clock.advance(10)
    cut = clock.now()
    http.post(sim.url + "/_sim/revoke", json={"uci": "URN:UVCI:01:XA:NEW"}, timeout=TIMEOUT)
    everything = http.get(sim.url + "/v1/revocations", headers=AUTH, timeout=TIMEOUT).json()
    recent = http.get(
        sim.url + "/v1/revocations", params={"since": cut}, headers=AUTH, timeout=TIMEOUT
    ).json()
    new_hash = hashlib.sha256(b"URN:UVCI:01:XA:NEW").hexdigest()
    assert len(everything["revocations"]) == 2
    assert [e["uci_hash"] for e in recent["revocations"]] == [new_hash]
    assert recent["until"] == clock.now()
    bad = http.get(sim.url + "/v1/revocations", params={"since": "soon"}, headers=AUTH, timeout=TIMEOUT)
    assert bad.status_code == 400


# --- visit uploads ----------------------------------------------------------------------------


def test_same_batch_twice_is_stored_once(sim: Simulator, http: requests.Session) -> None:
    visits = [visit("v-1"), visit("v-2")]
    first = batch(http, sim, visits, "key-1")
    again = batch(http, sim, visits, "key-1")
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() == {"accepted": ["v-1", "v-2"], "rejected": []}
    assert again.headers.get("Idempotent-Replayed") == "true"
    counters = sim.state.counters()
    assert (counters.stored, counters.replays, counters.duplicates) == (2, 1, 0)
    assert sorted(v["id"] for v in sim.state.stored_visits()) == ["v-1", "v-2"]


def test_same_id_in_two_batches_is_accepted_but_stored_once(sim: Simulator, http: requests.Session) -> None:
    assert batch(http, sim, [visit("v-1")], "key-a").json()["accepted"] == ["v-1"]
    second = batch(http, sim, [visit("v-1"), visit("v-3")], "key-b").json()
    assert second == {"accepted": ["v-1", "v-3"], "rejected": []}
    counters = sim.state.counters()
    assert (counters.received, counters.stored, counters.duplicates) == (3, 2, 1)


def test_partial_acceptance(sim: Simulator, http: requests.Session) -> None:
    visits = [
        visit("ok-1"),
        visit("bad-hash", pass_hash="HC1:raw pass text"),
        visit("bad-decision", decision="maybe"),
        {k: v for k, v in visit("no-kind").items() if k != "kind"},
        visit("leaks-pass", **{"pass": "HC1:..."}),
        visit(""),
        "not an object",
        visit("ok-2", uci_hash=hashlib.sha256(b"u").hexdigest(), holder_masked="H** G*****"),
    ]
    out = batch(http, sim, visits, "key-p").json()
    assert out["accepted"] == ["ok-1", "ok-2"]
    assert out["rejected"] == [
        {"id": "bad-hash", "reason": "invalid_pass_hash"},
        {"id": "bad-decision", "reason": "invalid_decision"},
        {"id": "no-kind", "reason": "invalid_kind"},
        {"id": "leaks-pass", "reason": "personal_data_forbidden"},
        {"id": None, "reason": "invalid_id"},
        {"id": None, "reason": "not_an_object"},
    ]
    assert sim.state.counters().rejected == 6


def test_idempotency_key_is_required_and_bound_to_its_body(sim: Simulator, http: requests.Session) -> None:
    r = post(http, sim, "/v1/visits:batch", {"kiosk_id": "k-1", "visits": []})
    assert (r.status_code, r.json()["error"]) == (400, "idempotency_key_required")
    batch(http, sim, [visit("v-1")], "key-x")
    reused = batch(http, sim, [visit("v-2")], "key-x")
    assert (reused.status_code, reused.json()["error"]) == (422, "idempotency_key_reused")
    assert sim.state.counters().stored == 1


def test_malformed_batch_body(sim: Simulator, http: requests.Session) -> None:
    r = post(http, sim, "/v1/visits:batch", {"visits": "nope"}, headers={"Idempotency-Key": "k"})
    assert (r.status_code, r.json()["error"]) == (400, "bad_request")
    many = [visit(f"v-{i}") for i in range(501)]
    big = batch(http, sim, many, "k-big")
    assert (big.status_code, big.json()["max_batch"]) == (413, 500)
    assert sim.state.counters().stored == 0


def test_stats_endpoint(sim: Simulator, http: requests.Session) -> None:
    batch(http, sim, [visit("v-1")], "k1")
    stats = http.get(sim.url + "/_sim/stats", timeout=TIMEOUT).json()
    assert stats["visits"]["stored"] == 1
    assert {s["alg"] for s in stats["signers"]} == {"ES256", "PS256"}
    stored = http.get(sim.url + "/_sim/visits", timeout=TIMEOUT).json()
    assert [v["id"] for v in stored] == ["v-1"]
    assert json.dumps(stored)  # plain JSON values only


# --- key check, token holders, partial batch answers -------------------------------------------


def test_whoami_needs_the_key(sim: Simulator, http: requests.Session) -> None:
    ok = http.get(sim.url + "/v1/whoami", headers=AUTH, timeout=TIMEOUT)
    assert (ok.status_code, ok.json()) == (200, {"status": "ok", "authenticated": True})
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Bearer "}):
        assert http.get(sim.url + "/v1/whoami", headers=headers, timeout=TIMEOUT).status_code == 401


def test_token_holder_is_sent_in_full_on_redemption(sim: Simulator, http: requests.Session) -> None:
    r = post(http, sim, "/v1/tokens", {"holder": "홍길동"})
    assert r.status_code == 201
    answer = verify(http, sim, r.json()["token"], 1_780_000_000.0)
    assert (answer["result"], answer["holder"]) == ("valid", "홍길동")
    plain = post(http, sim, "/v1/tokens", None)
    assert "holder" not in verify(http, sim, plain.json()["token"], 1_780_000_000.0)
    assert post(http, sim, "/v1/tokens", {"holder": 7}).status_code == 400


def test_partial_batch_answers_for_the_first_half_only(sim: Simulator, http: requests.Session) -> None:
    from kiosk.simulator.faults import Faults

    sim.set_faults(Faults(partial_batch=True))
    ids = [f"v-{n}" for n in range(5)]
    r = batch(http, sim, [visit(i) for i in ids], "k-partial")
    assert r.status_code == 200
    assert r.json() == {"accepted": ids[:2], "rejected": []}
    assert {v["id"] for v in sim.state.stored_visits()} == set(ids[:2])
    # Not kept for replay: the same request after recovery is processed in full.
    sim.set_faults(Faults())
    again = batch(http, sim, [visit(i) for i in ids], "k-partial")
    assert again.headers.get("Idempotent-Replayed") is None
    assert again.json()["accepted"] == ids


# --- verify that also records the visit ------------------------------------------------------


def verify_with_visit(http: requests.Session, sim: Simulator, text: str, record: object) -> dict:
    body = {"kiosk_id": "k-1", "pass": text, "scanned_at": sim.state.clock.now(), "visit": record}
    r = post(http, sim, "/v1/verify", body)
    assert r.status_code == 200, r.text
    return r.json()


def test_a_valid_verification_stores_the_visit_it_carries(sim: Simulator, http: requests.Session) -> None:
    text = new_dcc(http, sim)["pass"]
    record = visit("v-online-1", verified_by="online")
    for _ in range(2):  # a retry of the same call stores nothing new
        answer = verify_with_visit(http, sim, text, record)
        assert answer["result"] == "valid"
        assert answer["visit"] == {"id": "v-online-1", "recorded": True}
    stored = sim.state.stored_visits()
    assert [(v["id"], v["verified_by"], v["decision"]) for v in stored] == [("v-online-1", "online", "admit")]
    counters = sim.state.counters()
    assert (counters.stored, counters.recorded_by_verify, counters.duplicates) == (1, 1, 1)
    assert counters.batches == 0


def test_a_visit_is_not_stored_when_the_verdict_is_not_valid(sim: Simulator, http: requests.Session) -> None:
    token = post(http, sim, "/v1/tokens", None).json()["token"]
    assert verify_with_visit(http, sim, token, visit("v-a", kind="token", verified_by="online"))["visit"][
        "recorded"
    ]
    again = verify_with_visit(http, sim, token, visit("v-b", kind="token", verified_by="online"))
    assert again["result"] == "invalid"
    # The kiosk proposed the record it keeps for a valid answer; for this one it uploads its own.
    assert again["visit"] == {"id": "v-b", "recorded": False, "reason": "verdict_not_valid"}
    assert [v["id"] for v in sim.state.stored_visits()] == ["v-a"]


def test_a_bad_visit_record_never_costs_the_verdict(sim: Simulator, http: requests.Session) -> None:
    text = new_dcc(http, sim)["pass"]
    offline = verify_with_visit(http, sim, text, visit("v-1"))  # says offline: not what upstream checked
    assert offline["result"] == "valid"
    assert offline["visit"] == {"id": "v-1", "recorded": False, "reason": "not_verified_online"}
    personal = verify_with_visit(http, sim, text, visit("v-2", verified_by="online", name="Kim"))
    assert personal["visit"]["reason"] == "personal_data_forbidden"
    assert sim.state.stored_visits() == []
    r = post(http, sim, "/v1/verify", {"kiosk_id": "k-1", "pass": text, "scanned_at": 1.0, "visit": [1]})
    assert r.status_code == 400 and r.json()["error"] == "bad_request"


def test_the_kiosks_batch_record_replaces_the_verify_one(sim: Simulator, http: requests.Session) -> None:
    # The verify answer was lost: the kiosk decided offline and uploads its own record, same id.
    text = new_dcc(http, sim)["pass"]
    verify_with_visit(http, sim, text, visit("v-lost", verified_by="online"))
    r = batch(http, sim, [visit("v-lost", verified_by="offline")], "key-lost")
    assert r.json() == {"accepted": ["v-lost"], "rejected": []}
    stored = sim.state.stored_visits()
    assert [(v["id"], v["verified_by"]) for v in stored] == [("v-lost", "offline")]
    counters = sim.state.counters()
    assert (counters.stored, counters.superseded, counters.duplicates) == (1, 1, 0)
