"""`kiosk trust`: the cached trust list of document-signer certificates."""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.clock import SystemClock
from kiosk.context import open_context
from kiosk.errors import InputError, KioskError
from kiosk.paths import COMMAND

if TYPE_CHECKING:
    from kiosk.upstream.trust_sync import SyncReport


def register(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("trust", help="manage the trust list (import, list, update)")
    tsub = p.add_subparsers(dest="trust_command", metavar="ACTION")
    tsub.required = True
    imp = tsub.add_parser(
        "import",
        help="import DCC signer certificates (PEM bundles too, base64/raw DER, or a DGCA-style JSON "
        "trust list), NZCP DID documents (did.json) or SHC issuer keys (jwks.json, or an issuer's "
        "web-root folder with --issuer)",
    )
    common(imp)
    imp.add_argument("files", nargs="+", type=Path, metavar="CERT|DOC|FOLDER")
    imp.add_argument(
        "--issuer",
        metavar="ISSUER",
        help="the issuer (did:web id or https URL) whose did.json/jwks.json or web-root folder is imported; "
        "a DID document names itself",
    )
    imp.set_defaults(handler=run_import)
    lst = tsub.add_parser("list", help="list trusted signer certificates")
    common(lst)
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=run_list)
    exp = tsub.add_parser(
        "export-bundle",
        help="write a snapshot of the trust list (DCC signers, NZCP/SHC issuer documents) with its "
        "origin, time and source, for a package to carry",
    )
    common(exp)
    exp.add_argument("file", type=Path, metavar="FILE")
    exp.set_defaults(handler=run_export_bundle)
    upd = tsub.add_parser("update", help="download the trust list and revocations from the upstream service")
    common(upd)
    upd.set_defaults(handler=run_update)


def run_import(args: argparse.Namespace) -> int:
    from kiosk.passes.trust_bundle import load_bundle
    from kiosk.store.trust_store import TrustStore

    ctx = open_context(args.config, args.data)
    try:
        store = TrustStore(ctx.db())
        now = SystemClock().now()
        imported = refused = 0
        for file in args.files:
            try:
                data = None if file.is_dir() else file.read_bytes()
            except OSError as exc:
                print(f"kiosk: {file}: cannot read: {exc.strerror}", file=sys.stderr)
                refused += 1
                continue
            if data is None or _is_issuer_document(data):
                if _import_issuer(ctx.db(), file, args.issuer, now):
                    imported += 1
                else:
                    refused += 1
                continue
            try:
                bundle = load_bundle(data)
            except KioskError as exc:
                print(f"kiosk: {file}: skipped: {exc.message}", file=sys.stderr)
                refused += 1
                continue
            for cert in bundle.certs:
                store.add(cert, now)
                print(f"{file}: imported kid {cert.kid.hex()} ({cert.country or '??'}) {cert.subject}")
            for refusal in bundle.refused:
                # By position, not subject: the reason is enough to find the entry in the file.
                line = f"kiosk: {file}: certificate #{refusal.index} refused: {refusal.reason}"
                print(line, file=sys.stderr)
            if len(bundle.certs) + len(bundle.refused) > 1:
                print(f"{file}: {bundle.summary()}")
            imported += len(bundle.certs)
            refused += len(bundle.refused)
        if imported == 0:
            raise InputError("no certificate imported")
        if len(args.files) > 1 or refused:
            print(f"imported {imported} certificate(s); {refused} refused")
        return 0
    finally:
        ctx.close()


def _is_issuer_document(data: bytes) -> bool:
    """A DID document or a JWKS; anything else is read as DCC certificates (PEM, DER, or
    a DGCA-style JSON trust list). A folder (an issuer's web root) is an issuer too."""
    if data.lstrip()[:1] != b"{":
        return False
    try:
        doc = json.loads(data)
    except ValueError:
        return True  # the issuer reader names what is wrong with it
    return isinstance(doc, dict) and any(k in doc for k in ("keys", "verificationMethod", "@context"))


def _import_issuer(db: Any, file: Path, issuer: str | None, now: float) -> bool:
    from kiosk.passes.issuer_files import issuer_of_document, read_issuer_documents
    from kiosk.store.issuer_store import IssuerStore

    issuer = issuer or issuer_of_document(file)
    if issuer is None:
        print(f"kiosk: {file}: skipped: give the issuer with --issuer (a JWKS does not name it)",
              file=sys.stderr)
        return False
    try:
        docs = read_issuer_documents(issuer, file, fetched_at=now)
    except KioskError as exc:
        print(f"kiosk: {file}: skipped: {exc.message}", file=sys.stderr)
        return False
    IssuerStore(db).put(docs.keys, docs.document, docs.crls, source=docs.keys.source, fetched_at=now)
    kind = "DID document" if docs.keys.format == "did" else "JWKS"
    extra = f", {len(docs.crls)} revocation list(s)" if docs.crls else ""
    print(f"{file}: imported {kind} of {issuer} ({len(docs.keys.keys)} key(s){extra})")
    for why in docs.keys.skipped:
        print(f"kiosk: {file}: key not used: {why}", file=sys.stderr)
    return True


