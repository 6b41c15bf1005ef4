"""The machine-wide config.toml an installer writes, with the user's over it key by key."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import load_config
from kiosk.config_layers import machine_config_path, machine_settings, user_config_path
from kiosk.errors import ConfigError


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_both_paths_follow_the_xdg_variables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_DIRS", f"{tmp_path / 'etc'}:{tmp_path / 'other'}")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home"))
    assert machine_config_path() == tmp_path / "etc" / "venue-pass-kiosk" / "config.toml"
    assert user_config_path() == tmp_path / "home" / "venue-pass-kiosk" / "config.toml"


def test_the_machine_file_alone_is_read() -> None:
    write(machine_config_path(), '[kiosk]\nvenue_name = "Mapo Gukbap"\n[upstream]\nurl = "https://v.example"\n')
    config = load_config()
    assert config.kiosk.venue_name == "Mapo Gukbap" and config.upstream.url == "https://v.example"


def test_the_user_file_overrides_key_by_key_and_keeps_the_machines_other_keys() -> None:
    write(
        machine_config_path(),
        '[kiosk]\nvenue_name = "Mapo Gukbap"\nid = "door-1"\n'
        '[upstream]\nurl = "https://v.example"\napi_key = "installer-key"\n',
    )
    write(user_config_path(), '[kiosk]\nid = "door-2"\nlanguage = "en"\n[ui]\ncamera = "1"\n')
    config = load_config()
    kiosk = config.kiosk
    assert (kiosk.venue_name, kiosk.id, kiosk.language) == ("Mapo Gukbap", "door-2", "en")
    assert (config.upstream.url, config.upstream.api_key) == ("https://v.example", "installer-key")
    assert config.ui.camera == "1"


def test_an_explicit_file_is_read_alone(tmp_path: Path) -> None:
    write(machine_config_path(), '[kiosk]\nvenue_name = "Mapo Gukbap"\n')
    own = write(tmp_path / "own.toml", '[kiosk]\nid = "door-9"\n')
    config = load_config(own)
    assert (config.kiosk.id, config.kiosk.venue_name) == ("door-9", "")


def test_a_malformed_machine_file_is_an_error_naming_it() -> None:
    machine = write(machine_config_path(), "[kiosk\nvenue_name = 1\n")
    write(user_config_path(), '[kiosk]\nid = "door-2"\n')
    with pytest.raises(ConfigError) as caught:
        load_config()
    assert str(machine) in caught.value.message and "syntax" in caught.value.message


def test_a_wrong_value_in_the_machine_file_names_its_line() -> None:
    machine = write(machine_config_path(), '[kiosk]\nid = "x"\n\n[ui]\nsound_volume = 500\n')
    with pytest.raises(ConfigError) as caught:
        load_config()
    assert f"{machine}:5" in caught.value.message


def test_a_check_across_both_files_names_both(tmp_path: Path) -> None:
    write(machine_config_path(), "[verify]\nbudget_ms = 400\n")
    write(user_config_path(), "[verify]\nreserve_ms = 500\n")
    with pytest.raises(ConfigError) as caught:
        load_config()
    message = caught.value.message
    assert str(user_config_path()) in message and str(machine_config_path()) in message


def test_relative_data_folders_stay_relative_to_their_own_file() -> None:
    write(machine_config_path(), '[kiosk]\ndata_dir = "machine-data"\n')
    assert load_config().kiosk.data_dir == str(machine_config_path().parent / "machine-data")
    write(user_config_path(), '[kiosk]\ndata_dir = "mine"\n')
    assert load_config().kiosk.data_dir == str(user_config_path().parent / "mine")


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_only_the_users_file_is_made_private() -> None:
    machine = write(machine_config_path(), '[upstream]\nurl = "https://v.example"\napi_key = "k"\n')
    user = write(user_config_path(), '[upstream]\napi_key = "mine"\n')
    machine.chmod(0o644)
    user.chmod(0o644)
    assert load_config().upstream.api_key == "mine"
    assert stat.S_IMODE(user.stat().st_mode) == 0o600
    assert stat.S_IMODE(machine.stat().st_mode) == 0o644


def test_machine_settings_lists_what_the_installer_set() -> None:
    assert machine_settings() == {}
    write(machine_config_path(), '[upstream]\nurl = "https://v.example"\n[kiosk]\nid = "door-1"\n')
    assert machine_settings() == {"upstream": {"url": "https://v.example"}, "kiosk": {"id": "door-1"}}


def doctor_config_row(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> dict[str, str]:
    main(["doctor", "--json", "--no-network", "--data", str(tmp_path / "data")])
    rows = {row["check"]: row for row in map(json.loads, capsys.readouterr().out.splitlines())}
    return rows["config"]


def test_doctor_names_the_files_it_read(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    machine = write(machine_config_path(), '[kiosk]\nvenue_name = "Mapo Gukbap"\n')
    row = doctor_config_row(capsys, tmp_path)
    assert row["status"] == "ok" and row["detail"] == f"{machine} (no user file at {user_config_path()})"
    write(user_config_path(), '[kiosk]\nid = "door-2"\n')
    assert doctor_config_row(capsys, tmp_path)["detail"] == f"{user_config_path()} over {machine}"
    write(machine_config_path(), "[kiosk\n")
    row = doctor_config_row(capsys, tmp_path)
    assert row["status"] == "fail" and str(machine) in row["detail"]
