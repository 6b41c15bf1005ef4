"""The Windows installer, compiled and run silently under Wine: install, upgrade, uninstall.

One Wine prefix for the module (one wineboot); the tests run in order, each on what the one before
left. The bundle is a stand-in: `standin_kiosk.nsi` compiled into a small 64-bit Windows program
that can keep running like a kiosk.

What Wine cannot show, so these tests do not check it: that the scheduled task starts the kiosk
only at its account's log-on (Wine's task scheduler keeps a task's settings but drops its log-on
trigger, its principal and its action, and runs nothing at log-on; the tests check the definition
the installer gives it), that the machine config's folder and file are read-only to users (Wine
keeps no file ACLs here and its icacls is a dummy; the call that sets them returns success), how
Windows resolves names of other local or domain accounts (Wine knows only its own user: enough to
test that an unknown name is refused), the finish page's unelevated start (there is no window),
and that Windows trusts a signature (the test signs with a throw-away certificate and checks that
the signature is there).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.packaging.support import NAME, NSIS_SCRIPT, compile_nsis, signer_of, signing

pytestmark = pytest.mark.slow

STAND_IN = Path(__file__).with_name("standin_kiosk.nsi")
APP = "Venue Pass Kiosk"
# The first install goes to a folder of its own (/D=), which the upgrade must find in the registry;
# the installs after the uninstall go to the default folder.
PROGRAM_DIR = "Kiosk"
WINDOWS_DIR = r"C:\Kiosk"
DEFAULT_DIR = rf"C:\Program Files\{APP}"
MENU = f"ProgramData/Microsoft/Windows/Start Menu/Programs/{APP}"
STARTUP = "Microsoft/Windows/Start Menu/Programs/Startup"
COMMON_STARTUP = "ProgramData/Microsoft/Windows/Start Menu/Programs/StartUp"
MACHINE_CONFIG = f"ProgramData/{NAME}/config.toml"
UNINSTALL_KEY = r"HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\VenuePassKiosk"
APP_KEY = r"HKLM\Software\VenuePassKiosk"
# Wine hands Linux only the low byte of a Windows exit code: 1618 (a kiosk runs) arrives as 82.
KIOSK_RUNNING = 1618 % 256


def wine_program() -> str:
    for name in ("wine64", "wine"):
        if found := shutil.which(name):
            return found
    if Path("/usr/lib/wine/wine64").exists():  # Debian's wine64 without the `wine` package
        return "/usr/lib/wine/wine64"
    pytest.skip("Wine is not installed (Debian package wine64): the installer was not run")


@dataclass(frozen=True)
class Wine:
    program: str
    prefix: Path
    user: str

    @property
    def env(self) -> dict[str, str]:
        # No display (a silent install shows no window) and no Mono or Gecko to install.
        return {**os.environ, "WINEPREFIX": str(self.prefix), "WINEDEBUG": "-all", "DISPLAY": "",
                "WINEDLLOVERRIDES": "mscoree,mshtml="}

    @property
    def c(self) -> Path:
        return self.prefix / "drive_c"

    @property
    def local_app_data(self) -> Path:
        return self.c / "users" / self.user / "AppData" / "Local"

    def run(self, *args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([self.program, *map(str, args)], env=self.env, capture_output=True,
                              text=True, timeout=180, check=False, cwd=cwd)

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen([self.program, *args], env=self.env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)

    def settle(self) -> None:
        """Waits until every program of the prefix has ended (an uninstaller runs from a copy)."""
        beside = Path(self.program).with_name("wineserver")
        wineserver = str(beside) if beside.exists() else shutil.which("wineserver")
        wineserver = wineserver or "/usr/lib/wine/wineserver"  # Debian's wine64 alone
        subprocess.run([wineserver, "-w"], env=self.env, timeout=180, check=True)

    def reg(self, key: str, *, view: int = 64) -> dict[str, str] | None:
        """The key's values (name -> data) in one registry view, or None when there is no such key."""
        result = self.run("reg", "query", key, f"/reg:{view}")
        if result.returncode != 0:
            return None
        lines = result.stdout.splitlines()
        values = (re.match(r"\s{4}(\S.*?)\s{4}REG_\w+\s{4}(.*)$", line) for line in lines)
        return {m[1]: m[2].strip() for m in values if m}


@pytest.fixture(scope="module")
def wine(tmp_path_factory: pytest.TempPathFactory) -> Wine:
    program = wine_program()
    prefix = tmp_path_factory.mktemp("wine")
    booted = Wine(program, prefix, user="")
    boot = booted.run("wineboot", "--init")
    assert boot.returncode == 0, boot.stderr
    user = booted.run("cmd", "/c", "echo", "%USERNAME%").stdout.strip()
    assert user, "Wine names no user"
    return Wine(program, prefix, user)


