"""A real data file seeded for the admin-screen tests: visits today and yesterday, uploads in
every state, reconciliation results, health transitions and an owner account."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.clock import ManualClock
from kiosk.config import Config, parse_config
from kiosk.decision import Health, PassKind, Reason, Verdict, VerifiedBy
from kiosk.owner.account import OwnerAccount
from kiosk.pass_hash import pass_hash
from kiosk.store import outbox
from kiosk.store.database import Database
from kiosk.store.health_log import record_health
from kiosk.store.opening import open_database
from kiosk.store.reconciliation import set_reconciliation
from kiosk.store.visits import UpstreamState, VisitRecord, new_visit_id, record_visit
from kiosk.ui.admin.export_tab import ExportTab
from kiosk.ui.admin.screen import AdminScreen
from kiosk.ui.admin.services import AdminServices, build_admin_services
from tests.owner.support import FAST_SCRYPT, GOOD_PIN

SEOUL = ZoneInfo("Asia/Seoul")
NOW = 1_779_937_200.0  # 2026-05-28 12:00 KST
MIDNIGHT = NOW - 12 * 3600  # 2026-05-28 00:00 KST

# (minutes after midnight, decision, verified_by, upstream state)
TODAY = [
    (60 * 9, Verdict.ADMIT, VerifiedBy.ONLINE, UpstreamState.CONFIRMED),
    (60 * 9 + 5, Verdict.ADMIT, VerifiedBy.ONLINE, UpstreamState.CONFIRMED),
    (60 * 10, Verdict.DENY, VerifiedBy.ONLINE, UpstreamState.CONFIRMED),
    (60 * 11, Verdict.ADMIT, VerifiedBy.OFFLINE, UpstreamState.PENDING),
    (60 * 11 + 1, Verdict.ADMIT, VerifiedBy.OFFLINE, UpstreamState.PENDING),
    (60 * 11 + 2, Verdict.MANUAL, VerifiedBy.STAFF, UpstreamState.PENDING),
    (60 * 11 + 3, Verdict.DENY, VerifiedBy.NONE, UpstreamState.PENDING),
]


@dataclass
class Seeded:
    db: Database
    db_path: Path
    clock: ManualClock
    account: OwnerAccount
    today: list[VisitRecord]
    quarantined_id: str
    held_id: str
    revoked_id: str


def add(
    db: Database,
    rng: random.Random,
    at: float,
    decision: Verdict,
    by: VerifiedBy,
    state: UpstreamState,
    holder: str = "홍*동",
) -> VisitRecord:
    record = VisitRecord(
        id=new_visit_id(at, rng),
        scanned_at=at,
        kind=PassKind.DCC,
        pass_hash=pass_hash(f"HC1:ADMIN{at}"),
        uci_hash=None,
        holder_masked=holder,
        decision=decision,
        reason=Reason.VALID if decision is Verdict.ADMIT else Reason.BAD_SIGNATURE,
        verified_by=by,
        upstream_state=state,
        kiosk_id="kiosk-7",
    )
    record_visit(db, record)
    return record


def seed(tmp_path: Path) -> Seeded:
    db_path = tmp_path / "data" / "kiosk.db"
    db = open_database(db_path)
    rng = random.Random(3)
    clock = ManualClock(NOW)
    # Yesterday: counted nowhere on "today", but its health event opens the 24-hour window.
    yesterday = add(db, rng, MIDNIGHT - 3600, Verdict.ADMIT, VerifiedBy.ONLINE, UpstreamState.CONFIRMED)
    today = [add(db, rng, MIDNIGHT + m * 60, d, b, s) for m, d, b, s in TODAY]
    for v in [yesterday, *today]:
        if v.upstream_state == UpstreamState.CONFIRMED:
            outbox.mark_sent(db, [v.id])
    quarantined, held, pending, revoked = today[3], today[4], today[5], today[3]
    outbox.quarantine(db, quarantined.id, "http 422", rejected_by_upstream=True)
    outbox.mark_failed(db, [held.id], "http 503", NOW + 3600)  # held by a backoff for an hour
    assert pending.upstream_state == UpstreamState.PENDING
    set_reconciliation(db, revoked.id, "revoked")
    record_health(db, MIDNIGHT - 7200, Health.ONLINE)
    record_health(db, MIDNIGHT + 11 * 3600, Health.OFFLINE, "timeout")
    record_health(db, MIDNIGHT + 11 * 3600 + 1800, Health.ONLINE)
    account = OwnerAccount(db, clock, scrypt=FAST_SCRYPT)
    account.set_up(GOOD_PIN)
    return Seeded(db, db_path, clock, account, today, quarantined.id, held.id, revoked.id)


def services_for(s: Seeded, config_path: Path, config: Config | None = None) -> AdminServices:
    config = config or parse_config('[kiosk]\nid = "kiosk-7"\nlanguage = "en"\n', source="test")
    return build_admin_services(
        s.db, s.db_path, config, config_path, clock=s.clock, account=s.account, tz=SEOUL
    )


def shown_screen(qtbot, seeded: Seeded, config_path: Path) -> AdminScreen:  # type: ignore[no-untyped-def]
    """The whole admin screen on the seeded file, shown, once its first snapshot is in."""
    w = AdminScreen(services_for(seeded, config_path))
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitUntil(lambda: w.snapshot is not None, timeout=15000)
    return w


def export_tab(qtbot, seeded: Seeded, tmp_path: Path) -> ExportTab:  # type: ignore[no-untyped-def]
    """The export tab on the seeded file, writing into a fresh `usb` folder."""
    tab = ExportTab(services_for(seeded, tmp_path / "config.toml"))
    qtbot.addWidget(tab)
    out = tmp_path / "usb"
    out.mkdir()
    tab.folder.set_folder(out)
    tab.show()
    return tab
