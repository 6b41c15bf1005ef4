"""The staff PIN: 4-6 digits set by the owner, counted tries, a lockout of at most a minute."""

from __future__ import annotations

import json
import threading

import pytest

from kiosk.clock import ManualClock
from kiosk.owner.account import PinOutcome
from kiosk.owner.pin import PinPolicyError
from kiosk.owner.staff_pin import StaffPin, check_staff_pin_policy, unlock_staff
from kiosk.store.audit import audit_entries
from kiosk.store.database import Database
from tests.owner.support import FAST_SCRYPT, GOOD_PIN

STAFF = "4826"


@pytest.fixture
def staff(db: Database, clock: ManualClock) -> StaffPin:
    pins = StaffPin(db, clock, scrypt=FAST_SCRYPT)
    pins.set_pin(STAFF)
    return pins


@pytest.mark.parametrize("pin", ["123", "1234567", "12a4", "1111", "1234", "4321", "1212", "٤٨٢٦"])
def test_the_policy_wants_4_to_6_digits_not_trivial(pin: str) -> None:
    with pytest.raises(PinPolicyError):
        check_staff_pin_policy(pin)


def test_no_staff_pin_until_the_owner_sets_one(db: Database, clock: ManualClock) -> None:
    pins = StaffPin(db, clock, scrypt=FAST_SCRYPT)
    assert not pins.is_set()
    assert pins.check(STAFF).outcome is PinOutcome.NOT_SET_UP
    pins.set_pin(STAFF)
    assert pins.is_set() and pins.check(STAFF).ok


def test_wrong_tries_lock_for_at_most_a_minute(staff: StaffPin, clock: ManualClock) -> None:
    for _ in range(4):
        assert staff.check("9999").outcome is PinOutcome.WRONG
    locks = []
    for _ in range(6):
        check = staff.check("9999")
        assert check.locked_for_s > 0
        locks.append(check.locked_for_s)
        assert staff.check(STAFF).outcome is PinOutcome.LOCKED  # the right PIN waits too
        clock.advance(check.locked_for_s)
    assert locks == [15.0, 30.0, 60.0, 60.0, 60.0, 60.0]
    assert staff.check(STAFF).ok
    assert staff.check("9999").locked_for_s == 0  # the count started afresh


def test_a_clock_set_back_restarts_the_lock_from_now_not_from_the_future(
    staff: StaffPin, clock: ManualClock
) -> None:
    for _ in range(5):
        staff.check("9999")
    assert staff.locked_for() == 15.0
    clock.set_wall(clock.now() - 3600.0)  # the clock is put back an hour
    assert staff.check(STAFF).outcome is PinOutcome.LOCKED
    clock.advance(15.0)  # 15 s after the re-anchoring, not an hour and 15 s
    assert staff.check(STAFF).ok


def test_the_owner_lifts_the_lockout(staff: StaffPin) -> None:
    for _ in range(5):
        staff.check("9999")
    assert staff.locked_for() > 0
    staff.lift()
    assert staff.locked_for() == 0 and staff.check(STAFF).ok


def test_tries_made_at_once_all_count(db: Database, clock: ManualClock) -> None:
    pins = StaffPin(db, clock, scrypt=FAST_SCRYPT)
    pins.set_pin(STAFF)
    barrier = threading.Barrier(4)

    def guess() -> None:
        barrier.wait()
        pins.check("9999")

    threads = [threading.Thread(target=guess) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert db.scalar("SELECT failed_tries FROM staff_pin") == 4


def test_audited_without_the_pin(staff: StaffPin, db: Database) -> None:
    staff.check("9999")
    staff.check(STAFF)
    text = json.dumps([(e.actor, e.action, e.detail) for e in audit_entries(db)])
    assert STAFF not in text and "9999" not in text
    actions = [e.action for e in audit_entries(db)]
    assert {"staff.pin_set", "staff.pin_failed", "staff.pin_ok"} <= set(actions)


def test_the_owner_pin_opens_the_staff_tools_only_when_no_staff_pin_or_a_locked_one(
    db: Database, clock: ManualClock, make_account
) -> None:  # type: ignore[no-untyped-def]
    owner = make_account()
    owner.set_up(GOOD_PIN)
    pins = StaffPin(db, clock, scrypt=FAST_SCRYPT)
    assert unlock_staff(pins, owner, GOOD_PIN).ok  # no staff PIN yet: the owner's opens
    pins.set_pin(STAFF)
    assert unlock_staff(pins, owner, STAFF).ok
    # A wrong staff PIN is never tried as the owner's: the queue cannot lock the owner out.
    assert unlock_staff(pins, owner, GOOD_PIN).outcome is PinOutcome.WRONG
    assert owner.status().tries_left == 5
    for _ in range(5):
        unlock_staff(pins, owner, "999999")
    assert pins.locked_for() > 0
    assert unlock_staff(pins, owner, STAFF).outcome is PinOutcome.LOCKED
    assert unlock_staff(pins, owner, GOOD_PIN).ok  # the owner lifts the lock
    assert pins.locked_for() == 0 and unlock_staff(pins, owner, STAFF).ok
