"""`kiosk verify --db F -` with hostile input lines: one verdict and one visit per line, always.

Real subprocesses (`python -m kiosk`), real bytes on stdin, a real SQLite file.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from kiosk.pass_hash import pass_hash
from kiosk.passes.issue import make_signer
from kiosk.passes.signer import load_signer_cert
from tests.passes.forge import DAY, NOW, PLACES, SPECIAL, Edit, forge

REPO = Path(__file__).resolve().parents[2]
AT = "2026-05-28T12:00:00Z"  # forge.NOW


def _env(home: Path, locale: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "LC_", "PYTHONIO"))}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "cfg"), XDG_DATA_HOME=str(home / "data"))
    env.update(PYTHONPATH=str(REPO), LC_ALL=locale, LANG=locale)
    return env


def _verify(
    tmp_path: Path, stdin: bytes, *args: str, locale: str = "C.UTF-8"
) -> subprocess.CompletedProcess[bytes]:
    db = str(tmp_path / "kiosk.db")
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "verify", "--offline", "--db", db, *args, "-"],
        input=stdin, capture_output=True, env=_env(tmp_path, locale), cwd=tmp_path, timeout=120,
    )


def _stored_hashes(tmp_path: Path) -> list[str]:
    with sqlite3.connect(tmp_path / "kiosk.db") as conn:
        return [row[0] for row in conn.execute("SELECT pass_hash FROM visits")]


@pytest.mark.parametrize("locale", ["C.UTF-8", "C"])
def test_a_line_that_is_not_utf8_gets_its_own_verdict(tmp_path: Path, locale: str) -> None:
    """The issue's reproduction: `printf 'KP1:a\\n\\xff\\nKP1:c\\n' | kiosk verify --offline --db F -`."""
    proc = _verify(tmp_path, b"KP1:a\n\xff\nKP1:c\n", locale=locale)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    assert proc.stderr == b""
    assert proc.stdout.decode().splitlines() == [
        "MANUAL  upstream_unavailable  (none)",
        "DENY    not_a_pass  (none)",
        "MANUAL  upstream_unavailable  (none)",
    ]
    expected = [hashlib.sha256(raw).hexdigest() for raw in (b"KP1:a", b"\xff", b"KP1:c")]
    assert sorted(_stored_hashes(tmp_path)) == sorted(expected)


def _hostile_lines(rng: random.Random, key: object, kid: bytes) -> list[bytes]:
    lines: list[bytes] = []
    prefixes = [b"", b"HC1:", b"KP1:", b" HC1:"]
    for _ in range(60):  # random bytes, any of them, except the line end
        body = bytes(rng.choice([b for b in range(256) if b != 0x0A]) for _ in range(rng.randrange(1, 120)))
        lines.append(rng.choice(prefixes) + body)
    odd = [b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x00", b"\x1b[2J", b"\xef\xbb\xbf",
           b"\xe2\x80\xa8", b"\xc2\x85", b"\r", b"\t", b"\x7f"]
    for raw in odd:  # invalid UTF-8, control characters, BOM, Unicode line and page breaks
        lines += [b"x" + raw, b"KP1:" + raw + b"y", b"HC1:" + raw + b"NCF"]
    lines.append(b"HC1:" + b"A" * (64 * 1024 - 4))
    lines.append(b"KP1:" + b"\xff" * 70_000)
    lines.append(b"HC1:" + b"%" * 70_000)
    for place, keys in PLACES.items():  # signed passes with a hostile value at each key
        for k in keys:
            value = rng.choice(SPECIAL)
            lines.append(forge(key, kid, rng.choice("vtr"), [Edit(place, k, value)]).encode("ascii"))
    lines += [forge(key, kid, kind, []).encode("ascii") for kind in "vtr"]  # and good ones
    # Every line holds a letter, so none is a blank line (blank lines are skipped by design).
    return [line if any(chr(b).isalpha() for b in line if b < 0x80) else line + b"z" for line in lines]


def test_many_hostile_lines_give_one_verdict_and_one_visit_each(tmp_path: Path) -> None:
    key, der = make_signer("ES256", "XA", "Hostile CLI DSC", None, NOW - 365 * DAY, NOW + 365 * DAY)
    pem = tmp_path / "signer.pem"
    pem.write_bytes(x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM))
    lines = _hostile_lines(random.Random(2026), key, load_signer_cert(der).kid)
    # Unix and DOS line ends alternate.
    stdin = b"".join(line + (b"\r\n" if i % 2 else b"\n") for i, line in enumerate(lines))

    proc = _verify(tmp_path, stdin, "--json", "--trust-cert", str(pem), "--at", AT)

    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    assert proc.stderr == b""
    outs = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert len(outs) == len(lines)
    assert {o["decision"] for o in outs} <= {"admit", "deny", "manual"}
    assert [o["decision"] for o in outs[-3:]] == ["admit"] * 3  # the forging really is trusted
    assert all(o["visit_id"] for o in outs)
    # Exactly one visit per line, each under the hash of that line's own bytes.
    expected = Counter(pass_hash(line.decode("utf-8", "surrogateescape")) for line in lines)
    assert Counter(_stored_hashes(tmp_path)) == expected
