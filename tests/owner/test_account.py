from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from kiosk.clock import ManualClock
from kiosk.owner.account import (
    OwnerAccount,
    OwnerStateError,
    PinOutcome,
    PinRejectedError,
    RecoveryCodeError,
)
from kiosk.owner.keys import KeyUnwrapError, WrapPurpose, public_key_of, unwrap_private_key
from kiosk.owner.pin import PinPolicyError, hash_secret
from kiosk.store.audit import audit_entries
from kiosk.store.database import Database
from kiosk.store.opening import open_database
from kiosk.store.sealing import generate_owner_keypair, seal, unseal
from tests.owner.support import FAST_SCRYPT, GOOD_PIN, OTHER_PIN

AccountFactory = Callable[..., OwnerAccount]


def _audit_text(db: Database) -> str:
    return json.dumps([(e.actor, e.action, e.detail) for e in audit_entries(db)])


def test_first_run_creates_key_pair_wrapped_under_the_pin(make_account: AccountFactory, db: Database) -> None:
    account = make_account()
    assert not account.is_set_up() and account.sealing_key() is None
    result = account.set_up(GOOD_PIN)
    assert account.is_set_up()
    assert account.sealing_key() == result.public_key
    private = account.unlock_private_key(GOOD_PIN)
    assert public_key_of(private) == result.public_key
    row = db.query("SELECT * FROM owner")[0]
    stored = b"".join(bytes(v) if isinstance(v, bytes) else str(v).encode() for v in row)
    for secret in (
        GOOD_PIN.encode(),
        private,
        result.recovery_code.encode(),
        result.recovery_code.replace("-", "").encode(),
    ):
        assert secret not in stored
    assert account.status().holds_private_key
    with pytest.raises(OwnerStateError):
        account.set_up(OTHER_PIN)


def test_first_run_refuses_a_trivial_pin_and_stores_nothing(make_account: AccountFactory) -> None:
    account = make_account()
    with pytest.raises(PinPolicyError) as info:
        account.set_up("123456")
    assert info.value.key == "owner.pin.trivial"
    assert not account.is_set_up()


def test_five_wrong_pins_lock_with_a_growing_delay(make_account: AccountFactory, clock: ManualClock) -> None:
    account = make_account()
    account.set_up(GOOD_PIN)
    for left in (4, 3, 2, 1):
        check = account.check_pin(OTHER_PIN)
        assert (check.outcome, check.tries_left, check.locked_for_s) == (PinOutcome.WRONG, left, 0)
    fifth = account.check_pin(OTHER_PIN)
    assert fifth.outcome is PinOutcome.WRONG and fifth.locked_for_s == 30
    # While locked even the right PIN is not checked.
    assert account.check_pin(GOOD_PIN).outcome is PinOutcome.LOCKED
    clock.advance(29)
    assert account.check_pin(GOOD_PIN).locked_for_s == pytest.approx(1)
    clock.advance(1)
    sixth = account.check_pin(OTHER_PIN)
    assert sixth.locked_for_s == 60
    clock.advance(60)
    assert account.check_pin(OTHER_PIN).locked_for_s == 120
    clock.advance(120)
    assert account.check_pin(GOOD_PIN).ok
    # A correct PIN resets the count: five free tries again.
    assert account.check_pin(OTHER_PIN).tries_left == 4


def test_lockout_survives_reopening_the_database(
    db_path, make_account: AccountFactory, clock: ManualClock, db: Database
) -> None:
    account = make_account()
    account.set_up(GOOD_PIN)
    for _ in range(5):
        account.check_pin(OTHER_PIN)
    db.close()
    clock.advance(10)
    reopened = open_database(db_path)
    try:
        fresh = OwnerAccount(reopened, clock, scrypt=FAST_SCRYPT)
        assert fresh.status().locked_for_s == pytest.approx(20)
        assert fresh.check_pin(GOOD_PIN).outcome is PinOutcome.LOCKED
        clock.advance(20)
        assert fresh.check_pin(GOOD_PIN).ok
    finally:
        reopened.close()