@dataclass(frozen=True)
class Installers:
    old: Path
    new: Path


def bundle(folder: Path, program: Path, only_in_this_version: str) -> Path:
    (folder / "_internal").mkdir(parents=True)
    shutil.copy(program, folder / f"{NAME}.exe")
    (folder / "_internal" / "python311.dll").write_bytes(b"stand-in")
    (folder / "_internal" / only_in_this_version).write_bytes(b"stand-in")
    return folder


@pytest.fixture(scope="module")
def installers(tmp_path_factory: pytest.TempPathFactory) -> Installers:
    work = tmp_path_factory.mktemp("installers")
    program = work / "program.exe"
    built = compile_nsis(STAND_IN, f"OUTFILE={program}")
    assert built.returncode == 0, built.stdout + built.stderr
    made = {}
    for version, only in (("1.0.0", "old-only.dll"), ("1.0.1", "new-only.dll")):
        folder = bundle(work / version, program, only)
        out = work / f"kiosk-{version}-installer.exe"
        defines = [f"BUNDLE_DIR={folder}", f"VERSION={version}", f"OUTFILE={out}"]
        env = None
        # The new version is signed, as a release is (where osslsigncode is installed).
        if version == "1.0.1" and shutil.which("osslsigncode"):
            sign, env = signing(work)
            defines.append(sign)
        result = compile_nsis(NSIS_SCRIPT, *defines, env=env)
        assert result.returncode == 0, result.stdout + result.stderr
        made[version] = out
    return Installers(made["1.0.0"], made["1.0.1"])


def test_an_unknown_autostart_account_stops_the_installer_before_it_changes_anything(
    wine: Wine, installers: Installers
) -> None:
    result = wine.run(installers.old, "/S", "/AUTOSTARTUSER=no-such-account")
    assert result.returncode == 2
    assert not (wine.c / PROGRAM_DIR).exists()
    assert wine.reg(APP_KEY) is None
    log = (wine.c / "users" / wine.user / "Temp" / f"{NAME}-setup.log").read_text(encoding="utf-16-le")
    assert "No such account on this computer: no-such-account" in log


@pytest.fixture(scope="module")
def given_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = tmp_path_factory.mktemp("config") / "config.toml"
    config.write_text('[upstream]\nurl = "https://upstream.example/v1"\n[kiosk]\nvenue_name = "Test"\n')
    return config


@pytest.fixture(scope="module")
def installed(wine: Wine, installers: Installers, given_config: Path) -> subprocess.CompletedProcess[str]:
    # A path relative to where the installer starts, as Intune gives one from its package folder.
    return wine.run(installers.old, "/S", f"/AUTOSTARTUSER={wine.user}", f"/CONFIG={given_config.name}",
                    f"/D={WINDOWS_DIR}", cwd=given_config.parent)


def task_definition(wine: Wine) -> str:
    return (wine.c / PROGRAM_DIR / "autostart-task.xml").read_text(encoding="utf-16")


def test_a_silent_install_puts_the_program_menu_config_and_registry_in_place(
    wine: Wine, installed: subprocess.CompletedProcess[str], given_config: Path
) -> None:
    assert installed.returncode == 0, installed.stdout + installed.stderr
    folder = wine.c / PROGRAM_DIR
    for name in (f"{NAME}.exe", f"{NAME}.ico", "uninstall.exe", "_internal/python311.dll",
                 "_internal/old-only.dll"):
        assert (folder / name).is_file(), name
    assert sorted(p.name for p in (wine.c / MENU).iterdir()) == [f"Uninstall {APP}.lnk", f"{APP}.lnk"]
    assert (wine.c / MACHINE_CONFIG).read_bytes() == given_config.read_bytes()

    assert wine.reg(APP_KEY) == {"InstallDir": WINDOWS_DIR, "AutostartUser": wine.user}
    uninstall = wine.reg(UNINSTALL_KEY)
    assert uninstall is not None
    assert {k: uninstall[k] for k in ("DisplayName", "DisplayVersion", "Publisher", "DisplayIcon")} == {
        "DisplayName": APP, "DisplayVersion": "1.0.0", "Publisher": APP,
        "DisplayIcon": rf"{WINDOWS_DIR}\{NAME}.ico",
    }
    assert uninstall["QuietUninstallString"] == rf'"{WINDOWS_DIR}\uninstall.exe" /S'
    assert int(uninstall["EstimatedSize"], 16) > 0
    # The 64-bit view only: a 32-bit installer would have written under Wow6432Node.
    assert wine.reg(APP_KEY, view=32) is None
    assert wine.reg(UNINSTALL_KEY, view=32) is None


