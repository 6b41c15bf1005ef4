"""`kiosk verify --json` on NZ COVID Passes and SMART Health Cards: the shared test cases, the
`--trust-issuer` contract, chunked cards given as several TEXT arguments, and one-character
mutations of the published valid examples."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.cli import main
from kiosk.passes.shc_issue import (
    card_payload,
    immunization,
    jwks,
    new_key,
    patient,
    qr_texts,
    sign_card,
)

REPO = Path(__file__).resolve().parents[2]
TESTDATA = REPO / ".." / "shared" / "testdata"
CONTRACT_KEYS = {
    "kind", "decoded", "stage_error", "signature", "expired", "key_usage", "decision", "reason",
    "verified_by", "payload", "holder_masked", "visit_id",
}


def _cases(fmt: str) -> Iterator[Any]:
    folder = TESTDATA / fmt
    index = folder / "cases.json"
    if not index.is_file():
        yield pytest.param(None, None, None, marks=pytest.mark.skip(reason=f"no {fmt} test data at {index}"))
        return
    spec = json.loads(index.read_text(encoding="utf-8"))
    for case in spec["cases"]:
        yield pytest.param(folder, spec, case, id=f"{fmt}/{case['text']}")


def _verify(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, Any]], str]:
    code = main(["verify", "--offline", "--json", *args])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def _trust_args(folder: Path, spec: dict[str, Any]) -> list[str]:
    assert spec["trust"] == "issuer"
    return ["--trust-issuer", f"{spec['issuer']}={folder / 'issuer'}", "--at", spec["at"]]


@pytest.mark.corpus
@pytest.mark.parametrize(("folder", "spec", "case"), [*_cases("nzcp"), *_cases("shc")])
def test_shared_case_gives_its_expected_keys(
    capsys: pytest.CaptureFixture[str], folder: Path, spec: dict[str, Any], case: dict[str, Any]
) -> None:
    text = (folder / case["text"]).read_text(encoding="utf-8").strip()
    code, [out], err = _verify(capsys, *_trust_args(folder, spec), text)
    assert code == 0, err
    assert set(out) == CONTRACT_KEYS
    expect = dict(case["expect"])
    not_reason = expect.pop("not_reason", None)
    assert {k: out[k] for k in expect} == expect
    if not_reason is not None:
        assert out["reason"] != not_reason
    if "payload" in case:
        assert out["payload"] == json.loads((folder / case["payload"]).read_text(encoding="utf-8"))
    if out["decision"] == "admit":
        assert out["reason"] == "valid" and out["verified_by"] == "offline"


@pytest.mark.corpus
@pytest.mark.parametrize(("folder", "spec", "case"), [*_cases("nzcp"), *_cases("shc")])
def test_shared_case_image_decodes_to_its_text(
    capsys: pytest.CaptureFixture[str], folder: Path, spec: dict[str, Any], case: dict[str, Any]
) -> None:
    if "image" not in case:
        pytest.skip("the case has no image")
    text = (folder / case["text"]).read_text(encoding="utf-8").strip()
    image = str(folder / case["image"])
    code, [by_image], err = _verify(capsys, *_trust_args(folder, spec), "--image", image)
    assert code == 0, err
    _, [by_text], _ = _verify(capsys, *_trust_args(folder, spec), text)
    assert by_image == by_text


def _mutations(text: str) -> Iterator[str]:
    """Every position replaced by another character of the text's alphabet; the last characters
    (where base32/base64url keep unused bits) by every other character of it."""
    alphabet = sorted(set(text))
    for i in range(len(text)):
        if i >= len(text) - 4:
            replacements = [c for c in alphabet if c != text[i]]
        else:
            replacements = [alphabet[(alphabet.index(text[i]) + 1) % len(alphabet)]]
        for replacement in replacements:
            yield text[:i] + replacement + text[i + 1 :]


@pytest.mark.corpus
@pytest.mark.parametrize("fmt", ["nzcp", "shc"])
def test_one_character_mutations_of_the_valid_example_never_verify(
    capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    folder = TESTDATA / fmt
    if not (folder / "cases.json").is_file():
        pytest.skip(f"no {fmt} test data")
    spec = json.loads((folder / "cases.json").read_text(encoding="utf-8"))
    valid = next(c for c in spec["cases"] if c["expect"].get("signature") == "valid"
                 and c["expect"].get("expired") is False)
    text = (folder / valid["text"]).read_text(encoding="utf-8").strip()
    mutants = list(_mutations(text))
    stdin = "\n".join(mutants) + "\n"
    import io
    import sys

    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        code, outs, _err = _verify(capsys, *_trust_args(folder, spec), "-")
    finally:
        sys.stdin = old
    assert code == 0
    assert len(outs) == len(mutants)
    verified = [i for i, out in enumerate(outs) if out["signature"] == "valid"]
    assert verified == [], f"mutations at positions {verified[:10]} still verify"
    assert all(out["decision"] == "deny" for out in outs)


# --- chunked SMART Health Cards on the command line ---------------------------------------------

ISS = "https://issuer.example.org/shc"
NOW = 1_780_000_000.0  # 2026-05-28
AT = "2026-05-28T12:00:00Z"


@pytest.fixture(scope="module")
def card() -> dict[str, Any]:
    key, kid = new_key()
    claims = card_payload(ISS, NOW - 30 * 86_400, [
        patient(), immunization("208", "2026-03-01"), immunization("208", "2026-03-29"),
    ])
    other = card_payload(ISS, NOW - 30 * 86_400, [patient("Otherperson"), immunization("212", "2026-03-01")])
    return {
        "jws": sign_card(claims, key, kid),
        "other_jws": sign_card(other, key, kid),
        "jwks": jwks({kid: key.public_key()}),
    }


@pytest.fixture
def jwks_file(tmp_path: Path, card: dict[str, Any]) -> Path:
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(card["jwks"]), encoding="utf-8")
    return path


def test_chunks_in_any_order_are_one_pass(
    capsys: pytest.CaptureFixture[str], card: dict[str, Any], jwks_file: Path
) -> None:
    chunks = qr_texts(card["jws"], chunks=3)
    code, outs, err = _verify(capsys, "--trust-issuer", f"{ISS}={jwks_file}", "--at", AT,
                              chunks[2], chunks[0], chunks[1])
    assert code == 0, err
    assert len(outs) == 1
    assert (outs[0]["kind"], outs[0]["signature"], outs[0]["decision"], outs[0]["reason"]) == (
        "shc", "valid", "admit", "valid"
    )


def test_a_lone_chunk_is_not_admitted_and_names_the_missing_parts(
    capsys: pytest.CaptureFixture[str], card: dict[str, Any], jwks_file: Path
) -> None:
    chunks = qr_texts(card["jws"], chunks=3)
    code, outs, err = _verify(capsys, "--trust-issuer", f"{ISS}={jwks_file}", "--at", AT, chunks[1])
    assert code == 2 and outs == []
    assert "part 2 of 3 scanned; parts 1, 3 missing" in err


def test_a_lone_chunk_read_from_stdin_is_denied_with_the_missing_parts(
    capsys: pytest.CaptureFixture[str], card: dict[str, Any], jwks_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(qr_texts(card["jws"], chunks=2)[0] + "\n"))
    code, [out], _ = _verify(capsys, "--trust-issuer", f"{ISS}={jwks_file}", "--at", AT, "-")
    assert code == 0
    assert (out["kind"], out["decoded"]) == ("shc", False)
    assert (out["stage_error"], out["decision"]) == ("chunks", "deny")


def test_chunks_of_two_different_cards_are_never_one_valid_pass(
    capsys: pytest.CaptureFixture[str], card: dict[str, Any], jwks_file: Path
) -> None:
    mine = qr_texts(card["jws"], chunks=2)
    theirs = qr_texts(card["other_jws"], chunks=2)
    code, outs, err = _verify(capsys, "--trust-issuer", f"{ISS}={jwks_file}", "--at", AT, mine[0], theirs[1])
    assert code == 0, err
    [out] = outs
    assert out["decision"] == "deny" and out["signature"] != "valid"
    # A different number of parts is told at once.
    three = qr_texts(card["other_jws"], chunks=3)
    code, outs, err = _verify(capsys, "--trust-issuer", f"{ISS}={jwks_file}", "--at", AT, mine[0], three[1])
    assert code == 2 and outs == [] and "two different cards" in err


def test_chunk_index_out_of_range_is_refused(
    capsys: pytest.CaptureFixture[str], card: dict[str, Any], jwks_file: Path
) -> None:
    first = qr_texts(card["jws"], chunks=2)[0]
    for bad in (first.replace("shc:/1/2/", "shc:/3/2/"), first.replace("shc:/1/2/", "shc:/0/2/")):
        code, [out], err = _verify(capsys, "--trust-issuer", f"{ISS}={jwks_file}", "--at", AT, bad)
        assert code == 0, err
        assert (out["stage_error"], out["decision"]) == ("chunks", "deny")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("no-equals-sign", "expected ISSUER=PATH"),
        (f"{ISS}=/nonexistent/jwks.json", "no such file"),
        ("did:web:example.org=/nonexistent", "no such file"),
    ],
)
def test_bad_trust_issuer_argument_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], value: str, message: str
) -> None:
    code = main(["verify", "--offline", "--trust-issuer", value, "shc:/56"])
    _out, err = capsys.readouterr()
    assert code == 2
    assert message in err and "Traceback" not in err


def test_untrusted_issuer_is_denied_as_unknown_issuer(
    capsys: pytest.CaptureFixture[str], card: dict[str, Any]
) -> None:
    code, [out], err = _verify(capsys, "--at", AT, qr_texts(card["jws"])[0])
    assert code == 0, err
    assert (out["kind"], out["signature"], out["decision"], out["reason"]) == (
        "shc", "unknown-key", "deny", "unknown_issuer"
    )
    assert out["holder_masked"] == "A*******n J. B."