def test_unlock_with_wrong_pin_raises_and_counts(make_account: AccountFactory) -> None:
    account = make_account()
    account.set_up(GOOD_PIN)
    with pytest.raises(PinRejectedError) as info:
        account.unlock_private_key(OTHER_PIN)
    assert info.value.key == "owner.pin.wrong" and info.value.check.tries_left == 4
    assert OTHER_PIN not in info.value.message


def test_change_pin_rewraps_the_same_key(make_account: AccountFactory) -> None:
    account = make_account()
    result = account.set_up(GOOD_PIN)
    sealed = seal(result.public_key, b"entry")
    with pytest.raises(PinPolicyError):
        account.change_pin(GOOD_PIN, "000000")
    assert account.status().tries_left == 5  # a policy slip costs no try
    with pytest.raises(PinRejectedError):
        account.change_pin(OTHER_PIN, "905172")
    account.change_pin(GOOD_PIN, "905172")
    with pytest.raises(PinRejectedError):
        account.unlock_private_key(GOOD_PIN)
    assert unseal(account.unlock_private_key("905172"), sealed) == b"entry"


def test_recovery_code_resets_a_forgotten_pin_and_the_lockout(
    make_account: AccountFactory, clock: ManualClock
) -> None:
    account = make_account()
    result = account.set_up(GOOD_PIN)
    sealed = seal(result.public_key, b"entry")
    for _ in range(5):
        account.check_pin(OTHER_PIN)
    assert account.status().locked_for_s > 0
    with pytest.raises(RecoveryCodeError):
        account.reset_pin_with_recovery("AAAA-AAAA-AAAA-AAAA-AAAA-AAAA", "905172")
    account.reset_pin_with_recovery(result.recovery_code.lower(), "905172")
    assert account.status().locked_for_s == 0
    assert unseal(account.unlock_private_key("905172"), sealed) == b"entry"


def test_every_owner_action_is_audited_without_secrets(make_account: AccountFactory, db: Database) -> None:
    account = make_account()
    result = account.set_up(GOOD_PIN)
    account.check_pin(GOOD_PIN)
    for _ in range(5):
        account.check_pin(OTHER_PIN)
    account.reset_pin_with_recovery(result.recovery_code, "905172")
    account.change_pin("905172", "271828")
    actions = [e.action for e in audit_entries(db)]
    assert actions[:3] == ["owner.pin_set", "owner.key_created", "owner.pin_ok"]
    assert actions.count("owner.pin_failed") == 5 and actions.count("owner.lockout") == 1
    assert actions[-3:] == ["owner.recovery_used", "owner.pin_ok", "owner.pin_changed"]
    text = _audit_text(db)
    for secret in (GOOD_PIN, OTHER_PIN, "905172", "271828", result.recovery_code):
        assert secret not in text
    assert {e.actor for e in audit_entries(db)} == {"owner"}


def test_configured_public_key_keeps_the_private_key_off_the_kiosk(make_account: AccountFactory) -> None:
    external = generate_owner_keypair()
    account = make_account(configured_public_key=external.public_key)
    result = account.set_up(GOOD_PIN)
    assert account.sealing_key() == external.public_key == result.public_key
    assert not account.status().holds_private_key
    with pytest.raises(OwnerStateError) as info:
        account.unlock_private_key(GOOD_PIN)
    assert info.value.key == "owner.key.not_on_kiosk"
    rotated = account.reset_pin_with_recovery(result.recovery_code, "905172")  # the code resets the PIN
    assert account.check_pin("905172").ok
    # No private key to re-wrap, but the used code is still replaced.
    assert rotated.recovery_code != result.recovery_code
    with pytest.raises(RecoveryCodeError):
        account.reset_pin_with_recovery(result.recovery_code, "271828")
    account.reset_pin_with_recovery(rotated.recovery_code, "271828")
    assert account.check_pin("271828").ok and not account.status().holds_private_key


def test_installer_pin_hash_must_be_the_pin_chosen_at_first_run(make_account: AccountFactory) -> None:
    account = make_account(installer_pin_hash=hash_secret(GOOD_PIN, FAST_SCRYPT))
    with pytest.raises(PinPolicyError) as info:
        account.set_up(OTHER_PIN)
    assert info.value.key == "owner.pin.not_installer"
    account.set_up(GOOD_PIN)
    assert account.check_pin(GOOD_PIN).ok


