"""packaging/linux/install.sh into a temporary root (`--root`): what it installs, updates and removes.

The bundle here is a small stand-in folder (a program that prints a version, like the real one's
`--version`); tests/packaging/test_bundle.py installs the real PyInstaller bundle.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.packaging.support import (
    INSTALLED_BINARY,
    LINUX,
    NAME,
    PACKAGING,
    REPO,
    make_bundle,
    run_install,
    under,
)

MENU_ENTRY = f"/usr/local/share/applications/{NAME}.desktop"
BIN_LINK = f"/usr/local/bin/{NAME}"
SYSTEM_AUTOSTART = f"/etc/xdg/autostart/{NAME}.desktop"


def snapshot(root: Path) -> dict[str, str]:
    """Every file and symlink under `root`: its content, or where the link points."""
    out: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        rel = "/" + path.relative_to(root).as_posix()
        if path.is_symlink():
            out[rel] = "-> " + os.readlink(path)
        elif path.is_file():
            out[rel] = path.read_bytes().decode(errors="replace")
    return out


def place(root: Path, path: str, text: str) -> Path:
    """A file at `path` of the installed system that is not the kiosk's."""
    file = under(root, path)
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text)
    return file


def me() -> pwd.struct_passwd:
    return pwd.getpwuid(os.getuid())


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    return make_bundle(tmp_path / "bundle")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "root"


def test_installs_the_bundle_link_and_menu_entry(bundle: Path, root: Path) -> None:
    result = run_install("--root", root, "--bundle", bundle)
    assert result.returncode == 0, result.stderr
    program = under(root, INSTALLED_BINARY)
    assert program.is_file() and os.access(program, os.X_OK)
    assert (program.parent / "_internal" / "library.txt").read_text() == "kiosk 0.1.0"
    assert os.readlink(under(root, BIN_LINK)) == INSTALLED_BINARY
    assert under(root, MENU_ENTRY).read_bytes() == (LINUX / f"{NAME}.desktop").read_bytes()
    assert stat.S_IMODE(under(root, MENU_ENTRY).stat().st_mode) == 0o644
    # No autostart unless asked for.
    assert not under(root, SYSTEM_AUTOSTART).exists()
    assert not list(root.rglob("autostart"))
    assert "kiosk 0.1.0" in result.stdout


def test_autostart_for_everyone(bundle: Path, root: Path) -> None:
    assert run_install("--root", root, "--bundle", bundle, "--autostart").returncode == 0
    entry = under(root, SYSTEM_AUTOSTART)
    assert entry.read_bytes() == (LINUX / f"{NAME}-autostart.desktop").read_bytes()


def test_autostart_for_one_user(bundle: Path, root: Path) -> None:
    user = me()
    result = run_install("--root", root, "--bundle", bundle, "--autostart", "--user", user.pw_name)
    assert result.returncode == 0, result.stderr
    entry = under(root, f"{user.pw_dir}/.config/autostart/{NAME}.desktop")
    assert entry.read_bytes() == (LINUX / f"{NAME}-autostart.desktop").read_bytes()
    assert entry.stat().st_uid == user.pw_uid
    assert entry.parent.stat().st_uid == user.pw_uid
    assert not under(root, SYSTEM_AUTOSTART).exists()


def test_running_again_changes_nothing_and_an_update_replaces_the_bundle(
    bundle: Path, root: Path, tmp_path: Path
) -> None:
    args = ("--root", root, "--autostart", "--user", me().pw_name)
    assert run_install(*args, "--bundle", bundle).returncode == 0
    first = snapshot(root)
    assert run_install(*args, "--bundle", bundle).returncode == 0
    assert snapshot(root) == first

    newer = make_bundle(tmp_path / "newer", version="kiosk 0.2.0")
    (newer / "_internal" / "library.txt").unlink()
    (newer / "_internal" / "other.txt").write_text("new")
    result = run_install(*args, "--bundle", newer)
    assert result.returncode == 0 and "kiosk 0.2.0" in result.stdout
    app = under(root, INSTALLED_BINARY).parent
    assert sorted(p.name for p in (app / "_internal").iterdir()) == ["other.txt"]
    assert sorted(p.name for p in app.parent.iterdir()) == [NAME]  # no .new / .old left behind


def test_uninstall_removes_what_it_installed_and_nothing_else(bundle: Path, root: Path) -> None:
    user = me()
    # Files that were there before and are not the kiosk's.
    place(root, "/usr/local/bin/other-tool", "#!/bin/sh\n")
    place(root, f"{user.pw_dir}/.config/autostart/editor.desktop", "[Desktop Entry]\n")
    before = snapshot(root)

    args = ("--root", root, "--bundle", bundle, "--autostart")
    assert run_install(*args).returncode == 0
    assert run_install(*args, "--user", user.pw_name).returncode == 0
    assert len(snapshot(root)) > len(before)

    result = run_install("--root", root, "--uninstall")
    assert result.returncode == 0, result.stderr
    assert snapshot(root) == before
    assert not under(root, f"/opt/{NAME}").exists()

    again = run_install("--root", root, "--uninstall")
    assert again.returncode == 0 and "nothing to uninstall" in again.stdout


