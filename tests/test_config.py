from __future__ import annotations

import base64
import dataclasses
import re
from pathlib import Path

import pytest

from kiosk.config import (
    BreakerSettings,
    Config,
    RulesConfig,
    UpstreamConfig,
    load_config,
    parse_config,
    sections,
)
from kiosk.config_fields import settings_of
from kiosk.config_layers import user_config_path
from kiosk.errors import ConfigError, KioskError

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "config.example.toml"


def write(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_for(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert "\n" not in info.value.message  # one message, one line
    assert str(path) in info.value.message
    return info.value.message


# --- the example file and the defaults cannot drift ---


def test_example_file_equals_the_defaults() -> None:
    assert load_config(EXAMPLE) == Config()


def test_example_file_documents_every_key() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    for section, section_type in sections().items():
        block = re.search(rf"^\[{section}\]\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
        assert block, f"[{section}] missing from config.example.toml"
        for key in settings_of(section_type):
            line = re.search(rf"^{key} = .*$", block.group(1), re.M)
            assert line, f"[{section}] {key} missing from config.example.toml"
            # Every key has a comment somewhere above it in its section.
            assert "#" in block.group(1)[: line.start()], f"[{section}] {key} is undocumented"


def test_every_dataclass_field_is_a_setting() -> None:
    for section_type in sections().values():
        names = {f.name for f in dataclasses.fields(section_type)}
        assert names == set(settings_of(section_type))


# --- loading ---


def test_none_without_a_default_file_gives_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert load_config(None) == Config()


def test_default_path_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert user_config_path() == tmp_path / "xdg" / "venue-pass-kiosk" / "config.toml"


def test_default_path_follows_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert user_config_path().is_relative_to(tmp_path)


def test_the_default_file_is_read_when_present(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    folder = tmp_path / "venue-pass-kiosk"
    folder.mkdir()
    write(folder, "[verify]\nbudget_ms = 800\n")
    assert load_config(None).verify.budget_ms == 800


def test_a_missing_named_file_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigError) as info:
        load_config(missing)
    assert str(missing) in info.value.message
    assert "not found" in info.value.message


def test_partial_file_keeps_other_defaults(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            '[kiosk]\nid = "door-2"\nlanguage = "en"\n\n[rules]\ntest_rat_max_hours = 24\n'
            '[upstream]\nurl = "https://verify.example.com/api"\nprobe_max_s = 120\n',
        )
    )
    assert config.kiosk.id == "door-2"
    assert config.kiosk.language == "en"
    assert config.rules == RulesConfig(test_rat_max_hours=24)
    assert config.upstream.url == "https://verify.example.com/api"
    assert config.upstream.probe_max_s == 120.0
    assert isinstance(config.upstream.probe_max_s, float)  # TOML int accepted for a float key
    assert config.verify == Config().verify


def test_config_is_frozen() -> None:
    config = Config()
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.verify.budget_ms = 5  # type: ignore[misc]


def test_utf8_bom_and_korean_text(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xef\xbb\xbf" + '[kiosk]\nvenue_name = "한식당 본점"\n'.encode())
    assert load_config(path).kiosk.venue_name == "한식당 본점"


def test_relative_data_dir_is_relative_to_the_file(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[kiosk]\ndata_dir = "kiosk-data"\n'))
    assert Path(config.kiosk.data_dir) == tmp_path / "kiosk-data"


def test_absolute_data_dir_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    config = load_config(write(tmp_path, f"[kiosk]\ndata_dir = '{target}'\n"))
    assert Path(config.kiosk.data_dir) == target


def test_breaker_settings_come_from_upstream() -> None:
    upstream = UpstreamConfig(
        failure_threshold=5, latency_window=30, latency_min_samples=12, p90_threshold_ms=800
    )
    settings = upstream.breaker_settings()
    assert settings == BreakerSettings(
        failure_threshold=5,
        window_size=30,
        min_samples=12,
        p90_threshold_s=0.8,
        probe_base_s=1.0,
        probe_max_s=180.0,
    )


def test_owner_public_key_bytes(tmp_path: Path) -> None:
    key = bytes(range(32))
    for encoded in (base64.b64encode(key).decode(), base64.urlsafe_b64encode(key).decode().rstrip("=")):
        config = load_config(write(tmp_path, f'[privacy]\nowner_public_key = "{encoded}"\n'))
        assert config.privacy.owner_public_key_bytes() == key
    assert Config().privacy.owner_public_key_bytes() is None


# --- errors: one clear message naming file, key and expectation ---


def test_syntax_error_has_file_line_column(tmp_path: Path) -> None:
    message = error_for(tmp_path, "[verify]\nbudget_ms = 1000\nreserve_ms 150\n")
    assert re.search(r"config\.toml:3:\d+: TOML syntax error", message)


def test_unknown_key_suggests_the_nearest(tmp_path: Path) -> None:
    message = error_for(tmp_path, "[verify]\nbudget_ms = 900\nbudget_msec = 1000\n")
    assert "config.toml:3" in message
    assert "[verify] budget_msec" in message
    assert 'did you mean "budget_ms"' in message


def test_unknown_key_without_a_near_match_lists_known_keys(tmp_path: Path) -> None:
    message = error_for(tmp_path, "[verify]\nzzz = 1\n")
    assert "budget_ms" in message and "reserve_ms" in message


def test_unknown_section_suggests_the_nearest(tmp_path: Path) -> None:
    message = error_for(tmp_path, "[rule]\nvaccination_min_days = 14\n")
    assert "config.toml:1" in message
    assert "[rule]" in message
    assert 'did you mean "rules"' in message


def test_top_level_value_is_not_a_section(tmp_path: Path) -> None:
    message = error_for(tmp_path, "verify = 3\n")
    assert "[verify] section" in message


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("[verify]\nbudget_ms = 50\n", ["[verify] budget_ms", "from 100 to 10000", "milliseconds", "got 50"]),
        ("[verify]\nbudget_ms = 20000\n", ["[verify] budget_ms", "got 20000"]),
        ('[verify]\nbudget_ms = "1000"\n', ["[verify] budget_ms", "a whole number", 'got "1000"']),
        ("[verify]\nbudget_ms = 1000.5\n", ["[verify] budget_ms", "a whole number", "got 1000.5"]),
        ("[verify]\nbudget_ms = true\n", ["[verify] budget_ms", "got true"]),
        ("[privacy]\nretention_days = 0\n", ["[privacy] retention_days", "from 1 to 3650", "days"]),
        ("[privacy]\nretention_days = 4000\n", ["[privacy] retention_days", "got 4000"]),
        ('[kiosk]\nlanguage = "de"\n', ["[kiosk] language", '"ko", "en"', 'got "de"']),
        ("[kiosk]\nid = 7\n", ["[kiosk] id", "text in quotes", "got 7"]),
        ('[upstream]\nurl = "ftp://x"\n', ["[upstream] url", "https URL"]),
        ('[upstream]\nurl = "verify.example.com"\n', ["[upstream] url", "https URL"]),
        ("[upstream]\nprobe_base_s = nan\n", ["[upstream] probe_base_s", "got nan"]),
        ("[uploader]\nmax_requests_per_s = [1, 2]\n", ["[uploader] max_requests_per_s", "got a list"]),
        ('[privacy]\nowner_public_key = "abc"\n', ["[privacy] owner_public_key", "32 bytes"]),
        ('[admin]\npin_hash = "1234 5678"\n', ["[admin] pin_hash", "never the PIN itself"]),
        (
            "[trust]\nwarn_age_hours = 72\nstale_age_hours = 48\n",
            ["config.toml:3", "[trust] stale_age_hours", "more than [trust] warn_age_hours (72)"],
        ),
        (
            "[rules]\nvaccination_min_days = 300\n",
            ["[rules] vaccination_max_days", "at least [rules] vaccination_min_days (300)"],
        ),
        ("[verify]\nbudget_ms = 200\nreserve_ms = 300\n", ["[verify] reserve_ms", "less than"]),
        ("[upstream]\nlatency_window = 5\n", ["[upstream] latency_min_samples", "at most"]),
        ('[trust]\nnzcp_issuers = "did:web:a.example"\n', ["[trust] nzcp_issuers", "a list of text", "got"]),
        ("[trust]\nnzcp_issuers = [1]\n", ["[trust] nzcp_issuers", "item 1 is 1"]),
        ('[trust]\nnzcp_issuers = ["https://a.example"]\n', ["nzcp_issuers item 1", "did:web"]),
        ('[trust]\nshc_issuers = ["http://a.example"]\n', ["config.toml:2", "shc_issuers item 1", "https"]),
        ('[trust]\nshc_issuers = ["https://a.example", "https://a b"]\n', ["item 2", '"https://a b"']),
    ],
)
def test_bad_values_name_the_key_and_the_expectation(tmp_path: Path, text: str, fragments: list[str]) -> None:
    message = error_for(tmp_path, text)
    for fragment in fragments:
        assert fragment in message


def test_error_line_points_at_the_key(tmp_path: Path) -> None:
    message = error_for(
        tmp_path, "# comment\n[kiosk]\nid = 'a'\n\n[verify]\nreserve_ms = 100\nbudget_ms = 5\n"
    )
    assert "config.toml:7:" in message


def test_config_error_is_a_kiosk_error(tmp_path: Path) -> None:
    with pytest.raises(KioskError):
        load_config(write(tmp_path, "[verify]\nbudget_ms = 1\n"))


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes('[kiosk]\nvenue_name = "식당"\n'.encode("euc-kr"))
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert "UTF-8" in info.value.message


def test_parse_config_from_text() -> None:
    assert parse_config("[rules]\nrecovery_min_days = 0\n").rules.recovery_min_days == 0


def test_issuer_lists_are_tuples_and_empty_by_default(tmp_path: Path) -> None:
    assert (Config().trust.nzcp_issuers, Config().trust.shc_issuers) == ((), ())
    config = load_config(write(tmp_path, '[trust]\nnzcp_issuers = ["did:web:nzcp.identity.health.nz"]\n'
                                         'shc_issuers = [\n  "https://a.example/issuer",\n]\n'))
    assert config.trust.nzcp_issuers == ("did:web:nzcp.identity.health.nz",)
    assert config.trust.shc_issuers == ("https://a.example/issuer",)


# --- the network: https only, and the key upstream's lists are checked against ---


@pytest.mark.parametrize(
    "url",
    ["https://verify.example.com", "http://127.0.0.1:8700", "http://127.8.9.10", "http://[::1]:8700",
     "http://localhost:8700", "http://LOCALHOST.", "https://[::1]"],
)
def test_https_or_a_simulator_on_this_computer(tmp_path: Path, url: str) -> None:
    assert load_config(write(tmp_path, f'[upstream]\nurl = "{url}"\n')).upstream.url == url


@pytest.mark.parametrize(
    "url",
    ["http://verify.example.com", "http://10.0.0.5:8700", "http://192.168.1.20", "http://[fe80::1]",
     "http://localhost.example.com", "http://127.0.0.1.example.com", "http://0.0.0.0:8700"],
)
def test_plain_http_to_another_computer_is_refused(tmp_path: Path, url: str) -> None:
    message = error_for(tmp_path, f'[upstream]\nurl = "{url}"\n')
    assert "config.toml:2" in message and "[upstream] url" in message
    assert "https" in message and "plain http is only for a simulator on this computer" in message


def p256_public_key() -> tuple[str, str]:
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    public = ec.generate_private_key(ec.SECP256R1()).public_key()
    der = public.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    pem = public.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()
    return base64.b64encode(der).decode(), pem


def test_signing_key_in_base64_or_pem(tmp_path: Path) -> None:
    b64, pem = p256_public_key()
    assert Config().trust.signing_key_der() is None
    from_b64 = load_config(write(tmp_path, f'[trust]\nsigning_key = "{b64}"\n')).trust
    from_pem = load_config(write(tmp_path, f'[trust]\nsigning_key = """\n{pem}"""\n')).trust
    assert from_b64.signing_key_der() == base64.b64decode(b64)
    assert from_pem.signing_key_der() == base64.b64decode(b64)


@pytest.mark.parametrize(
    "value",
    [
        "not a key",
        base64.b64encode(b"\x30\x03\x02\x01\x01").decode(),  # DER, but no key
        # An Ed25519 key: a key, but not the P-256 one upstream signs with.
        "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=",
    ],
    ids=["text", "der", "ed25519"],
)
def test_a_signing_key_that_is_not_a_p256_key_is_refused(tmp_path: Path, value: str) -> None:
    message = error_for(tmp_path, f'[trust]\nsigning_key = "{value}"\n')
    assert "[trust] signing_key" in message and "P-256 public key" in message


# --- limits: what a config file may hold ---


def test_the_kiosk_id_is_at_most_64_printable_characters(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, f'[kiosk]\nid = "{"k" * 64}"\n')).kiosk.id == "k" * 64
    message = error_for(tmp_path, f'[kiosk]\nid = "{"k" * 65}"\n')
    assert "[kiosk] id" in message and "at most 64 printable characters" in message
    assert "k" * 65 not in message
    message = error_for(tmp_path, '[kiosk]\nid = "kiosk\\u00a0\\u2028one"\n')
    assert "[kiosk] id" in message


def test_every_reason_code_is_listed_in_the_readme() -> None:
    """Reason codes are part of the JSON contract: the README's list names each one."""
    from kiosk.decision import Reason

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Reason codes", 1)[1].split("\n## ", 1)[0]
    assert {str(r) for r in Reason} <= set(re.findall(r"`([a-z_]+)`", section))