def _key_by_recovery(db: Database, code: str) -> bytes:
    row = db.query("SELECT key_by_recovery, public_key FROM owner")[0]
    return unwrap_private_key(
        bytes(row["key_by_recovery"]), code, WrapPurpose.RECOVERY, bytes(row["public_key"])
    )


def test_a_used_recovery_code_stops_working_and_a_new_one_replaces_it(
    make_account: AccountFactory, db: Database
) -> None:
    account = make_account()
    first = account.set_up(GOOD_PIN)
    sealed = seal(first.public_key, b"entry")
    second = account.reset_pin_with_recovery(first.recovery_code, "905172")
    assert second.recovery_code != first.recovery_code
    assert second.recovery_code not in repr(second)  # a logged result shows no code
    with pytest.raises(RecoveryCodeError):
        account.reset_pin_with_recovery(first.recovery_code, "271828")
    assert account.check_pin("905172").ok  # the refused try changed nothing
    # The same key, now under the new PIN and under the new code (not the old one).
    assert unseal(account.unlock_private_key("905172"), sealed) == b"entry"
    assert unseal(_key_by_recovery(db, second.recovery_code), sealed) == b"entry"
    with pytest.raises(KeyUnwrapError):
        _key_by_recovery(db, first.recovery_code)
    third = account.reset_pin_with_recovery(second.recovery_code.lower(), "271828")
    assert unseal(account.unlock_private_key("271828"), sealed) == b"entry"
    assert len({first.recovery_code, second.recovery_code, third.recovery_code}) == 3


def test_the_rotation_is_audited_without_any_code(make_account: AccountFactory, db: Database) -> None:
    account = make_account()
    first = account.set_up(GOOD_PIN)
    second = account.reset_pin_with_recovery(first.recovery_code, "905172")
    used = [e for e in audit_entries(db) if e.action == "owner.recovery_used"]
    assert [e.detail for e in used] == [{"code_rotated": True}]
    text = _audit_text(db)
    for code in (first.recovery_code, second.recovery_code):
        assert code not in text and code.replace("-", "") not in text
    stored = b"".join(
        bytes(v) if isinstance(v, bytes) else str(v).encode() for v in db.query("SELECT * FROM owner")[0]
    )
    assert second.recovery_code.encode() not in stored
    assert second.recovery_code.replace("-", "").encode() not in stored


class _RaceClock(ManualClock):
    """Runs `race` once, the first time the account reads the time after its scrypt work."""

    def __init__(self) -> None:
        super().__init__()
        self.race: Callable[[], None] | None = None

    def now(self) -> float:
        race, self.race = self.race, None
        if race is not None:
            race()
        return super().now()


def test_two_resets_racing_with_one_code_let_only_one_through(db: Database) -> None:
    clock = _RaceClock()
    account = OwnerAccount(db, clock, scrypt=FAST_SCRYPT)
    first = account.set_up(GOOD_PIN)
    winner: list[str] = []
    # Another window (or the command line) uses the same code while this reset is under way.

    def meanwhile() -> None:
        winner.append(account.reset_pin_with_recovery(first.recovery_code, "271828").recovery_code)

    clock.race = meanwhile
    with pytest.raises(RecoveryCodeError) as late:
        account.reset_pin_with_recovery(first.recovery_code, "905172")
    # Not "does not match": the code was right, someone else used it first.
    assert (late.value.key, late.value.message) == (
        "owner.recovery.wrong", "this recovery code was used meanwhile"
    )
    assert account.check_pin("271828").ok  # the winner's PIN and code stand
    account.reset_pin_with_recovery(winner[0], "905172")


def test_two_set_ups_racing_keep_the_first_owner(db: Database) -> None:
    clock = _RaceClock()
    account = OwnerAccount(db, clock, scrypt=FAST_SCRYPT)
    # The first-run screen and the command line set the owner up at the same moment.
    clock.race = lambda: account.set_up(OTHER_PIN)
    with pytest.raises(OwnerStateError) as late:
        account.set_up(GOOD_PIN)
    assert (late.value.key, late.value.message) == ("owner.already_set_up", "the owner PIN is already set")
    assert account.check_pin(OTHER_PIN).ok and not account.check_pin(GOOD_PIN).ok
    assert [e.action for e in audit_entries(db)].count("owner.pin_set") == 1
