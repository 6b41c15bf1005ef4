"""`kiosk verify`: check one pass (or one per line from stdin) and print the verdict.

With `-`, every input line gets its own verdict (and visit, with `--db`): a line that
cannot be checked is reported on stderr as `kiosk: line N: ...` and the batch goes on.
Exit 0 when every line got a verdict, 2 when a line was refused, 70 when a line hit an
internal error; a store error stops the batch (no verdict may be shown unrecorded).
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kiosk.clock import SystemClock
from kiosk.context import Context, open_context
from kiosk.decision import PassKind
from kiosk.errors import InputError, KioskError, TrustError
from kiosk.passes.issuer_files import load_issuer_path
from kiosk.passes.issuers import IssuerKeys, StaticIssuers
from kiosk.passes.model import SignerCert, TrustLookup
from kiosk.passes.shc_qr import ChunkCollector, ChunkMismatch, QrError, missing_message, parse_qr
from kiosk.timefmt import parse_instant
from kiosk.verify.engine import Evaluation, VerificationEngine
from kiosk.wiring import build_engine


def register(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("verify", help="verify one pass (or one per line from stdin with '-')")
    common(p)
    p.add_argument("--db", type=Path, help="use this database's trust list and record each check as a visit")
    p.add_argument(
        "--trust-cert",
        action="append",
        default=[],
        metavar="CERT",
        help="a signer certificate trusted for this run: a PEM/DER file or inline base64 DER (repeatable)",
    )
    p.add_argument(
        "--trust-issuer",
        action="append",
        default=[],
        metavar="ISSUER=PATH",
        help="trust an NZCP/SHC issuer (a did:web id or https URL) with the keys at PATH: its web-root "
        "folder (.well-known/did.json, or .well-known/jwks.json and crl/) or one did.json/jwks.json",
    )
    p.add_argument("--at", metavar="ISO8601", help="validation time (default: now); no zone means UTC")
    p.add_argument("--offline", action="store_true", help="never ask the upstream service")
    p.add_argument("--json", action="store_true", help="print one JSON object per input")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument(
        "text",
        nargs="*",
        default=[],
        help="the QR text, or '-' to read one per line from stdin; several texts are several passes, "
        "except the chunks (shc:/C/N/...) of one SMART Health Card, which are one",
    )
    src.add_argument("--image", type=Path, help="decode the QR code(s) in this image file")
    p.set_defaults(handler=run)


class ChainedTrust:
    """Certificates given on the command line first, then the database's trust list."""

    def __init__(self, extra: list[SignerCert], base: TrustLookup | None) -> None:
        self._extra = extra
        self._base = base

    def signers_for(self, kid: bytes) -> list[SignerCert]:
        found = [c for c in self._extra if c.kid == kid]
        if self._base is not None:
            found += [c for c in self._base.signers_for(kid) if c not in found]
        return found


def load_cert_argument(value: str) -> list[SignerCert]:
    """A `--trust-cert` value (file or inline base64): every certificate it holds.

    Errors name the argument that was wrong; refused entries of a bundle are reported
    on stderr by position and the rest are used.
    """
    from kiosk.passes.trust_bundle import load_bundle

    path = Path(value)
    try:
        is_file = len(value) < 4096 and path.is_file()
    except OSError:
        is_file = False
    if is_file:
        try:
            data: bytes | str = path.read_bytes()
        except OSError as exc:
            raise InputError(f"--trust-cert {value}: cannot read the file ({exc.strerror})") from None
        shown = value
    elif "." in value or "\\" in value:
        # Base64 (and inline PEM) never holds a dot or a backslash: this was meant as a file name.
        raise InputError(f"--trust-cert {value}: no such file (nor inline base64 certificate)")
    else:
        data = value
        shown = "(inline)" if len(value) > 40 else value
    try:
        bundle = load_bundle(data)
    except TrustError as exc:
        raise InputError(f"--trust-cert {shown}: {exc.message}") from None
    if not bundle.certs:
        reason = bundle.refused[0].reason if bundle.refused else "no certificate found"
        raise InputError(f"--trust-cert {shown}: {reason}")
    for refusal in bundle.refused:
        print(f"kiosk: --trust-cert {shown}: certificate #{refusal.index} refused: {refusal.reason}",
              file=sys.stderr)
    return list(bundle.certs)


def load_issuer_argument(value: str, now: float) -> IssuerKeys:
    """A `--trust-issuer ISSUER=PATH` value; errors name the argument that was wrong."""
    issuer, eq, path = value.partition("=")
    if not eq or not issuer or not path:
        raise InputError(f"--trust-issuer {value[:80]}: expected ISSUER=PATH")
    try:
        return load_issuer_path(issuer, Path(path), fetched_at=now)
    except TrustError as exc:
        raise InputError(f"--trust-issuer {issuer[:80]}: {exc.message}") from None


