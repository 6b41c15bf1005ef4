"""Assembling the engine from config: the one place that knows which concrete parts go together."""

from __future__ import annotations

import logging
import random
import socket
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.clock import Clock
from kiosk.context import Context
from kiosk.passes.issuers import IssuerTrust
from kiosk.passes.model import TrustLookup
from kiosk.verify.engine import EngineSettings, VerificationEngine

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from kiosk.config import Config
    from kiosk.passes.model import DccCheck
    from kiosk.store.database import Database
    from kiosk.upstream.client import UpstreamClient
    from kiosk.upstream.uploader import UploaderSettings
    from kiosk.verify.breaker import CircuitBreaker
    from kiosk.verify.engine import VisitRecorder
    from kiosk.verify.online import OnlineChecker


def build_engine(
    ctx: Context,
    *,
    clock: Clock,
    rng: random.Random,
    use_db: bool = True,
    record: bool = True,
    online: bool = True,
    trust_wrapper: Callable[[TrustLookup | None], TrustLookup] | None = None,
    online_parts: tuple[UpstreamClient, CircuitBreaker] | None = None,
    issuers: IssuerTrust | None = None,
    judge_trust_age: bool = True,
) -> VerificationEngine:
    """`online_parts` lets the caller share its client and breaker with the uploader;
    `issuers` (NZCP/SHC issuer keys, e.g. from the command line) come before the database's;
    the database's issuers are limited to `[trust] nzcp_issuers` / `shc_issuers` when listed.
    With the database, an empty trust list is first filled from the package's snapshot, and
    (unless `judge_trust_age` is off because the caller names its own signers) a signed pass
    with no list or one past `[trust] hard_limit_days` gets a staff check."""
    from kiosk.store.recorder import StoreRecorder
    from kiosk.store.trust_store import TrustStore

    cfg = ctx.config
    kiosk_id = kiosk_identity(cfg)
    db = ctx.db() if use_db else None
    if db is not None:
        import_bundled_trust(ctx, clock)
    base_trust: TrustLookup | None = TrustStore(db) if db is not None else None
    trust = trust_wrapper(base_trust) if trust_wrapper else base_trust
    if trust is None:
        raise ValueError("no trust list: pass a trust lookup or use the database")
    checker = breaker = None
    if online and cfg.upstream.url:
        checker, breaker = online_parts or build_online(ctx, clock=clock, rng=rng)
    return assemble_engine(
        cfg,
        db,
        kiosk_id=kiosk_id,
        clock=clock,
        trust=trust,
        recorder=StoreRecorder(db, kiosk_id=kiosk_id, rng=rng) if (db and record) else None,
        online=checker,
        breaker=breaker,
        issuers=issuers,
        judge_trust_age=judge_trust_age,
    )


def assemble_engine(
    cfg: Config,
    db: Database | None,
    *,
    kiosk_id: str,
    clock: Clock,
    trust: TrustLookup,
    recorder: VisitRecorder | None,
    online: OnlineChecker | None,
    breaker: CircuitBreaker | None,
    issuers: IssuerTrust | None = None,
    dcc_check: Callable[[str, TrustLookup, float], DccCheck] | None = None,
    judge_trust_age: bool = True,
) -> VerificationEngine:
    """The engine `kiosk run` verifies with, from its parts: the budget and reserve of
    `[verify]`, the stored revocations and issuers. The fleet simulation assembles its
    kiosks here too, so what it measures is what the app runs (`dcc_check`: its memo)."""
    from kiosk.passes.issuers import ChainedIssuers
    from kiosk.store.issuer_store import IssuerStore
    from kiosk.store.recorder import StoreRevocations
    from kiosk.store.trust_age import TrustListDates
    from kiosk.store.trust_store import TrustStore

    extra = {} if dcc_check is None else {"dcc_check": dcc_check}
    return VerificationEngine(
        trust=trust,
        rules=cfg.rules,
        clock=clock,
        settings=EngineSettings(
            kiosk_id=kiosk_id,
            budget_s=cfg.verify.budget_ms / 1000,
            reserve_s=cfg.verify.reserve_ms / 1000,
            trust_hard_limit_s=cfg.trust.hard_limit_days * 86_400.0,
        ),
        recorder=recorder,
        online=online,
        breaker=breaker,
        revocations=StoreRevocations(db) if db is not None else None,
        issuers=ChainedIssuers(issuers, _allowed(IssuerStore(db), cfg) if db is not None else None),
        trust_dates=TrustListDates(TrustStore(db), IssuerStore(db)) if db and judge_trust_age else None,
        **extra,
    )


def import_bundled_trust(ctx: Context, clock: Clock, snapshot: Path | None = None) -> str | None:
    """On first start (no signer, no issuer stored) import the package's trust-list snapshot
    as `bundled`; returns what was done, or None when nothing was. A snapshot made from the
    simulator is only used while the simulator is the configured upstream."""
    from kiosk.errors import KioskError
    from kiosk.passes.trust_snapshot import load_snapshot, usable_with
    from kiosk.paths import bundled_trust_snapshot
    from kiosk.store.trust_origin import import_snapshot, is_empty

    db = ctx.db()
    if not is_empty(db):
        return None
    path = snapshot or bundled_trust_snapshot()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("the package's trust list cannot be read (%s)", exc.strerror)
        return None
    try:
        loaded = load_snapshot(data)
    except KioskError as exc:
        log.warning("the package's trust list is not used: %s", exc.message)
        return None
    refusal = usable_with(loaded, ctx.config.upstream.url)
    if refusal is not None:
        log.warning("the package's trust list is not used: %s", refusal)
        return None
    try:
        import_snapshot(db, loaded, imported_at=clock.now())
    except KioskError as exc:
        log.warning("the package's trust list is not used: %s", exc.message)
        return None
    done = (f"imported the package's trust list ({len(loaded.certs)} signer(s), "
            f"{len(loaded.issuers)} issuer(s), source {loaded.source})")
    log.info("%s", done)
    return done


def _allowed(store: IssuerTrust, cfg: Config) -> IssuerTrust:
    from kiosk.passes.issuers import AllowedIssuers

    return AllowedIssuers(store, nzcp=cfg.trust.nzcp_issuers, shc=cfg.trust.shc_issuers)


def kiosk_identity(config: Config) -> str:
    """The configured id, or the host name: visits from two kiosks must never share an id."""
    return config.kiosk.id or socket.gethostname() or "kiosk"


def build_client(ctx: Context, *, clock: Clock, rng: random.Random) -> UpstreamClient:
    from kiosk.errors import ConfigError
    from kiosk.upstream.client import UpstreamClient

    up = ctx.config.upstream
    if not up.url:
        raise ConfigError("no upstream configured: set [upstream] url in config.toml")
    try:
        return UpstreamClient(
            up.url,
            up.api_key,
            connect_timeout_s=up.connect_timeout_ms / 1000,
            clock=clock,
            kiosk_id=kiosk_identity(ctx.config),
            list_key=ctx.config.trust.signing_key_der(),
        )
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def build_online(ctx: Context, *, clock: Clock, rng: random.Random) -> tuple[UpstreamClient, CircuitBreaker]:
    from kiosk.verify.breaker import CircuitBreaker

    return build_client(ctx, clock=clock, rng=rng), CircuitBreaker(
        clock, rng, ctx.config.breaker_settings()
    )


def uploader_settings(config: Config) -> UploaderSettings:
    from kiosk.upstream.uploader import UploaderSettings

    return UploaderSettings.from_config(config.uploader)
