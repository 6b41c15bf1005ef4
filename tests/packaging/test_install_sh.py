"""packaging/linux/install.sh into a temporary root (`--root`): what it installs, updates and removes.

The bundle here is a small stand-in folder (a program that prints a version, like the real one's
`--version`); tests/packaging/test_bundle.py installs the real PyInstaller bundle.
"""

from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.packaging.support import INSTALLED_BINARY, LINUX, NAME, run_install, under

MENU_ENTRY = f"/usr/local/share/applications/{NAME}.desktop"
BIN_LINK = f"/usr/local/bin/{NAME}"
SYSTEM_AUTOSTART = f"/etc/xdg/autostart/{NAME}.desktop"


def make_bundle(folder: Path, *, version: str = "kiosk 0.1.0", exit_code: int = 0) -> Path:
    folder.mkdir(parents=True)
    program = folder / NAME
    program.write_text(f"#!/bin/sh\necho '{version}'\nexit {exit_code}\n")
    program.chmod(0o755)
    (folder / "_internal").mkdir()
    (folder / "_internal" / "library.txt").write_text(version)
    return folder


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
    for name in ("install.sh", f"{NAME}.desktop", f"{NAME}-autostart.desktop"):
        shutil.copy(LINUX / name, unpacked / name)
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