def test_the_autostart_is_a_task_for_the_named_account_only(
    wine: Wine, installed: subprocess.CompletedProcess[str]
) -> None:
    assert installed.returncode == 0
    # Nothing in a Startup folder, where every account (or the installing one) would start it.
    assert list((wine.c / COMMON_STARTUP).iterdir()) == []
    user_startup = wine.c / "users" / wine.user / "AppData/Roaming" / STARTUP
    assert not user_startup.exists() or list(user_startup.iterdir()) == []

    task = task_definition(wine)
    trigger = re.search(r"<LogonTrigger>.*<UserId>(S-1-5-21-[\d-]+)</UserId>.*</LogonTrigger>", task)
    principal = re.search(r"<Principal id=\"Kiosk\"><UserId>(S-1-5-21-[\d-]+)</UserId>"
                          r"<LogonType>InteractiveToken</LogonType><RunLevel>LeastPrivilege</RunLevel>", task)
    assert trigger and principal, task
    assert trigger[1] == principal[1]
    command = rf"<Command>{WINDOWS_DIR}\{NAME}.exe</Command>"
    assert f"{command}<Arguments>run --fullscreen</Arguments>" in task
    # Wine's scheduler took the definition: it kept its settings (not its trigger, see above).
    registered = (wine.c / "windows/system32/tasks" / APP).read_text(encoding="utf-8-sig")
    assert "<ExecutionTimeLimit>PT0S</ExecutionTimeLimit>" in registered
    assert "<Priority>4</Priority>" in registered


@dataclass(frozen=True)
class WhileRunning:
    upgrade: subprocess.CompletedProcess[str]
    uninstall: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def while_running(
    wine: Wine, installers: Installers, installed: subprocess.CompletedProcess[str]
) -> WhileRunning:
    """The new version's installer and the uninstaller, each run while the installed kiosk runs."""
    stay, started = wine.c / "kiosk-stay", wine.c / "kiosk-started"
    stay.touch()
    kiosk = wine.start(rf"{WINDOWS_DIR}\{NAME}.exe", "stay")
    try:
        deadline = time.monotonic() + 60
        while not started.exists() and kiosk.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert started.exists(), "the stand-in kiosk did not start"
        # _?= runs the uninstaller in place, so its own exit code comes back (not its launcher's).
        return WhileRunning(wine.run(installers.new, "/S"),
                            wine.run(rf"{WINDOWS_DIR}\uninstall.exe", "/S", f"_?={WINDOWS_DIR}"))
    finally:
        stay.unlink()
        kiosk.wait(timeout=60)


def test_an_upgrade_or_an_uninstall_while_the_kiosk_runs_is_refused_and_keeps_the_old_version(
    wine: Wine, while_running: WhileRunning
) -> None:
    assert while_running.upgrade.returncode == KIOSK_RUNNING
    assert while_running.uninstall.returncode == KIOSK_RUNNING
    assert (wine.c / PROGRAM_DIR / "_internal" / "old-only.dll").exists()
    assert (wine.c / MENU).exists()
    assert (wine.reg(UNINSTALL_KEY) or {}).get("DisplayVersion") == "1.0.0"
    log = (wine.c / "users" / wine.user / "Temp" / f"{NAME}-setup.log").read_text(encoding="utf-16-le")
    assert log.count("The kiosk is running.") == 2


@pytest.fixture(scope="module")
def visits(wine: Wine, installed: subprocess.CompletedProcess[str]) -> Path:
    """A stand-in for the kiosk's data, where the kiosk's account keeps it."""
    data = wine.local_app_data / NAME / "kiosk.db"
    data.parent.mkdir(parents=True)
    data.write_bytes(b"the visits")
    return data


@pytest.fixture(scope="module")
def upgraded(
    wine: Wine, installers: Installers, while_running: WhileRunning, visits: Path
) -> subprocess.CompletedProcess[str]:
    return wine.run(installers.new, "/S")  # no options: a scripted update that knows none


def test_an_upgrade_replaces_the_program_and_keeps_autostart_config_and_data(
    wine: Wine, upgraded: subprocess.CompletedProcess[str], given_config: Path, visits: Path
) -> None:
    assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr
    assert not (wine.c / "Program Files" / APP).exists()  # the previous folder, read from the registry
    internal = wine.c / PROGRAM_DIR / "_internal"
    assert sorted(p.name for p in internal.iterdir()) == ["new-only.dll", "python311.dll"]
    assert (wine.reg(UNINSTALL_KEY) or {}).get("DisplayVersion") == "1.0.1"
    assert (wine.reg(APP_KEY) or {}).get("AutostartUser") == wine.user
    assert "<LogonTrigger>" in task_definition(wine)
    assert (wine.c / "windows/system32/tasks" / APP).exists()
    assert (wine.c / MACHINE_CONFIG).read_bytes() == given_config.read_bytes()
    assert visits.read_bytes() == b"the visits"


