"""The carry extension on the verdict path: an online verification brings pending visits along.

Visits recorded offline (or by staff) wait in the outbox for an upload batch. When upstream
offers the extension (docs/upstream-api.md), the next online verification carries up to
`limit` of them and the answer acknowledges each by id; the recorder marks those sent in the
transaction that commits the scan's own visit, so a busy kiosk needs no upload request after
an outage. Ids keep it idempotent: a visit carried and also uploaded is stored once.

An answer without acknowledgements is an upstream without the extension: the kiosk stops
carrying (until restarted) and the uploader's batches stay the only path, as they always
are for a kiosk that verifies nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from kiosk.verify.online import OnlineVerdict

log = logging.getLogger(__name__)

# Visits one verification carries: small enough to keep the request well inside its budget.
CARRY_LIMIT = 20


class PendingSource(Protocol):
    def pending_forms(self, limit: int, now: float) -> Sequence[Mapping[str, Any]]:
        """Up to `limit` pending visits in upload form, retry time come at `now`."""
        ...


class Carry:
    def __init__(self, source: PendingSource | None, limit: int = CARRY_LIMIT) -> None:
        self._source = source
        self._limit = limit
        self._offered = source is not None  # until an answer shows upstream lacks the extension

    def forms(self, now: float) -> Sequence[Mapping[str, Any]]:
        """What the next verification carries; nothing when the store cannot say."""
        if not self._offered or self._source is None:
            return ()
        try:
            return self._source.pending_forms(self._limit, now)
        except Exception as exc:
            # Carrying only saves an upload: a store that cannot list them costs nothing else.
            log.warning("pending visits not carried (%s)", type(exc).__name__)
            return ()

    def acknowledged(self, sent: Sequence[Mapping[str, Any]], verdict: OnlineVerdict) -> tuple[str, ...]:
        """The ids of `sent` that upstream's answer acknowledged (only those: never another id)."""
        if not sent:
            return ()
        if verdict.pending_acked is None:
            log.info("upstream does not take pending visits with a verification; the uploader sends them")
            self._offered = False
            return ()
        ids = {str(form.get("id")) for form in sent}
        return tuple(dict.fromkeys(a for a in verdict.pending_acked if a in ids))
