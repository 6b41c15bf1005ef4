"""Revocation sync into the store: incremental, idempotent, all-or-nothing; over real sockets."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from kiosk.cli import main as cli_main
from kiosk.clock import ManualClock, SystemClock
from kiosk.config import Config
from kiosk.decision import Reason, Verdict
from kiosk.passes.signer import load_signer_cert
from kiosk.simulator.faults import Faults
from kiosk.simulator.server import Simulator
from kiosk.simulator.state import uci_hash
from kiosk.store.database import Database
from kiosk.store.recorder import StoreRevocations
from kiosk.store.revocations import (
    add_revocations,
    is_revoked_hash,
    revocation_count,
    revocations_cursor,
    set_revocations_cursor,
)
from kiosk.store.trust_store import TrustStore
from kiosk.upstream.client import RevocationList, UpstreamClient
from kiosk.upstream.reconcile import reconcile_offline_visits
from kiosk.upstream.revocation_sync import sync_revocations
from kiosk.verify.engine import VerificationEngine
from kiosk.verify.online import FailureCause, UpstreamFailure
from tests.upstream.support import reconciliation, recorded_visit, scripted_server, send_json

START = 1_790_000_000.0
TIMEOUT_S = 1.0


@pytest.fixture(scope="module")
def sim_clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture(scope="module")
def sim(sim_clock: ManualClock) -> Iterator[Simulator]:
    # Upstream's domain clock is manual, so revocation times and `until` are exact.
    with Simulator(clock=sim_clock) as simulator:
        yield simulator


@dataclass
class RecordingSource:
    """The real client, with the `since` of every revocation request written down."""

    client: UpstreamClient
    calls: list[float | None] = field(default_factory=list)

    def revocations(self, since: float | None = None, *, timeout_s: float = 10.0) -> RevocationList:
        self.calls.append(since)
        return self.client.revocations(since, timeout_s=timeout_s)


_rng = random.Random(7)
UCI = [f"URN:UVCI:01:XA:REVOKED{n:04d}" for n in range(4)]


# --- the store ------------------------------------------------------------------------------


def test_add_revocations_is_idempotent_and_normalises(db: Database) -> None:
    a, b = uci_hash(UCI[0]), uci_hash(UCI[1])
    assert add_revocations(db, [a, b.upper(), a], added_at=START) == 2
    assert add_revocations(db, [b, a], added_at=START + 5) == 0
    assert revocation_count(db) == 2
    assert is_revoked_hash(db, b) and is_revoked_hash(db, a.upper())
    assert not is_revoked_hash(db, uci_hash(UCI[2]))
    assert not is_revoked_hash(db, "not a hash")
    # The first sighting is kept: it says when this kiosk started refusing the pass.
    assert db.scalar("SELECT added_at FROM revocations WHERE uci_hash = ?", (a,)) == START


def test_a_malformed_hash_adds_nothing(db: Database) -> None:
    with pytest.raises(ValueError):
        add_revocations(db, [uci_hash(UCI[0]), "g" * 64], added_at=START)
    assert revocation_count(db) == 0


def test_cursor_round_trip(db: Database) -> None:
    assert revocations_cursor(db) is None
    set_revocations_cursor(db, START + 0.125)
    assert revocations_cursor(db) == START + 0.125
    set_revocations_cursor(db, None)
    assert revocations_cursor(db) is None
    with pytest.raises(ValueError):
        set_revocations_cursor(db, float("nan"))


# --- the sync against the simulator ---------------------------------------------------------


def test_first_sync_stores_the_whole_list(
    db: Database, client: UpstreamClient, fresh_sim: Simulator, sim_clock: ManualClock
) -> None:
    for uci in UCI[:3]:
        fresh_sim.state.revoke(uci)
    sim_clock.advance(1)

    report = sync_revocations(client, db, ManualClock(START + 99), timeout_s=TIMEOUT_S)

    assert (report.added, report.total, report.received, report.full) == (3, 3, 3, True)
    assert report.until == sim_clock.now() == revocations_cursor(db)
    assert all(StoreRevocations(db).is_revoked(uci) for uci in UCI[:3])
    assert not StoreRevocations(db).is_revoked(UCI[3])
    assert db.scalar("SELECT min(added_at) FROM revocations") == START + 99
    assert report.summary() == "revocation list: 3 new, 3 in total (full sync)"


def test_next_sync_asks_only_for_what_is_new(
    db: Database, client: UpstreamClient, fresh_sim: Simulator, sim_clock: ManualClock
) -> None:
    source = RecordingSource(client)
    fresh_sim.state.revoke(UCI[0])
    sim_clock.advance(1)
    first = sync_revocations(source, db, SystemClock(), timeout_s=TIMEOUT_S)
    sim_clock.advance(1)
    fresh_sim.state.revoke(UCI[1])
    sim_clock.advance(1)

    second = sync_revocations(source, db, SystemClock(), timeout_s=TIMEOUT_S)

    assert source.calls == [None, first.until]
    assert (second.received, second.added, second.total, second.full) == (1, 1, 2, False)
    assert second.until is not None and first.until is not None and second.until > first.until
    assert is_revoked_hash(db, uci_hash(UCI[1]))


def test_an_entry_sent_again_is_not_counted_twice(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    # Upstream's `since` is inclusive, so an entry revoked exactly at the cursor comes back.
    fresh_sim.state.revoke(UCI[0])
    sync_revocations(client, db, SystemClock(), timeout_s=TIMEOUT_S)
    again = sync_revocations(client, db, SystemClock(), timeout_s=TIMEOUT_S)
    assert (again.received, again.added, again.total) == (1, 0, 1)


@pytest.mark.parametrize(
    ("faults", "cause"),
    [
        (Faults(error_rate=1.0, retry_after_s=2), FailureCause.SERVER_ERROR),
        (Faults(garbage="json-wrong"), FailureCause.BAD_BODY),
        (Faults(garbage="truncated"), FailureCause.BAD_BODY),
        (Faults(reset=True), FailureCause.RESET),
    ],
    ids=["503", "json-wrong", "truncated", "reset"],
)
def test_a_failed_sync_changes_nothing(
    db: Database,
    client: UpstreamClient,
    fresh_sim: Simulator,
    sim_clock: ManualClock,
    faults: Faults,
    cause: FailureCause,
) -> None:
    fresh_sim.state.revoke(UCI[0])
    before = sync_revocations(client, db, SystemClock(), timeout_s=TIMEOUT_S)
    sim_clock.advance(1)
    fresh_sim.state.revoke(UCI[1])
    fresh_sim.set_faults(faults)

    with pytest.raises(UpstreamFailure) as info:
        sync_revocations(client, db, SystemClock(), timeout_s=TIMEOUT_S)

    assert info.value.cause is cause
    assert revocation_count(db) == 1 and revocations_cursor(db) == before.until
    fresh_sim.set_faults(Faults())
    # Nothing was skipped by the failure: the next sync picks up what was missed.
    assert sync_revocations(client, db, SystemClock(), timeout_s=TIMEOUT_S).added == 1


def test_a_hung_sync_times_out_and_changes_nothing(
    db: Database, client: UpstreamClient, fresh_sim: Simulator
) -> None:
    fresh_sim.state.revoke(UCI[0])
    fresh_sim.set_faults(Faults(hang=True, max_hang_s=2))
    with pytest.raises(UpstreamFailure) as info:
        sync_revocations(client, db, SystemClock(), timeout_s=0.3)
    assert info.value.cause is FailureCause.TIMEOUT
    assert revocation_count(db) == 0 and revocations_cursor(db) is None


def _serve_body(body: bytes) -> object:
    def script(handler: BaseHTTPRequestHandler) -> None:
        send_json(handler, 200, body)

    return script


@pytest.mark.parametrize(
    "body",
    [
        b'{"revocations":[{"uci_hash":"' + b"a" * 64 + b'"},{"uci_hash":"' + b"z" * 64 + b'"}],"until":5}',
        b'{"revocations":[{"uci_hash":"' + b"a" * 64 + b'"}],"until":NaN}',
    ],
    ids=["non-hex-entry", "nan-until"],
)
def test_a_malformed_answer_changes_nothing(db: Database, body: bytes) -> None:
    set_revocations_cursor(db, 3.0)
    with (
        scripted_server(_serve_body(body)) as server,  # type: ignore[arg-type]
        UpstreamClient(server.url, "k", clock=SystemClock()) as client,
        pytest.raises(UpstreamFailure) as info,
    ):
        sync_revocations(client, db, SystemClock(), timeout_s=TIMEOUT_S)
    assert info.value.cause is FailureCause.BAD_BODY
    assert revocation_count(db) == 0 and revocations_cursor(db) == 3.0


def test_full_sync_repairs_a_store_restored_from_an_old_backup(
    db: Database, client: UpstreamClient, fresh_sim: Simulator, sim_clock: ManualClock
) -> None:
    for uci in UCI[:2]:
        fresh_sim.state.revoke(uci)
    sim_clock.advance(1)
    sync_revocations(client, db, SystemClock(), timeout_s=TIMEOUT_S)
    with db.transaction() as conn:
        conn.execute("DELETE FROM revocations")  # the rows are gone, the cursor is not
    assert sync_revocations(client, db, SystemClock(), timeout_s=TIMEOUT_S).added == 0
    repaired = sync_revocations(client, db, SystemClock(), full=True, timeout_s=TIMEOUT_S)
    assert (repaired.added, repaired.total, repaired.full) == (2, 2, True)


# --- who uses the stored list ---------------------------------------------------------------


def test_offline_verdict_refuses_a_pass_revoked_by_the_last_sync(
    db: Database, client: UpstreamClient, fresh_sim: Simulator, sim_clock: ManualClock
) -> None:
    store = TrustStore(db)
    for signer in fresh_sim.state.signers:
        store.add(load_signer_cert(signer.der), START)
    engine = VerificationEngine(
        trust=store, rules=Config().rules, clock=sim_clock, revocations=StoreRevocations(db)
    )
    issued = fresh_sim.state.issue_dcc({"type": "v"})
    other = fresh_sim.state.issue_dcc({"type": "v"})
    assert engine.verify(issued.text).decision.verdict is Verdict.ADMIT

    fresh_sim.state.revoke(issued.uci)
    sync_revocations(client, db, SystemClock(), timeout_s=TIMEOUT_S)

    decision = engine.verify(issued.text).decision
    assert (decision.verdict, decision.reason) == (Verdict.DENY, Reason.REVOKED)
    assert engine.verify(other.text).decision.verdict is Verdict.ADMIT


def test_reconciliation_downloads_incrementally_into_the_store(
    db: Database, client: UpstreamClient, fresh_sim: Simulator, sim_clock: ManualClock
) -> None:
    source = RecordingSource(client)
    fresh_sim.state.revoke(UCI[0])
    synced = sync_revocations(source, db, SystemClock(), timeout_s=TIMEOUT_S)
    flagged = recorded_visit(db, UCI[0], _rng)
    fine = recorded_visit(db, UCI[1], _rng)

    report = reconcile_offline_visits(db, source, timeout_s=TIMEOUT_S, clock=SystemClock())

    # The list fetched by the earlier sync is reused; only the increment is asked for.
    assert source.calls == [None, synced.until]
    assert (report.checked, report.newly_revoked) == (2, 1)
    assert reconciliation(db, flagged) == "revoked" and reconciliation(db, fine) == "valid"
    sim_clock.advance(1)
    fresh_sim.state.revoke(UCI[2])
    later = recorded_visit(db, UCI[2], _rng)
    reconcile_offline_visits(db, source, timeout_s=TIMEOUT_S, clock=SystemClock())
    assert reconciliation(db, later) == "revoked"
    assert is_revoked_hash(db, uci_hash(UCI[2]))  # the offline path now refuses it too


def test_trust_update_command_also_syncs_revocations(
    tmp_path: Path, fresh_sim: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    for uci in UCI[:2]:
        fresh_sim.state.revoke(uci)
    config = tmp_path / "config.toml"
    config.write_text(f'[upstream]\nurl = "{fresh_sim.url}"\napi_key = "demo-key"\n', encoding="utf-8")
    data = tmp_path / "data"

    assert cli_main(["trust", "update", "--config", str(config), "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert "revocation list: 2 new, 2 in total (full sync)" in out

    fresh_sim.set_faults(Faults(error_rate=1.0, paths=("/v1/revocations",)))
    assert cli_main(["trust", "update", "--config", str(config), "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert "revocation list not updated" in err and "Traceback" not in err


def test_an_empty_list_still_moves_the_cursor(db: Database, client: UpstreamClient) -> None:
    report = sync_revocations(client, db, SystemClock(), timeout_s=TIMEOUT_S)
    assert (report.added, report.total) == (0, 0)
    assert report.until is not None and revocations_cursor(db) == report.until
