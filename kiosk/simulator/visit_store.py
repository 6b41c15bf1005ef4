"""The visits the simulated upstream holds: each stored once per id, batches replayed by key.

A visit arrives in a batch upload (`/v1/visits:batch`), carried by a verification
(`/v1/verify`'s `visit`), or among the pending visits a verification carries (the
carry extension); the counters say what became of each, for tests and the demo.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.clock import Clock
from kiosk.simulator.visits import MAX_BATCH, record_id, record_problem


@dataclass(frozen=True, slots=True)
class VisitAck:
    """What `/v1/verify` did with the visit record it carried."""

    id: str | None
    recorded: bool
    reason: str | None  # why not, as a stable code


@dataclass(frozen=True, slots=True)
class BatchOutcome:
    status: int
    body: dict[str, Any]
    replayed: bool = False


@dataclass(frozen=True, slots=True)
class VisitCounters:
    batches: int  # batch requests processed (not counting replays)
    replays: int  # batch requests answered from the idempotency store
    received: int  # records in processed batches
    stored: int  # unique visit ids stored
    duplicates: int  # records whose id was already stored
    rejected: int  # records refused for missing / invalid fields
    recorded_by_verify: int = 0  # visits stored from a `/v1/verify` call that carried the record
    superseded: int = 0  # verify-recorded visits replaced by the kiosk's batch record of the same id
    amended: int = 0  # stored visits replaced by a changed record of the same id (a late staff answer)
    carried: int = 0  # sets of pending visits carried by `/v1/verify` calls (the carry extension)


class VisitStore:
    """Safe to share between threads: every read and change is made under `lock`, the state's own."""

    def __init__(self, clock: Clock, lock: threading.RLock) -> None:
        self._clock = clock
        self._lock = lock
        self._visits: dict[str, dict[str, Any]] = {}
        self._idempotency: dict[tuple[str, str], tuple[str, BatchOutcome]] = {}
        self._counts = dict.fromkeys(
            (
                "batches",
                "replays",
                "received",
                "stored",
                "duplicates",
                "rejected",
                "recorded_by_verify",
                "superseded",
                "amended",
                "carried",
            ),
            0,
        )

    def record_verified(self, kiosk_id: str, record: Any, *, valid: bool) -> VisitAck:
        """Store the visit record a `/v1/verify` call carried, if the verdict matches its premise.

        The kiosk proposes the record it will keep *if upstream answers valid* (it knows its
        own rules, not our answer). So it is stored only for a `valid` result; any other
        answer leaves the kiosk to upload its own record later. Idempotent by id.
        """
        rid = record_id(record)
        if rid is None:
            return VisitAck(None, False, "invalid_id")
        problem = record_problem(record)
        if problem is None and record.get("verified_by") != "online":
            problem = "not_verified_online"
        if problem is not None:
            return VisitAck(rid, False, problem)
        if not valid:
            return VisitAck(rid, False, "verdict_not_valid")
        with self._lock:
            if rid in self._visits:
                self._counts["duplicates"] += 1
            else:
                self._visits[rid] = {
                    **record,
                    "kiosk_id": record.get("kiosk_id", kiosk_id),
                    "received_at": self._clock.now(),
                    "recorded_by": "verify",
                }
                self._counts["stored"] += 1
                self._counts["recorded_by_verify"] += 1
        return VisitAck(rid, True, None)

    def submit_batch(
        self,
        scope: str,
        idempotency_key: str,
        fingerprint: str,
        body: Mapping[str, Any],
        *,
        partial: bool = False,
    ) -> BatchOutcome:
        """Store a batch of visits once per id; the same key with the same body replays the answer.

        `partial`: process only the first half of the records and answer for those alone. Such
        an answer is not kept for replay: a retry of the same records is processed afresh.
        """
        with self._lock:
            stored = self._idempotency.get((scope, idempotency_key))
            if stored is not None:
                if stored[0] != fingerprint:
                    return BatchOutcome(
                        422,
                        {
                            "error": "idempotency_key_reused",
                            "message": "This Idempotency-Key was already used with a different body.",
                        },
                    )
                self._counts["replays"] += 1
                return BatchOutcome(stored[1].status, stored[1].body, replayed=True)
            outcome = self._process_batch(body, partial=partial)
            if outcome.status == 200 and not partial:
                self._idempotency[(scope, idempotency_key)] = (fingerprint, outcome)
            return outcome

    def _process_batch(
        self, body: Mapping[str, Any], *, partial: bool = False, carried: bool = False
    ) -> BatchOutcome:
        kiosk_id = body.get("kiosk_id")
        visits = body.get("visits")
        if not isinstance(kiosk_id, str) or not kiosk_id or not isinstance(visits, list):
            return BatchOutcome(
                400, {"error": "bad_request", "message": "Expected {kiosk_id: string, visits: [...]}."}
            )
        if len(visits) > MAX_BATCH:
            return BatchOutcome(
                413,
                {
                    "error": "batch_too_large",
                    "message": f"At most {MAX_BATCH} visits per batch.",
                    "max_batch": MAX_BATCH,
                },
            )
        accepted: list[str] = []
        rejected: list[dict[str, Any]] = []
        self._counts["carried" if carried else "batches"] += 1
        for record in visits[: len(visits) // 2] if partial else visits:
            self._counts["received"] += 1
            problem = record_problem(record)
            if problem is not None:
                self._counts["rejected"] += 1
                rejected.append({"id": record_id(record), "reason": problem})
                continue
            rid = record["id"]
            known = self._visits.get(rid)
            if known is not None and known.get("recorded_by") == "verify":
                # The kiosk's own record is its final word (e.g. it never heard the verify
                # answer and decided offline or by staff): it replaces the provisional one.
                self._visits[rid] = {
                    **record,
                    "kiosk_id": record.get("kiosk_id", kiosk_id),
                    "received_at": known["received_at"],
                }
                self._counts["superseded"] += 1
            elif known is not None and _amends(known, record):
                # The kiosk sent this visit again with other content: a staff answer given
                # after the upload. The latest answer is the visit's record.
                self._visits[rid] = {**known, **record, "received_at": known["received_at"]}
                self._counts["amended"] += 1
            elif known is not None:
                self._counts["duplicates"] += 1
            else:
                self._visits[rid] = {
                    **record,
                    "kiosk_id": record.get("kiosk_id", kiosk_id),
                    "received_at": self._clock.now(),
                }
                self._counts["stored"] += 1
            accepted.append(rid)
        return BatchOutcome(200, {"accepted": accepted, "rejected": rejected})

    def store_carried(self, kiosk_id: str, records: Any) -> list[str]:
        """The carry extension: pending visits a verification brought, stored as a batch's
        records are (idempotent by id); returns the ids now held, for the answer's acks."""
        with self._lock:
            outcome = self._process_batch({"kiosk_id": kiosk_id, "visits": records}, carried=True)
        return list(outcome.body.get("accepted", []))

    def counters(self) -> VisitCounters:
        with self._lock:
            return VisitCounters(**self._counts)

    def stored_visits(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(v) for v in self._visits.values()]


def _amends(known: Mapping[str, Any], record: Mapping[str, Any]) -> bool:
    return any(known.get(k) != v for k, v in record.items() if k != "kiosk_id")