def test_a_missing_bundle_is_refused_with_a_clear_message(root: Path, tmp_path: Path) -> None:
    result = run_install("--root", root, "--bundle", tmp_path / "nowhere")
    assert result.returncode == 2
    assert "bundle folder not found" in result.stderr and "./dev package" in result.stderr
    assert "Traceback" not in result.stderr and "line " not in result.stderr
    assert not root.exists() or not any(root.rglob("*"))

    not_a_bundle = tmp_path / "empty"
    not_a_bundle.mkdir()
    result = run_install("--root", root, "--bundle", not_a_bundle)
    assert result.returncode == 2 and "no executable venue-pass-kiosk" in result.stderr
    assert not any(root.rglob("*"))


def test_the_bundle_is_found_beside_the_script_as_in_the_tar_gz(tmp_path: Path, root: Path) -> None:
    # The tar.gz's layout: install.sh and the desktop entries beside the bundle folder.
    unpacked = tmp_path / "unpacked"
    unpacked.mkdir()
    # What scripts/package.sh packs beside the bundle.
    for name in ("install.sh", f"{NAME}.desktop", f"{NAME}-autostart.desktop", f"{NAME}.service"):
        shutil.copy(LINUX / name, unpacked / name)
    shutil.copy(PACKAGING / f"{NAME}.svg", unpacked)
    shutil.copy(REPO / "config.example.toml", unpacked)
    script = unpacked / "install.sh"
    result = run_install("--root", root, script=script)
    assert result.returncode == 2 and "no bundle found" in result.stderr

    make_bundle(unpacked / NAME)
    result = run_install("--root", root, script=script)
    assert result.returncode == 0, result.stderr
    assert under(root, INSTALLED_BINARY).is_file()


def test_a_bundle_that_does_not_start_leaves_the_install_as_it_was(
    bundle: Path, root: Path, tmp_path: Path
) -> None:
    assert run_install("--root", root, "--bundle", bundle).returncode == 0
    before = snapshot(root)
    broken = make_bundle(tmp_path / "broken", version="error while loading shared libraries", exit_code=127)
    result = run_install("--root", root, "--bundle", broken)
    assert result.returncode == 2
    assert "does not start" in result.stderr and "nothing was changed" in result.stderr
    assert snapshot(root) == before


def test_a_bundle_whose_qt_does_not_start_leaves_the_install_as_it_was(
    bundle: Path, root: Path, tmp_path: Path
) -> None:
    assert run_install("--root", root, "--bundle", bundle).returncode == 0
    before = snapshot(root)
    # What a PC without libEGL shows: --version works, the first window would not.
    no_gl = "echo 'libEGL.so.1: cannot open shared object file' >&2; exit 134"
    broken = make_bundle(tmp_path / "broken", version="kiosk 0.2.0", qt=no_gl)
    result = run_install("--root", root, "--bundle", broken)
    assert result.returncode == 2
    assert "Qt does not start" in result.stderr and "libEGL.so.1" in result.stderr
    assert "libegl1" in result.stderr and "nothing was changed" in result.stderr
    assert snapshot(root) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--user", "nobody"], "--user NAME goes with --autostart"),
        (["--autostart", "--user", "no-such-user-here"], "no user named no-such-user-here"),
        (["--frobnicate"], "unknown option: --frobnicate"),
        (["--uninstall", "--autostart"], "--uninstall takes no other option"),
        # "" used to mean everyone's autostart; an option-like name reached getent as an option.
        (["--autostart", "--user", ""], "--user needs a user name, not an empty one"),
        (["--autostart", "--user", "-x"], "--user -x is not a user name"),
        (["--autostart", "--user", "--root"], "--user --root is not a user name"),
        (["--autostart", "--user", "../etc"], "--user ../etc is not a user name"),
        (["--autostart", "--user", "a/b"], "--user a/b is not a user name"),
        (["--autostart", "--user", "0"], "--user 0 is not a user name"),
    ],
)
def test_usage_errors(bundle: Path, root: Path, args: list[str], message: str) -> None:
    result = run_install("--root", root, "--bundle", bundle, *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert not root.exists() or not any(root.rglob("*"))


def test_refuses_to_install_into_the_system_without_root(bundle: Path) -> None:
    if os.geteuid() != 0:
        result = run_install("--bundle", bundle)
    else:
        setpriv = shutil.which("setpriv")
        if setpriv is None or "nobody" not in {p.pw_name for p in pwd.getpwall()}:
            pytest.skip("running as root, without setpriv or a 'nobody' user to run the script as")
        nobody = pwd.getpwnam("nobody")
        # A copy that user can read (pytest's own temporary folders are private to root).
        with tempfile.TemporaryDirectory() as folder:
            Path(folder).chmod(0o755)
            script = Path(folder) / "install.sh"
            shutil.copy(LINUX / "install.sh", script)
            script.chmod(0o755)
            command = [setpriv, f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups",
                       "bash", str(script), "--bundle", str(bundle)]
            result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False, cwd="/")
    assert result.returncode == 2
    assert "run as root" in result.stderr