def run_export_bundle(args: argparse.Namespace) -> int:
    from kiosk.config_checks import is_loopback_url
    from kiosk.owner_tools.atomic import atomic_path
    from kiosk.passes.trust_snapshot import SIMULATOR, dump_snapshot
    from kiosk.store.trust_origin import snapshot_of, trust_origin

    ctx = open_context(args.config, args.data)
    try:
        now = SystemClock().now()
        url = ctx.config.upstream.url
        known = trust_origin(ctx.db(), now, url)
        # Made while the simulator is the upstream: its signers mint passes on request, so the
        # file says so, and a kiosk with a real upstream never uses it.
        source = SIMULATOR if url and is_loopback_url(url) else known.snapshot_source or known.source
        origin = url or known.origin
        made_at = known.updated_at if known.updated_at is not None else now
        snapshot = snapshot_of(ctx.db(), source=source, origin=origin, made_at=made_at)
        if not snapshot.certs and not snapshot.issuers:
            raise InputError("the trust list is empty: run `trust update` or `trust import` first")
        with atomic_path(args.file) as part:
            part.write_bytes(dump_snapshot(snapshot))
        print(f"{args.file}: {len(snapshot.certs)} signer(s), {len(snapshot.issuers)} issuer(s), "
              f"source {source}, from {origin or 'no upstream'}, {_age(max(0.0, now - made_at))} old")
        return 0
    finally:
        ctx.close()


def run_list(args: argparse.Namespace) -> int:
    from kiosk.store.issuer_store import IssuerStore
    from kiosk.store.trust_origin import BUNDLED, bundled_origin, trust_origin
    from kiosk.store.trust_store import TrustStore

    ctx = open_context(args.config, args.data)
    try:
        url = ctx.config.upstream.url
        entries = TrustStore(ctx.db()).list()
        issuers = IssuerStore(ctx.db()).list()
        origin = trust_origin(ctx.db(), SystemClock().now(), url)
        if args.json:
            # Each line says where its entry came from (source, origin) and how old it is.
            signers = {"source": origin.source, "origin": origin.origin,
                       "snapshot_source": origin.snapshot_source}
            for e in entries:
                print(json.dumps({**asdict(e), **signers}, ensure_ascii=False))
            for i in issuers:
                where = {BUNDLED: bundled_origin(ctx.db()), "upstream": url}.get(i.source)
                line = {"kind": "issuer", **asdict(i), "origin": where or None}
                print(json.dumps(line, ensure_ascii=False))
            return 0
        for i in issuers:
            kind = "NZCP DID document" if i.format == "did" else "SHC JWKS"
            print(f"issuer {i.issuer}: {kind}, {i.keys} key(s), {i.revocation_lists} revocation list(s), "
                  f"{_age(i.age_seconds)} old ({i.source})")
        if not entries and issuers:
            return 0
        if not entries:
            print(f"trust list is empty: run `{COMMAND} trust update` or `{COMMAND} trust import CERT`")
            return 0
        print(_origin_line(origin))
        print(f"{'kid':<18} {'country':<7} {'usage':<7} {'age':>9}  subject")
        for e in entries:
            usage = e.key_usage or "unknown"
            print(f"{e.kid_hex:<18} {e.country or '??':<7} {usage:<7} {_age(e.age_seconds):>9}  {e.subject}")
        return 0
    finally:
        ctx.close()


def run_update(args: argparse.Namespace) -> int:
    from kiosk.store.trust_store import TrustStore
    from kiosk.upstream.revocation_sync import sync_revocations
    from kiosk.upstream.trust_sync import sync_trust_list
    from kiosk.verify.online import UpstreamFailure
    from kiosk.wiring import build_client

    ctx = open_context(args.config, args.data)
    try:
        client = build_client(ctx, clock=SystemClock(), rng=random.Random())
        report = sync_trust_list(client, TrustStore(ctx.db()), SystemClock())
        print(_trust_summary(report))
        try:
            revocations = sync_revocations(client, ctx.db(), SystemClock())
        except UpstreamFailure as exc:
            # The trust list above is already saved; say which half failed.
            raise UpstreamFailure(
                exc.cause, f"revocation list not updated: {exc.message}", retry_after_s=exc.retry_after_s
            ) from None
        print(revocations.summary())
        from kiosk.store.issuer_store import IssuerStore
        from kiosk.upstream.issuer_sync import sync_issuers

        try:
            issuers = sync_issuers(client, IssuerStore(ctx.db()), SystemClock())
        except UpstreamFailure as exc:
            raise UpstreamFailure(
                exc.cause, f"NZCP/SHC issuers not updated: {exc.message}", retry_after_s=exc.retry_after_s
            ) from None
        print(issuers.summary())
        return 0
    finally:
        ctx.close()


def _origin_line(origin: Any) -> str:
    return f"signer list: {origin.describe()}, {_age(origin.age_seconds or 0.0)} old"


def _trust_summary(report: SyncReport) -> str:
    line = f"trust list: {report.stored} certificate(s) stored"
    if report.skipped:
        line += f", {len(report.skipped)} unusable skipped"
    if report.missing_kids:
        line += f", {len(report.missing_kids)} listed but not delivered"
    return line


def _age(seconds: float) -> str:
    if seconds < 3600:
        return f"{int(seconds // 60)} min"
    if seconds < 86400 * 2:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"
