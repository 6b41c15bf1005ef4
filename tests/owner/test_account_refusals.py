"""What the owner account says when it refuses, what its status reads before set-up, and the
scrypt cost of every secret it stores."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.clock import ManualClock
from kiosk.owner.account import (
    OwnerAccount,
    OwnerStateError,
    OwnerStatus,
    PinCheck,
    PinOutcome,
    PinRejectedError,
    RecoveryCodeError,
)
from kiosk.owner.lockout import DEFAULT_LOCKOUT, LockoutPolicy
from kiosk.owner.pin import PinPolicyError, hash_secret
from kiosk.store.audit import audit_entries
from kiosk.store.database import Database
from kiosk.store.opening import open_database
from kiosk.store.sealing import generate_owner_keypair
from tests.owner.support import FAST_SCRYPT, GOOD_PIN, OTHER_PIN

AccountFactory = Callable[..., OwnerAccount]
NEW_PIN = "915274"


def test_status_before_and_after_set_up(make_account: AccountFactory, db: Database) -> None:
    account = make_account()
    assert account.status() == OwnerStatus(False, 0.0, DEFAULT_LOCKOUT.free_tries, False)
    account.set_up(GOOD_PIN)
    assert account.status() == OwnerStatus(True, 0.0, DEFAULT_LOCKOUT.free_tries, True)
    assert not account.check_pin(OTHER_PIN).ok
    assert account.status() == OwnerStatus(True, 0.0, DEFAULT_LOCKOUT.free_tries - 1, True)


def test_status_says_when_the_private_key_is_kept_elsewhere(make_account: AccountFactory) -> None:
    account = make_account(configured_public_key=generate_owner_keypair().public_key)
    account.set_up(GOOD_PIN)
    assert account.status() == OwnerStatus(True, 0.0, DEFAULT_LOCKOUT.free_tries, False)


def test_a_wrong_pin_and_a_locked_entry_are_told_apart_by_key(make_account: AccountFactory) -> None:
    account = make_account()
    account.set_up(GOOD_PIN)
    with pytest.raises(PinRejectedError) as wrong:
        account.unlock_private_key(OTHER_PIN)
    assert (wrong.value.key, wrong.value.message, wrong.value.check.outcome) == (
        "owner.pin.wrong", "wrong PIN", PinOutcome.WRONG
    )
    for _ in range(DEFAULT_LOCKOUT.free_tries - 1):
        account.check_pin(OTHER_PIN)
    with pytest.raises(PinRejectedError) as locked:
        account.unlock_private_key(GOOD_PIN)
    seconds = locked.value.check.locked_for_s
    assert seconds > 0 and locked.value.check.outcome is PinOutcome.LOCKED
    said = f"PIN entry is locked for {seconds:.0f} s"
    assert (locked.value.key, locked.value.message) == ("owner.pin.locked", said)


def test_recovery_before_set_up_and_with_a_wrong_code(make_account: AccountFactory, db: Database) -> None:
    account = make_account()
    with pytest.raises(OwnerStateError) as early:
        account.reset_pin_with_recovery("ABCD-EFGH-JKLM-NPQR-STUV-WXYZ", NEW_PIN)
    assert (early.value.key, early.value.message) == ("owner.not_set_up", "the owner PIN is not set yet")
    code = account.set_up(GOOD_PIN).recovery_code
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    with pytest.raises(RecoveryCodeError) as refused:
        account.reset_pin_with_recovery(wrong, NEW_PIN)
    assert refused.value.message == "this recovery code does not match this kiosk"
    assert [e.action for e in audit_entries(db)][-1] == "owner.recovery_failed"


def _costs(db: Database) -> list[tuple[int, int, int]]:
    row = db.query("SELECT pin_hash, recovery_hash, key_by_pin, key_by_recovery FROM owner")[0]
    hashes = [tuple(int(x) for x in row[name].split("$")[1:4]) for name in ("pin_hash", "recovery_hash")]
    keys = [tuple(bytes(row[name])[1:4]) for name in ("key_by_pin", "key_by_recovery")]
    return [*hashes, *keys]  # type: ignore[list-item]


def test_every_stored_secret_uses_the_configured_scrypt_cost(
    make_account: AccountFactory, db: Database
) -> None:
    configured = (FAST_SCRYPT.log2_n, FAST_SCRYPT.r, FAST_SCRYPT.p)
    account = make_account()
    code = account.set_up(GOOD_PIN).recovery_code
    assert _costs(db) == [configured] * 4
    account.change_pin(GOOD_PIN, OTHER_PIN)
    assert _costs(db) == [configured] * 4
    account.reset_pin_with_recovery(code, NEW_PIN)
    assert _costs(db) == [configured] * 4


def _refusal(error: pytest.ExceptionInfo[Exception]) -> tuple[str, str]:
    return error.value.key, error.value.message  # type: ignore[attr-defined]


def test_actions_before_set_up_are_refused_with_their_key(make_account: AccountFactory) -> None:
    account = make_account()
    assert account.check_pin(GOOD_PIN) == PinCheck(PinOutcome.NOT_SET_UP, DEFAULT_LOCKOUT.free_tries)
    with pytest.raises(OwnerStateError) as early:
        account.unlock_private_key(GOOD_PIN)
    assert _refusal(early) == ("owner.not_set_up", "the owner PIN is not set yet")


def test_set_up_refusals_say_why(make_account: AccountFactory) -> None:
    installed = make_account(installer_pin_hash=hash_secret(GOOD_PIN, FAST_SCRYPT))
    with pytest.raises(PinPolicyError) as other:
        installed.set_up(OTHER_PIN)
    said = "this is not the PIN the installer set for this kiosk"
    assert _refusal(other) == ("owner.pin.not_installer", said)
    installed.set_up(GOOD_PIN)
    with pytest.raises(OwnerStateError) as twice:
        installed.set_up(GOOD_PIN)
    assert _refusal(twice) == ("owner.already_set_up", "the owner PIN is already set")


def test_a_key_kept_elsewhere_cannot_be_unlocked_here(make_account: AccountFactory) -> None:
    account = make_account(configured_public_key=generate_owner_keypair().public_key)
    account.set_up(GOOD_PIN)
    with pytest.raises(OwnerStateError) as elsewhere:
        account.unlock_private_key(GOOD_PIN)
    said = "the owner's private key is not kept on this kiosk"
    assert _refusal(elsewhere) == ("owner.key.not_on_kiosk", said)


def test_each_pin_outcome_says_the_tries_left_and_is_audited_with_counts(
    make_account: AccountFactory, db: Database, clock: ManualClock
) -> None:
    account = make_account()
    account.set_up(GOOD_PIN)
    free = DEFAULT_LOCKOUT.free_tries
    for n in range(1, free + 1):
        check = account.check_pin(OTHER_PIN)
        assert (check.outcome, check.tries_left) == (PinOutcome.WRONG, max(1, free - n))
    locked = account.check_pin(GOOD_PIN)
    assert (locked.outcome, locked.tries_left) == (PinOutcome.LOCKED, 1)
    counted = ("owner.pin_failed", "owner.lockout")
    failures = [(e.action, e.detail) for e in audit_entries(db) if e.action in counted]
    assert failures == [
        *(("owner.pin_failed", {"failed_tries": n}) for n in range(1, free + 1)),
        ("owner.lockout", {"failed_tries": free, "seconds": DEFAULT_LOCKOUT.base_s}),
    ]
    clock.advance(DEFAULT_LOCKOUT.base_s)
    assert account.check_pin(GOOD_PIN) == PinCheck(PinOutcome.OK, free)


def _entries(db: Database) -> list[tuple[str, str, dict[str, object]]]:
    return [(e.actor, e.action, e.detail) for e in audit_entries(db)]


def test_set_up_audits_whether_the_private_key_is_kept_on_the_kiosk(
    make_account: AccountFactory, db: Database, tmp_path: Path
) -> None:
    make_account().set_up(GOOD_PIN)
    assert _entries(db) == [
        ("owner", "owner.pin_set", {}),
        ("owner", "owner.key_created", {"key_on_kiosk": True}),
    ]
    elsewhere_db = open_database(tmp_path / "elsewhere.db")
    try:
        external = generate_owner_keypair().public_key
        make_account(elsewhere_db, configured_public_key=external).set_up(GOOD_PIN)
        assert _entries(elsewhere_db) == [
            ("owner", "owner.pin_set", {}),
            ("owner", "owner.key_created", {"key_on_kiosk": False}),
        ]
    finally:
        elsewhere_db.close()


def test_a_pin_change_keeps_a_key_kept_elsewhere_off_the_kiosk(
    make_account: AccountFactory, db: Database
) -> None:
    account = make_account(configured_public_key=generate_owner_keypair().public_key)
    account.set_up(GOOD_PIN)
    account.change_pin(GOOD_PIN, NEW_PIN)
    assert account.check_pin(NEW_PIN).ok and not account.status().holds_private_key
    with pytest.raises(OwnerStateError) as elsewhere:
        account.unlock_private_key(NEW_PIN)
    assert elsewhere.value.key == "owner.key.not_on_kiosk"
    assert db.query("SELECT key_by_pin FROM owner")[0]["key_by_pin"] is None


def test_a_one_second_lock_is_still_audited_and_counted_down(
    make_account: AccountFactory, db: Database, clock: ManualClock
) -> None:
    account = make_account(lockout=LockoutPolicy(free_tries=1, base_s=1.0, cap_s=1.0))
    account.set_up(GOOD_PIN)
    assert account.check_pin(OTHER_PIN) == PinCheck(PinOutcome.WRONG, 1, 1.0)
    assert ("owner", "owner.lockout", {"failed_tries": 1, "seconds": 1.0}) in _entries(db)
    assert account.check_pin(GOOD_PIN).outcome is PinOutcome.LOCKED
    clock.advance(1.0)
    assert account.check_pin(GOOD_PIN).ok