# --- a kiosk account's own links (install.sh runs as root; the home folder is the user's) ---


def plant(link: Path, target: Path) -> None:
    """`link` made a symbolic link to `target`, as the kiosk user could do in their home."""
    target.mkdir(parents=True, exist_ok=True)
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target, target_is_directory=True)


@pytest.mark.parametrize("planted", [".config", ".config/autostart"])
def test_a_symlinked_config_folder_is_refused(bundle: Path, root: Path, planted: str) -> None:
    user = me()
    system = under(root, "/etc/xdg") if planted == ".config" else under(root, "/etc/xdg/autostart")
    plant(under(root, f"{user.pw_dir}/{planted}"), system)
    before = snapshot(root)
    result = run_install("--root", root, "--bundle", bundle, "--autostart", "--user", user.pw_name)
    assert result.returncode == 2
    assert "symbolic link" in result.stderr and "nothing was changed" in result.stderr
    assert not under(root, SYSTEM_AUTOSTART).exists()
    assert snapshot(root) == before


def test_a_symlinked_autostart_entry_is_refused(bundle: Path, root: Path) -> None:
    user = me()
    victim = place(root, "/etc/shadow-like", "root's file\n")
    entry = under(root, f"{user.pw_dir}/.config/autostart/{NAME}.desktop")
    entry.parent.mkdir(parents=True)
    entry.symlink_to(victim)
    result = run_install("--root", root, "--bundle", bundle, "--autostart", "--user", user.pw_name)
    assert result.returncode == 2 and "symbolic link" in result.stderr
    assert victim.read_text() == "root's file\n"


def test_uninstall_does_not_follow_a_link_planted_after_the_install(bundle: Path, root: Path) -> None:
    user = me()
    installed = run_install("--root", root, "--bundle", bundle, "--autostart", "--user", user.pw_name)
    assert installed.returncode == 0, installed.stderr
    config = under(root, f"{user.pw_dir}/.config")
    shutil.rmtree(config)
    # Someone else's entry of the same name in the folder the link now points to.
    others = place(root, SYSTEM_AUTOSTART, "[Desktop Entry]\n")
    plant(config, under(root, "/etc/xdg"))
    result = run_install("--root", root, "--uninstall")
    assert result.returncode == 0, result.stderr
    assert "not removed" in result.stderr
    assert others.read_text() == "[Desktop Entry]\n"


# --- the systemd user unit, the autostart it gets, and an update under a running kiosk ---

UNIT = f"/usr/local/lib/systemd/user/{NAME}.service"
WANTS = f"/.config/systemd/user/graphical-session.target.wants/{NAME}.service"
AUTOSTART = f"/.config/autostart/{NAME}.desktop"
SYSTEM_WANTS = f"/etc/systemd/user/graphical-session.target.wants/{NAME}.service"


def test_the_unit_icon_and_example_config_are_installed(bundle: Path, root: Path) -> None:
    assert run_install("--root", root, "--bundle", bundle).returncode == 0
    assert under(root, UNIT).read_bytes() == (LINUX / f"{NAME}.service").read_bytes()
    icon = f"/usr/local/share/icons/hicolor/scalable/apps/{NAME}.svg"
    assert under(root, icon).read_bytes() == (PACKAGING / f"{NAME}.svg").read_bytes()
    example = f"/usr/local/share/doc/{NAME}/config.example.toml"
    assert under(root, example).read_bytes() == (REPO / "config.example.toml").read_bytes()
    # Enabled for no one without --autostart.
    assert not list(root.rglob("graphical-session.target.wants"))


def test_autostart_for_one_user_enables_the_unit_as_that_user(bundle: Path, root: Path) -> None:
    user = me()
    result = run_install("--root", root, "--bundle", bundle, "--autostart", "--user", user.pw_name)
    assert result.returncode == 0, result.stderr
    wants = under(root, user.pw_dir + WANTS)
    assert os.readlink(wants) == UNIT  # what `systemctl --user enable` makes
    assert wants.lstat().st_uid == user.pw_uid and wants.parent.stat().st_uid == user.pw_uid
    assert under(root, user.pw_dir + AUTOSTART).is_file()


