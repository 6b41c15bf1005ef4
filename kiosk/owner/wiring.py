"""Builds the owner services from the config: what the window's composition root calls."""

from __future__ import annotations

import random
from dataclasses import dataclass

from kiosk.clock import Clock
from kiosk.config import Config
from kiosk.owner.account import OwnerAccount
from kiosk.owner.manual_entry import ManualRecorder
from kiosk.owner.staff_pin import StaffPin
from kiosk.store.database import Database


@dataclass(frozen=True, slots=True)
class OwnerServices:
    account: OwnerAccount
    manual: ManualRecorder
    staff: StaffPin


def build_owner_services(
    db: Database, config: Config, *, clock: Clock, rng: random.Random, kiosk_id: str
) -> OwnerServices:
    """`[privacy] owner_public_key` and `[admin] pin_hash` are installer overrides (docs/decisions/0047)."""
    account = OwnerAccount(
        db,
        clock,
        configured_public_key=config.privacy.owner_public_key_bytes(),
        installer_pin_hash=config.admin.pin_hash,
    )
    manual = ManualRecorder(db, clock=clock, rng=rng, kiosk_id=kiosk_id, sealing_key=account.sealing_key)
    return OwnerServices(account, manual, StaffPin(db, clock))
