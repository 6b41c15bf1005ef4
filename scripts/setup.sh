#!/usr/bin/env bash
# Sets up a fresh Debian machine for the kiosk: system packages only where
# missing, a virtual environment, and the package with its test extra.
# Quiet on success; idempotent (a broken or half-made .venv is made again).
set -euo pipefail
venv="${1:-.venv}"
cd "$(dirname "$0")/.."

# Debian packages the kiosk needs at run time (the GUI's list grows with the UI issue).
# The pip wheels (opencv-python-headless, zxing-cpp, numpy, cryptography) bundle their
# own native libraries: a minimal Debian 12 needs nothing more for them.
apt_packages=()
command -v python3 >/dev/null || apt_packages+=(python3)
python3 -c 'import ensurepip, venv' 2>/dev/null || apt_packages+=(python3-venv)
# pip reaches PyPI over TLS; a minimal Debian has no CA bundle (and a network with a
# TLS proxy points pip at the system one).
[ -f /etc/ssl/certs/ca-certificates.crt ] || apt_packages+=(ca-certificates)
# The window (PySide6 wheels) needs these system libraries on a bare Debian 12: GL/EGL,
# fontconfig, GLib, xkbcommon and D-Bus for Qt itself, PulseAudio's client library for
# QtMultimedia (sounds), the xcb libraries for a real X window, and a Hangul font
# (without one Korean draws as empty boxes). xvfb runs the window on a virtual screen.
system_packages=(libegl1 libgl1 libfontconfig1 libglib2.0-0 libxkbcommon0 libdbus-1-3 libpulse0
    libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxkbcommon-x11-0 fonts-nanum
    xvfb xauth)
# pyzbar (the camera's second QR decoder) loads the zbar library at run time; its wheel has none.
system_packages+=(libzbar0)
# The installers (`./dev package`, and the suite's tests of them): PyInstaller reads shared
# libraries' dependencies with objdump (binutils) and needs the interpreter's shared library,
# which Debian's own python3 keeps in a package of its own (patchelf takes a self-built
# interpreter's own folder out of that library's RUNPATH); makensis compiles the Windows
# installer script; desktop-file-validate checks the Linux menu entries; lintian checks the .deb
# (dpkg-deb, which builds it, is part of every Debian). A PulseAudio server gives the sound tests
# a null sink as their audio device: QSoundEffect loads a sound only for a device.
system_packages+=(binutils patchelf nsis desktop-file-utils lintian pulseaudio)
# The Windows installer's tests: wine64 runs the compiled installer silently (64-bit only, no
# i386 architecture; with its library libwine it is ~670 MB installed, the least Debian offers),
# osslsigncode signs it with a test certificate (0.2 MB).
system_packages+=(wine64 osslsigncode)
if command -v python3 >/dev/null && [ "$(python3 -c 'import sys; print(sys.base_prefix)')" = /usr ]; then
    system_packages+=("lib$(python3 -c 'import sys; print("python%d.%d" % sys.version_info[:2])')")
fi
if command -v dpkg-query >/dev/null; then
    for pkg in "${system_packages[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || apt_packages+=("$pkg")
    done
fi
if [ ${#apt_packages[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "setup: missing system packages: ${apt_packages[*]} (run as root, or install them)" >&2
        exit 1
    fi
    if ! command -v apt-get >/dev/null; then
        echo "setup: missing system packages: ${apt_packages[*]} (no apt-get here: install them)" >&2
        exit 1
    fi
    echo "setup: installing ${apt_packages[*]}"
    log="$(mktemp)"
    if ! { DEBIAN_FRONTEND=noninteractive apt-get update -q \
            && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
                "${apt_packages[@]}"; } >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        echo "setup: apt-get failed installing ${apt_packages[*]}" >&2
        exit 1
    fi
    rm -f "$log"
fi

if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "setup: $(python3 --version 2>&1) is too old: the kiosk needs Python 3.11 or newer" >&2
    exit 1
fi

# A venv whose python is gone (e.g. its interpreter was removed) or that has no pip
# (an interrupted `python3 -m venv`) is made again.
if [ -e "$venv" ] && ! "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
    echo "setup: $venv is broken, making it again"
    rm -rf "$venv"
fi
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
# -qq: errors only (a failure still prints pip's error), not the warnings of a healthy run
# (setuptools' note on every editable install, local wheel folders absent from pip's config)
"$venv/bin/python" -m pip install -qq --upgrade pip
"$venv/bin/python" -m pip install -qq -e ".[test]"
echo "setup: ready ($("$venv/bin/python" --version))"