def test_autostart_for_everyone_enables_the_unit_globally(bundle: Path, root: Path) -> None:
    assert run_install("--root", root, "--bundle", bundle, "--autostart").returncode == 0
    assert os.readlink(under(root, SYSTEM_WANTS)) == UNIT
    assert under(root, SYSTEM_AUTOSTART).is_file()


def test_each_run_sets_the_autostart_its_options_say(bundle: Path, root: Path) -> None:
    user = me()
    home = user.pw_dir
    enabled = run_install("--root", root, "--bundle", bundle, "--autostart", "--user", user.pw_name)
    assert enabled.returncode == 0, enabled.stderr
    # An update that knows nothing of the autostart keeps it only when asked to.
    kept = run_install("--root", root, "--bundle", bundle, "--keep-autostart")
    assert kept.returncode == 0, kept.stderr
    assert under(root, home + WANTS).is_symlink() and under(root, home + AUTOSTART).is_file()
    plain = run_install("--root", root, "--bundle", bundle)
    assert plain.returncode == 0, plain.stderr
    assert f"removed {home}{WANTS}" in plain.stdout
    assert not under(root, home + WANTS).is_symlink() and not under(root, home + AUTOSTART).exists()

    assert run_install("--root", root, "--bundle", bundle, "--autostart").returncode == 0
    removed = run_install("--root", root, "--bundle", bundle, "--no-autostart")
    assert removed.returncode == 0, removed.stderr
    assert not under(root, SYSTEM_AUTOSTART).exists()
    assert not under(root, SYSTEM_WANTS).is_symlink()
    # Nothing of the autostart is left for --uninstall to find.
    manifest = under(root, f"/var/lib/{NAME}/installed-files").read_text()
    assert "autostart" not in manifest and "wants" not in manifest


def test_autostart_options_exclude_each_other(bundle: Path, root: Path) -> None:
    result = run_install("--root", root, "--bundle", bundle, "--autostart", "--no-autostart")
    assert result.returncode == 2 and "exclude each other" in result.stderr


def test_a_symlinked_systemd_folder_is_refused(bundle: Path, root: Path) -> None:
    user = me()
    plant(under(root, f"{user.pw_dir}/.config/systemd/user"), under(root, "/etc/systemd/user"))
    before = snapshot(root)
    result = run_install("--root", root, "--bundle", bundle, "--autostart", "--user", user.pw_name)
    assert result.returncode == 2
    assert "symbolic link" in result.stderr and "nothing was changed" in result.stderr
    assert snapshot(root) == before


def kiosk_processes(program: Path) -> list[int]:
    """Processes running `program` (the stand-in is a script: its interpreter's first argument)."""
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if str(program).encode() in argv[:2]:
            pids.append(int(proc.name))
    return pids


def wait_for_lines(file: Path, count: int) -> list[str]:
    for _ in range(600):  # the restarted kiosk writes its line a moment after install.sh ends
        lines = file.read_text().splitlines() if file.exists() else []
        if len(lines) >= count:
            return lines
        subprocess.run(["sleep", "0.05"], check=True)
    return file.read_text().splitlines() if file.exists() else []


def test_an_update_stops_a_running_kiosk_and_starts_the_new_one(
    bundle: Path, root: Path, tmp_path: Path
) -> None:
    assert run_install("--root", root, "--bundle", bundle).returncode == 0
    program = under(root, INSTALLED_BINARY)
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "DISPLAY": ":42"}
    running = subprocess.Popen([program, "run", "--fullscreen"], env=env, start_new_session=True)
    try:
        runs = home / "kiosk-runs"
        assert wait_for_lines(runs, 1) == ["kiosk 0.1.0 run --fullscreen DISPLAY=:42"]

        newer = make_bundle(tmp_path / "newer", version="kiosk 0.2.0")
        result = run_install("--root", root, "--bundle", newer)
        assert result.returncode == 0, result.stderr
        assert f"stopped the kiosk of {me().pw_name}" in result.stdout
        assert running.wait(timeout=30) == 0  # ended by install.sh, before the bundle was swapped
        # Started again from the new bundle, with its arguments and on its display.
        assert wait_for_lines(runs, 2)[1] == "kiosk 0.2.0 run --fullscreen DISPLAY=:42"
        assert len(kiosk_processes(program)) == 1

        removed = run_install("--root", root, "--uninstall")
        assert removed.returncode == 0, removed.stderr
        assert kiosk_processes(program) == []
    finally:
        for pid in [running.pid, *kiosk_processes(program)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
