"""The manual-log answer: staff admit or deny by eye, optionally with a phone number sealed for the owner.

Two cases reach this path:
- a CHECK verdict (a token while upstream is down): the engine already recorded a
  `manual` visit, and the staff's answer resolves it (`kiosk.store.manual`);
- staff pressed "Manual log" with nothing scanned (a paper certificate, a phone that
  will not scan): a new visit is recorded for the answer.

Either way the visit ends as `verified_by=staff`; the sealed entry, the decision and
the audit line commit in one transaction. The window runs this on a worker.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk.clock import Clock
from kiosk.decision import PassKind, Reason, Verdict, VerifiedBy
from kiosk.errors import KioskError
from kiosk.owner.phone import normalize_korean_mobile
from kiosk.store.audit import record_audit
from kiosk.store.database import Database
from kiosk.store.manual import resolve_manual
from kiosk.store.sealing import record_manual_entry, seal, unseal
from kiosk.store.visits import UpstreamState, VisitRecord, new_visit_id, record_visit


class NoOwnerKeyError(KioskError):
    key = "manual.no_owner_key"


@dataclass(frozen=True, slots=True)
class ManualAnswer:
    admit: bool
    phone: str | None = field(default=None, repr=False)  # as typed; sealed, never stored in clear
    visit_id: str | None = None  # the CHECK visit being answered; None = a new staff-only visit


def seal_contact(public_key: bytes, phone: str) -> bytes:
    """The sealed blob for a manual entry: JSON so that a name can join the phone later."""
    return seal(public_key, json.dumps({"phone": phone}, separators=(",", ":")).encode("utf-8"))


def open_contact(private_key: bytes, blob: bytes) -> dict[str, str]:
    return dict(json.loads(unseal(private_key, blob).decode("utf-8")))


def _unlinkable_pass_hash() -> str:
    # Nothing was scanned, but visits and uploads require a pass hash: the hash of 32
    # random bytes is unique and matches no pass, so it links this visit to nothing.
    return hashlib.sha256(os.urandom(32)).hexdigest()


class ManualRecorder:
    """Stores staff answers; holds what every answer needs (clock, rng, kiosk id, the owner's key)."""

    def __init__(
        self,
        db: Database,
        *,
        clock: Clock,
        rng: random.Random,
        kiosk_id: str,
        sealing_key: Callable[[], bytes | None],
    ) -> None:
        """`sealing_key` is asked at each answer (e.g. `OwnerAccount.sealing_key`): first run may
        create the owner key after the recorder was built."""
        self._db = db
        self._clock = clock
        self._rng = rng
        self._rng_lock = threading.Lock()
        self._kiosk_id = kiosk_id
        self._sealing_key = sealing_key

    def record_manual(self, answer: ManualAnswer, *, actor: str = "staff") -> str:
        """Store the answer; returns the visit id. Raises before writing anything on bad input."""
        sealed = None
        if answer.phone:
            phone = normalize_korean_mobile(answer.phone)
            key = self._sealing_key()
            if key is None:
                raise NoOwnerKeyError(
                    "no owner key on this kiosk yet: the phone number cannot be kept; "
                    "set the owner PIN first or record the answer without a number"
                )
            sealed = seal_contact(key, phone)
        now = self._clock.now()
        with self._db.transaction():
            if answer.visit_id is not None:
                visit_id = answer.visit_id
                resolve_manual(self._db, visit_id, admitted=answer.admit, at=now, actor=actor)
            else:
                visit_id = self._new_staff_visit(answer.admit, now)
            if sealed is not None:
                record_manual_entry(self._db, visit_id, sealed)
            record_audit(
                self._db,
                now,
                actor,
                "manual.entry_stored",
                {
                    "visit_id": visit_id,
                    "decision": "admit" if answer.admit else "deny",
                    "new_visit": answer.visit_id is None,
                    "phone_sealed": sealed is not None,
                },
            )
        return visit_id

    def _new_staff_visit(self, admit: bool, now: float) -> str:
        with self._rng_lock:
            visit_id = new_visit_id(now, self._rng)
        record_visit(
            self._db,
            VisitRecord(
                id=visit_id,
                scanned_at=now,
                kind=PassKind.UNKNOWN,
                pass_hash=_unlinkable_pass_hash(),
                uci_hash=None,
                holder_masked=None,
                decision=Verdict.ADMIT if admit else Verdict.DENY,
                reason=Reason.STAFF_CONFIRMED if admit else Reason.STAFF_REJECTED,
                verified_by=VerifiedBy.STAFF,
                upstream_state=UpstreamState.PENDING,
                kiosk_id=self._kiosk_id,
            ),
        )
        return visit_id
