#!/usr/bin/env bash
# Sets up a fresh Debian machine for the kiosk: system packages only where
# missing, a virtual environment, and the package with its test extra.
set -euo pipefail
venv="${1:-.venv}"
cd "$(dirname "$0")/.."

# Debian packages the kiosk needs at run time (the GUI's list grows with the UI issue).
apt_packages=()
python3 -c 'import ensurepip, venv' 2>/dev/null || apt_packages+=(python3-venv)
command -v python3 >/dev/null || apt_packages+=(python3)
if [ ${#apt_packages[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "setup: missing system packages: ${apt_packages[*]} (run as root, or install them)" >&2
        exit 1
    fi
    echo "setup: installing ${apt_packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${apt_packages[@]}"
fi

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q -e ".[test]"
echo "setup: ready ($("$venv/bin/python" --version))"
