"""The config keys `[privacy] owner_public_key` and `[admin] pin_hash` reach the owner services."""

from __future__ import annotations

import base64
import random

import pytest

from kiosk.clock import ManualClock
from kiosk.config import parse_config
from kiosk.owner.manual_entry import ManualAnswer, open_contact
from kiosk.owner.pin import PinPolicyError, hash_secret
from kiosk.owner.wiring import build_owner_services
from kiosk.store.database import Database
from kiosk.store.sealing import generate_owner_keypair, get_manual_entry
from tests.owner.support import FAST_SCRYPT, GOOD_PIN, OTHER_PIN


def test_configured_owner_key_is_what_entries_are_sealed_to(db: Database, clock: ManualClock) -> None:
    external = generate_owner_keypair()
    config = parse_config(
        f'[privacy]\nowner_public_key = "{base64.b64encode(external.public_key).decode()}"\n'
    )
    services = build_owner_services(db, config, clock=clock, rng=random.Random(1), kiosk_id="k1")
    visit_id = services.manual.record_manual(ManualAnswer(True, "01098765432"))
    blob = get_manual_entry(db, visit_id)
    assert blob is not None
    assert open_contact(external.private_key, blob) == {"phone": "010-9876-5432"}


def test_installer_pin_hash_from_config_is_enforced_at_first_run(db: Database, clock: ManualClock) -> None:
    config = parse_config(f'[admin]\npin_hash = "{hash_secret(GOOD_PIN, FAST_SCRYPT)}"\n')
    services = build_owner_services(db, config, clock=clock, rng=random.Random(1), kiosk_id="k1")
    with pytest.raises(PinPolicyError):
        services.account.set_up(OTHER_PIN)
    services.account.set_up(GOOD_PIN)
    assert services.account.sealing_key() is not None


def test_first_run_after_the_recorder_was_built_is_picked_up(db: Database, clock: ManualClock) -> None:
    services = build_owner_services(db, parse_config(""), clock=clock, rng=random.Random(1), kiosk_id="k1")
    services.account.set_up(GOOD_PIN)
    visit_id = services.manual.record_manual(ManualAnswer(False, "010-1111-2222"))
    blob = get_manual_entry(db, visit_id)
    assert blob is not None
    assert open_contact(services.account.unlock_private_key(GOOD_PIN), blob)["phone"] == "010-1111-2222"
