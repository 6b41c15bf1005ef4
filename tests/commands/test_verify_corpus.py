"""The EU DCC corpus through the CLI: `kiosk verify --json --offline --trust-cert CERT --at CLOCK TEXT`.

Same judgement as tests/passes/test_corpus.py, but on the JSON contract instead of
the library value, so the argument parsing (inline base64 certificates, the corpus's
many clock spellings) and the JSON rendering are part of what is checked.

Disagreements with the corpus are xfail(strict), decided by properties of the case
data and never by file name:
- the case's own CBOR field decodes to a payload that differs from its JSON field
  (the corpus is inconsistent with itself; we return what was signed);
- the signer certificate's extensions cannot be parsed, so the key usage is
  "unknown" by design (docs/decisions/0007) where the corpus expects "ok".
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
from typing import Any

import pytest

from kiosk.cli import main
from tests.passes.corpus import LATER_EXPECTATIONS, Case, corpus_disagreement, load_cases

pytestmark = pytest.mark.corpus

CASES = load_cases()
MIN_AGREEMENT = 0.995

_BEFORE = {
    "EXPECTEDUNPREFIX": {"prefix"},
    "EXPECTEDB45DECODE": {"prefix", "base45"},
    "EXPECTEDCOMPRESSION": {"prefix", "base45", "zlib"},
}
SUPPORTED = (*_BEFORE, *LATER_EXPECTATIONS)


@functools.cache
def _run(index: int) -> dict[str, Any]:
    """The CLI's JSON for one case (run in-process; stdout/stderr captured)."""
    case = CASES[index]
    args = ["verify", "--json", "--offline"]
    cert = case.context.get("CERTIFICATE")
    if cert:
        args += ["--trust-cert", str(cert)]
    clock = case.context.get("VALIDATIONCLOCK")
    if clock:
        args += ["--at", str(clock)]
    args.append(case.text)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    assert code == 0, f"exit {code}: {err.getvalue().strip()}"
    assert err.getvalue() == ""
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    return json.loads(lines[0])


def _actual(key: str, out: dict[str, Any], case: Case) -> bool:
    """What the CLI's answer says about one expectation; False expectations mean the opposite outcome."""
    if key in _BEFORE:
        return out["stage_error"] not in _BEFORE[key]
    if key == "EXPECTEDDECODE":
        return out["decoded"] is True and out["stage_error"] not in {"cose", "cbor"}
    if key == "EXPECTEDVALIDJSON":
        return out["decoded"] is True and out["payload"] == case.data.get("JSON")
    if key == "EXPECTEDVERIFY":
        return out["signature"] == "valid"
    if key == "EXPECTEDEXPIRATIONCHECK":
        return out["expired"] is False
    if key == "EXPECTEDKEYUSAGE":
        return out["key_usage"] == "ok"
    raise AssertionError(f"unsupported key {key}")


def _judged() -> list[tuple[int, str, str | None]]:
    found = []
    for index, case in enumerate(CASES):
        for key in SUPPORTED:
            if key not in case.expected:
                continue
            if key == "EXPECTEDEXPIRATIONCHECK" and not case.context.get("VALIDATIONCLOCK"):
                continue  # nothing to judge the expiry against
            found.append((index, key, corpus_disagreement(case, key)))
    return found


JUDGED = _judged()


def _params() -> list[Any]:
    """One test per case for the keys we agree on (pytest's per-test cost dominates otherwise),
    plus one strict xfail per (case, key) we knowingly disagree on."""
    if not CASES:
        return [pytest.param(None, (), marks=pytest.mark.skip(reason="DCC corpus not found"))]
    agreed: dict[int, list[str]] = {}
    params = []
    for index, key, reason in JUDGED:
        if reason is None:
            agreed.setdefault(index, []).append(key)
        else:
            marks = [pytest.mark.xfail(strict=True, reason=reason)]
            params.append(pytest.param(index, (key,), id=f"{CASES[index].name}:{key}", marks=marks))
    params += [pytest.param(i, tuple(keys), id=CASES[i].name) for i, keys in agreed.items()]
    return params


@pytest.mark.parametrize(("index", "keys"), _params())
def test_expectations(index: int, keys: tuple[str, ...]) -> None:
    case = CASES[index]
    out = _run(index)
    detail = {k: out[k] for k in ("stage_error", "signature", "expired", "key_usage", "reason")}
    wrong = {key: case.expected[key] for key in keys if _actual(key, out, case) is not case.expected[key]}
    assert not wrong, f"expected {wrong}, got {detail}"


@pytest.mark.skipif(not CASES, reason="DCC corpus not found")
def test_agreement_with_the_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    agree = sum(_actual(key, _run(i), CASES[i]) is CASES[i].expected[key] for i, key, _ in JUDGED)
    share = agree / len(JUDGED)
    with capsys.disabled():
        print(f"\nkiosk verify vs DCC corpus: {agree}/{len(JUDGED)} expectations agree ({share:.2%})")
    assert share >= MIN_AGREEMENT


@pytest.mark.skipif(not CASES, reason="DCC corpus not found")
def test_every_decoded_valid_case_gets_a_verdict_consistent_with_its_checks() -> None:
    for index, case in enumerate(CASES):
        out = _run(index)
        if out["decision"] == "admit":
            # An admission needs everything: never on a bad signature, an expiry or a key-usage clash.
            assert out["signature"] == "valid" and out["expired"] is False, case.name
            assert out["key_usage"] in ("ok", "unknown"), case.name
        assert out["kind"] in ("dcc", "unknown")