def test_a_signed_installer_installs_a_signed_uninstaller(
    wine: Wine, installers: Installers, upgraded: subprocess.CompletedProcess[str]
) -> None:
    assert upgraded.returncode == 0
    assert signer_of(installers.new) == "/CN=Kiosk test signer"
    assert signer_of(wine.c / PROGRAM_DIR / "uninstall.exe") == "/CN=Kiosk test signer"


@pytest.fixture(scope="module")
def uninstalled(wine: Wine, upgraded: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    result = wine.run(rf"{WINDOWS_DIR}\uninstall.exe", "/S")
    wine.settle()
    return result


def test_uninstalling_leaves_only_the_data_and_the_machine_config(
    wine: Wine, uninstalled: subprocess.CompletedProcess[str], given_config: Path, visits: Path
) -> None:
    assert uninstalled.returncode == 0
    assert not (wine.c / PROGRAM_DIR).exists()
    assert not (wine.c / MENU).exists()
    assert not (wine.c / "windows/system32/tasks" / APP).exists()
    assert wine.reg(APP_KEY) is None
    assert wine.reg(UNINSTALL_KEY) is None
    assert visits.read_bytes() == b"the visits"
    assert (wine.c / MACHINE_CONFIG).read_bytes() == given_config.read_bytes()


def test_removeconfig_also_removes_the_machine_config_and_still_keeps_the_data(
    wine: Wine, installers: Installers, uninstalled: subprocess.CompletedProcess[str], visits: Path
) -> None:
    assert wine.run(installers.new, "/S", "/UPSTREAM=https://upstream.example/v2").returncode == 0
    # An existing machine config is kept: /UPSTREAM only fills a new one.
    assert "upstream.example/v1" in (wine.c / MACHINE_CONFIG).read_text()
    assert not (wine.c / "windows/system32/tasks" / APP).exists()  # no account named this time
    assert wine.run(rf"{DEFAULT_DIR}\uninstall.exe", "/S", "/REMOVECONFIG").returncode == 0
    wine.settle()
    assert not (wine.c / MACHINE_CONFIG).parent.exists()
    assert visits.read_bytes() == b"the visits"


def test_a_new_machine_config_holds_the_upstream_the_installer_was_given(
    wine: Wine, installers: Installers, uninstalled: subprocess.CompletedProcess[str]
) -> None:
    shutil.rmtree((wine.c / MACHINE_CONFIG).parent, ignore_errors=True)
    assert wine.run(installers.new, "/S", "/UPSTREAM=https://upstream.example/v2").returncode == 0
    assert b'[upstream]\r\nurl = "https://upstream.example/v2"\r\n' in (wine.c / MACHINE_CONFIG).read_bytes()
    for bad in ("ftp://upstream.example", 'https://upstream.example/"x', r"https://upstream.example\x"):
        result = wine.run(installers.new, "/S", f"/UPSTREAM={bad}")
        assert result.returncode == 2, bad


def test_a_hard_link_planted_as_the_machine_config_is_replaced_not_written_through(
    wine: Wine, installers: Installers, uninstalled: subprocess.CompletedProcess[str], given_config: Path,
    tmp_path: Path,
) -> None:
    config = wine.c / MACHINE_CONFIG
    config.parent.mkdir(exist_ok=True)
    config.unlink(missing_ok=True)
    elsewhere = tmp_path / "a file of the system"
    elsewhere.write_text("not the kiosk's")
    os.link(elsewhere, config)
    result = wine.run(installers.new, "/S", f"/CONFIG={given_config.name}", cwd=given_config.parent)
    assert result.returncode == 0
    assert elsewhere.read_text() == "not the kiosk's"
    assert config.read_bytes() == given_config.read_bytes()


def test_a_machine_config_folder_that_links_elsewhere_is_refused(
    wine: Wine, installers: Installers, uninstalled: subprocess.CompletedProcess[str], tmp_path: Path
) -> None:
    shutil.rmtree((wine.c / MACHINE_CONFIG).parent, ignore_errors=True)
    elsewhere = tmp_path / "a folder of the system"
    elsewhere.mkdir()
    (wine.c / MACHINE_CONFIG).parent.symlink_to(elsewhere)
    assert wine.run(installers.new, "/S", "/UPSTREAM=https://upstream.example/v3").returncode == 70
    assert list(elsewhere.iterdir()) == []
