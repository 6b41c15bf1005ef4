"""The manual-log path end to end on a real data file: the answer, the sealed phone, the audit line."""

from __future__ import annotations

import json
import random

import pytest

from kiosk.clock import ManualClock
from kiosk.decision import PassKind, Reason, Verdict, VerifiedBy
from kiosk.owner.account import OwnerAccount
from kiosk.owner.manual_entry import ManualAnswer, ManualRecorder, NoOwnerKeyError, open_contact
from kiosk.owner.phone import PhoneNumberError
from kiosk.pass_hash import pass_hash
from kiosk.store import outbox
from kiosk.store.audit import audit_entries
from kiosk.store.database import Database
from kiosk.store.errors import UnknownVisitError
from kiosk.store.sealing import get_manual_entry
from kiosk.store.visits import (
    UpstreamState,
    VisitRecord,
    get_visit,
    new_visit_id,
    record_visit,
)
from tests.owner.support import FAST_SCRYPT, GOOD_PIN


def _recorder(db: Database, clock: ManualClock, key: bytes | None) -> ManualRecorder:
    return ManualRecorder(db, clock=clock, rng=random.Random(7), kiosk_id="kiosk-1", sealing_key=lambda: key)


def _check_visit(db: Database, clock: ManualClock) -> str:
    """What the engine records for a token while upstream is down: a visit waiting for staff."""
    visit_id = new_visit_id(clock.now(), random.Random(1))
    record_visit(
        db,
        VisitRecord(
            id=visit_id,
            scanned_at=clock.now(),
            kind=PassKind.TOKEN,
            pass_hash=pass_hash("KP1:abc"),
            uci_hash=None,
            holder_masked=None,
            decision=Verdict.MANUAL,
            reason=Reason.UPSTREAM_UNAVAILABLE,
            verified_by=VerifiedBy.NONE,
            upstream_state=UpstreamState.PENDING,
            kiosk_id="kiosk-1",
        ),
    )
    return visit_id


def test_check_verdict_answered_with_a_sealed_phone(db: Database, clock: ManualClock) -> None:
    account = OwnerAccount(db, clock, scrypt=FAST_SCRYPT)
    account.set_up(GOOD_PIN)
    visit_id = _check_visit(db, clock)
    recorder = _recorder(db, clock, account.sealing_key())

    stored_id = recorder.record_manual(ManualAnswer(admit=True, phone="010 2345 6789", visit_id=visit_id))

    assert stored_id == visit_id
    visit = get_visit(db, visit_id)
    assert visit is not None
    assert (visit.decision, visit.reason, visit.verified_by) == (
        Verdict.ADMIT,
        Reason.STAFF_CONFIRMED,
        VerifiedBy.STAFF,
    )
    blob = get_manual_entry(db, visit_id)
    assert blob is not None
    for form in (b"01023456789", b"010-2345-6789", b"23456789", "010-2345-6789".encode("utf-16-le")):
        assert form not in blob
    # Only the owner's key, unwrapped with the PIN, opens it.
    assert open_contact(account.unlock_private_key(GOOD_PIN), blob) == {"phone": "010-2345-6789"}
    entry = [e for e in audit_entries(db) if e.action == "manual.entry_stored"]
    assert entry[0].detail == {
        "visit_id": visit_id,
        "decision": "admit",
        "new_visit": False,
        "phone_sealed": True,
    }
    assert "2345" not in json.dumps([e.detail for e in audit_entries(db)])


def test_staff_only_entry_creates_a_new_uploadable_visit(db: Database, clock: ManualClock) -> None:
    recorder = _recorder(db, clock, None)
    visit_id = recorder.record_manual(ManualAnswer(admit=False))
    visit = get_visit(db, visit_id)
    assert visit is not None
    assert (visit.decision, visit.reason, visit.verified_by, visit.kind) == (
        Verdict.DENY,
        Reason.STAFF_REJECTED,
        VerifiedBy.STAFF,
        PassKind.UNKNOWN,
    )
    assert len(visit.pass_hash) == 64
    assert get_manual_entry(db, visit_id) is None
    assert outbox.pending_count(db) == 1  # it will be uploaded like any visit
    other = get_visit(db, recorder.record_manual(ManualAnswer(admit=True)))
    assert other is not None and other.pass_hash != visit.pass_hash  # two paper certificates are not one pass


def test_bad_phone_writes_nothing(db: Database, clock: ManualClock) -> None:
    account = OwnerAccount(db, clock, scrypt=FAST_SCRYPT)
    account.set_up(GOOD_PIN)
    visit_id = _check_visit(db, clock)
    recorder = _recorder(db, clock, account.sealing_key())
    with pytest.raises(PhoneNumberError):
        recorder.record_manual(ManualAnswer(admit=True, phone="012-3456-7890", visit_id=visit_id))
    visit = get_visit(db, visit_id)
    assert visit is not None and visit.decision is Verdict.MANUAL
    assert get_manual_entry(db, visit_id) is None


def test_phone_without_an_owner_key_is_refused_before_writing(db: Database, clock: ManualClock) -> None:
    with pytest.raises(NoOwnerKeyError):
        _recorder(db, clock, None).record_manual(ManualAnswer(admit=True, phone="010-2345-6789"))
    assert db.scalar("SELECT count(*) FROM visits") == 0


def test_a_second_answer_to_the_same_check_is_refused_and_changes_nothing(
    db: Database, clock: ManualClock
) -> None:
    account = OwnerAccount(db, clock, scrypt=FAST_SCRYPT)
    account.set_up(GOOD_PIN)
    visit_id = _check_visit(db, clock)
    recorder = _recorder(db, clock, account.sealing_key())
    recorder.record_manual(ManualAnswer(admit=True, visit_id=visit_id))
    with pytest.raises(UnknownVisitError):
        recorder.record_manual(ManualAnswer(admit=False, phone="010-2345-6789", visit_id=visit_id))
    visit = get_visit(db, visit_id)
    assert visit is not None and visit.decision is Verdict.ADMIT
    assert get_manual_entry(db, visit_id) is None  # the rolled-back answer left no sealed entry
