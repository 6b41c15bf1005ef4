"""One maintenance job's call each: the DCC signer list (as a delta where upstream offers it,
else the DGCA stream, asked with If-None-Match), the NZCP/SHC issuer list, the revocation
list and reconciliation. Each raises UpstreamFailure for the round to count and back off."""

from __future__ import annotations

import logging

from kiosk.clock import Clock
from kiosk.store.database import Database
from kiosk.store.issuer_store import IssuerStore
from kiosk.store.trust_store import TrustStore
from kiosk.upstream.issuer_sync import IssuerSyncReport, sync_issuers
from kiosk.upstream.maintenance_values import MaintenanceSettings, MaintenanceSource
from kiosk.upstream.reconcile import ReconcileReport, reconcile_offline_visits
from kiosk.upstream.revocation_sync import RevocationSyncReport, sync_revocations
from kiosk.upstream.trust_sync import (
    SyncReport,
    sync_trust_delta,
    sync_trust_list,
    sync_trust_list_if_changed,
)
from kiosk.verify.online import FailureCause, UpstreamFailure

log = logging.getLogger("kiosk.upstream.maintenance")


class ListSyncs:
    def __init__(
        self,
        db: Database,
        client: MaintenanceSource,
        clock: Clock,
        settings: MaintenanceSettings,
        trust: TrustStore,
        issuers: IssuerStore,
        *,
        conditional: bool,
        issuers_conditional: bool,
        delta: bool,
    ) -> None:
        self._db = db
        self._client = client
        self._clock = clock
        self._settings = settings
        self._trust = trust
        self._issuers = issuers
        self._conditional = conditional
        self._issuers_conditional = issuers_conditional
        self.delta = delta  # False for good once upstream answered that it offers none

    def trust(self) -> SyncReport:
        timeout_s = self._settings.request_timeout_s
        if self.delta:
            etag, trust = self._trust.status_etag(), self._trust
            try:
                report = sync_trust_delta(self._client, trust, self._clock, etag=etag, timeout_s=timeout_s)
            except UpstreamFailure as exc:
                if exc.cause is not FailureCause.CLIENT_ERROR:
                    raise
                log.info("trust list: upstream offers no delta; the DGCA update stream from now on")
                self.delta = False
            else:
                if report.etag != self._trust.status_etag():
                    self._trust.set_status_etag(report.etag)
                return report
        report = self._trust_stream(timeout_s)
        if not report.unchanged and report.resume_token is not None:
            self._trust.set_resume_token(report.resume_token)  # a later delta starts after it
        return report

    def _trust_stream(self, timeout_s: float) -> SyncReport:
        if not self._conditional:
            return sync_trust_list(self._client, self._trust, self._clock, timeout_s=timeout_s)
        # Kept in the data file, so a restarted kiosk's first sync is a 304 too.
        report = sync_trust_list_if_changed(
            self._client, self._trust, self._clock, etag=self._trust.status_etag(), timeout_s=timeout_s
        )
        if report.etag != self._trust.status_etag():
            self._trust.set_status_etag(report.etag)
        return report

    def issuers(self) -> IssuerSyncReport:
        # The ETag lives in the data file (IssuerStore), so a restarted kiosk's first sync is a 304 too.
        return sync_issuers(
            self._client,
            self._issuers,
            self._clock,
            timeout_s=self._settings.request_timeout_s,
            conditional=self._issuers_conditional,
        )

    def revocations(self) -> RevocationSyncReport:
        return sync_revocations(
            self._client, self._db, self._clock, timeout_s=self._settings.request_timeout_s
        )

    def reconcile(self, *, download: bool = True, until: float | None = None) -> ReconcileReport:
        s = self._settings
        return reconcile_offline_visits(
            self._db,
            self._client,
            limit=s.reconcile_limit,
            timeout_s=s.request_timeout_s,
            clock=self._clock,
            download=download,
            until=until,
        )
