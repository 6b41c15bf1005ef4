from __future__ import annotations

import pytest

from kiosk.store.database import Database
from kiosk.store.errors import UnknownVisitError
from kiosk.store.sealing import (
    SealingError,
    generate_owner_keypair,
    get_manual_entry,
    record_manual_entry,
    seal,
    unseal,
)
from kiosk.store.visits import record_visit
from tests.store.conftest import VisitFactory

ENTRY = "김민수 010-1234-5678".encode()


def test_round_trip_and_fresh_randomness() -> None:
    owner = generate_owner_keypair()
    first, second = seal(owner.public_key, ENTRY), seal(owner.public_key, ENTRY)
    assert first != second
    assert ENTRY not in first
    assert unseal(owner.private_key, first) == ENTRY
    assert unseal(owner.private_key, second) == ENTRY
    assert "private_key" not in repr(owner)


def test_wrong_key_is_refused() -> None:
    owner, other = generate_owner_keypair(), generate_owner_keypair()
    with pytest.raises(SealingError) as info:
        unseal(other.private_key, seal(owner.public_key, ENTRY))
    assert info.value.key == "store.sealing.open_failed"


@pytest.mark.parametrize("position", [0, 1, 20, 33, 40, 45, 50, -1])
def test_any_flipped_bit_is_detected(position: int) -> None:
    owner = generate_owner_keypair()
    blob = bytearray(seal(owner.public_key, ENTRY))
    blob[position] ^= 0x01
    with pytest.raises(SealingError):
        unseal(owner.private_key, bytes(blob))


def test_truncated_and_bad_keys() -> None:
    owner = generate_owner_keypair()
    blob = seal(owner.public_key, ENTRY)
    with pytest.raises(SealingError):
        unseal(owner.private_key, blob[:40])
    with pytest.raises(SealingError):
        seal(b"short", ENTRY)
    with pytest.raises(SealingError):
        unseal(b"short", blob)


def test_manual_entry_is_stored_sealed(db: Database, make_visit: VisitFactory) -> None:
    owner = generate_owner_keypair()
    visit = make_visit()
    record_visit(db, visit)
    record_manual_entry(db, visit.id, seal(owner.public_key, ENTRY))
    stored = get_manual_entry(db, visit.id)
    assert stored is not None
    assert unseal(owner.private_key, stored) == ENTRY
    assert ENTRY not in db.path.read_bytes() + db.path.with_name(db.path.name + "-wal").read_bytes()
    assert get_manual_entry(db, "other") is None
    with pytest.raises(UnknownVisitError):
        record_manual_entry(db, "no-such-visit", b"x" * 80)