def join_chunks(texts: list[str]) -> list[str]:
    """The passes among command-line texts: the chunks of a SMART Health Card become one text,
    in the place of its first chunk. InputError for an incomplete card or chunks of two cards."""
    out: list[str] = []
    collector = ChunkCollector()
    slot: int | None = None
    for text in texts:
        try:
            chunk = parse_qr(text) if text.strip().startswith("shc:/") else None
        except QrError:
            chunk = None  # not a well-formed chunk: verified alone, and denied with its reason
        if chunk is None or chunk.whole:
            out.append(text)
            continue
        try:
            collector = collector.add(chunk)
        except ChunkMismatch as exc:
            raise InputError(f"SMART Health Card chunks of two different cards: {exc}") from None
        if slot is None:
            slot = len(out)
            out.append("")
    if slot is not None:
        if not collector.complete:
            raise InputError(f"SMART Health Card incomplete: {missing_message(collector)}")
        out[slot] = collector.text()
    return out


def _stdin_lines() -> Iterator[str]:
    """Lines of stdin as text; bytes that are not UTF-8 become U+DC80..U+DCFF, never an error.

    The locale decides how `sys.stdin` decodes (strict under a UTF-8 locale), so a
    scanner that sends one Latin-1 byte would otherwise end the whole batch.
    """
    raw = getattr(sys.stdin, "buffer", None)
    if raw is None:  # replaced by a text stream (tests, embedding)
        yield from sys.stdin
        return
    for line in raw:
        yield line.decode("utf-8", "surrogateescape")


def _inputs(args: argparse.Namespace) -> Iterator[tuple[int | None, str]]:
    """(line number or None, text) per input; blank stdin lines are skipped but counted."""
    if args.image is not None:
        from kiosk.camera.images import decode_image_file

        scan = decode_image_file(args.image)
        if not scan.texts:
            raise InputError(f"no QR code found in {args.image}")
        for text in join_chunks(list(scan.texts)):
            yield None, text
    elif args.text == ["-"]:
        for number, line in enumerate(_stdin_lines(), start=1):
            if line.strip():
                yield number, line.rstrip("\r\n")
    else:
        if "-" in args.text:
            raise InputError("'-' (read stdin) cannot be combined with other texts")
        for text in join_chunks(args.text):
            yield None, text


def run(args: argparse.Namespace) -> int:
    ctx = open_context(args.config, args.data, args.db)
    try:
        return _run(args, ctx)
    finally:
        ctx.close()


def _run(args: argparse.Namespace, ctx: Context) -> int:
    if args.image is None and not args.text:
        raise InputError("give a QR text, '-' or --image FILE")
    extra = [cert for v in args.trust_cert for cert in load_cert_argument(v)]
    now = SystemClock().now()
    issuers = StaticIssuers(load_issuer_argument(v, now) for v in args.trust_issuer)
    try:
        at = parse_instant(args.at) if args.at is not None else None
    except InputError as exc:
        raise InputError(f"--at: {exc.message}") from None
    # Only an explicit --db records visits: a one-off check must not pollute the venue's visit log.
    use_db = args.db is not None or ctx.db_path.exists()
    engine: VerificationEngine = build_engine(
        ctx,
        clock=SystemClock(),
        rng=random.Random(),
        use_db=use_db,
        record=args.db is not None,
        online=not args.offline,
        trust_wrapper=lambda base: ChainedTrust(extra, base),
        issuers=issuers,
        # Signers named on the command line are trusted for this run whatever the list's age.
        judge_trust_age=not (extra or args.trust_issuer),
    )
    status = 0
    for number, text in _inputs(args):
        where = f"line {number}: " if number is not None else ""
        try:
            evaluation = engine.verify(text, at=at)
        except KioskError as exc:
            if exc.key.startswith("store"):
                raise
            if number is None:
                raise InputError(exc.message) from None
            print(f"kiosk: {where}{exc.message}", file=sys.stderr, flush=True)
            status = max(status, 2)
            continue
        except Exception as exc:
            if number is None:
                raise
            # A bug must not end the batch: the other lines still get their verdict and visit.
            logging.getLogger("kiosk").debug("unexpected error on %s", where.strip(), exc_info=True)
            print(
                f"kiosk: {where}internal error ({type(exc).__name__}); no verdict for this line",
                file=sys.stderr,
                flush=True,
            )
            status = 70
            continue
        if args.json:
            print(json.dumps(to_json(evaluation), ensure_ascii=False, default=str), flush=True)
        else:
            print(to_line(evaluation), flush=True)
    return status


def to_json(ev: Evaluation) -> dict[str, Any]:
    """The `kiosk verify --json` contract (docs/architecture.md, "Contracts"): keep these keys stable."""
    d, c = ev.decision, ev.dcc
    return {
        "kind": str(d.kind),
        "decoded": bool(c and c.decoded),
        "stage_error": (
            str(c.stage_error) if c and c.stage_error else ("prefix" if d.kind is PassKind.UNKNOWN else None)
        ),
        "signature": str(c.signature) if c else "not-checked",
        "expired": c.expired if c else None,
        "key_usage": str(c.key_usage) if c and c.key_usage else None,
        "decision": str(d.verdict),
        "reason": str(d.reason),
        "verified_by": str(d.verified_by),
        "payload": c.payload if c else None,
        "holder_masked": d.holder_masked,
        "visit_id": d.visit_id,
    }


def to_line(ev: Evaluation) -> str:
    d = ev.decision
    parts = [str(d.verdict).upper().ljust(6), str(d.reason), f"({d.verified_by})"]
    if d.holder_masked:
        parts.append(d.holder_masked)
    return "  ".join(parts)
