#!/usr/bin/env bash
# `./dev package`: the PyInstaller one-folder bundle (packaging/kiosk.spec) in dist/, the Linux
# tar.gz and the Debian package (scripts/build_deb.sh) beside it, each with a .sha256 file to
# check a download with (`sha256sum -c FILE.sha256`), and, where makensis is installed, a compile of the Windows installer script
# against this bundle as a stand-in (it proves the script compiles; only a Windows bundle makes
# a working installer). Expects `./dev setup` to have run.
set -euo pipefail
venv="${1:-.venv}"
cd "$(dirname "$0")/.."
py="$venv/bin/python"

# `./dev setup` installed what this needs (binutils, the interpreter's shared library, nsis,
# PyInstaller through the test extra); see scripts/setup.sh.
command -v objdump >/dev/null || { echo "package: objdump (binutils) missing: run ./dev setup" >&2; exit 1; }
"$py" -c 'import PyInstaller' 2>/dev/null || "$py" -m pip install -qq -e ".[test,package]"

version="$("$py" -c 'import kiosk; print(kiosk.__version__)')"
name="venue-pass-kiosk"
top="$name-$version-linux-$(uname -m)"

# The trust list the package carries, so a fresh install verifies offline from its first start.
# KIOSK_RELEASE_CONFIG names a config.toml with the national upstream and a key; without it the
# list comes from a simulator and is marked so (a kiosk uses it only with the simulator upstream).
mkdir -p build
snapshot="$PWD/build/trust-snapshot.json"
rm -f "$snapshot"
if [ -n "${KIOSK_RELEASE_CONFIG:-}" ]; then
    "$py" scripts/trust_snapshot.py "$snapshot" --config "$KIOSK_RELEASE_CONFIG"
else
    "$py" scripts/trust_snapshot.py "$snapshot"
    echo "package: the bundled trust list comes from the simulator (set KIOSK_RELEASE_CONFIG for a release)"
fi

echo "package: building dist/$name (PyInstaller)"
start=$(date +%s.%N)
KIOSK_TRUST_SNAPSHOT_FILE="$snapshot" "$py" -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
    packaging/kiosk.spec
built=$(date +%s.%N)
"dist/$name/$name" --version >/dev/null

# The installer script and its desktop entries travel beside the bundle: on the venue PC,
# unpack and run `sudo <folder>/install.sh`. Only member names get the top folder: the
# bundle's relative symlinks must keep their targets.
rm -f "dist/$top.tar.gz"
tar -czf "dist/$top.tar.gz" --owner=0 --group=0 --transform "flags=r;s,^,$top/," \
    -C dist "$name" \
    -C ../packaging/linux install.sh "$name.desktop" "$name-autostart.desktop" "$name.service" \
    -C .. "$name.svg" -C .. config.example.toml
packed=$(date +%s.%N)

deb="$(bash scripts/build_deb.sh "dist/$name" "$version" dist)"
echo "package: $deb ($(du -sm "$deb" | cut -f1) MB)"

if command -v makensis >/dev/null; then
    mkdir -p build/nsis
    # Stored, not compressed (seconds instead of minutes): the stand-in only proves that the
    # script compiles, so it is deleted again.
    standin="$PWD/build/nsis/$name-$version-standin.exe"
    # KIOSK_SIGN_PKCS12 set: signed as a release is (scripts/sign_windows.sh), to prove the certificate works.
    sign=()
    [ -n "${KIOSK_SIGN_PKCS12:-}" ] && sign=(-DSIGN="bash $PWD/scripts/sign_windows.sh")
    makensis -V2 -X"SetCompressor /FINAL zlib" -X"SetCompress off" -DBUNDLE_DIR="$PWD/dist/$name" \
        -DVERSION="$version" -DOUTFILE="$standin" "${sign[@]}" packaging/windows/installer.nsi
    rm -f "$standin"
    echo "package: packaging/windows/installer.nsi compiles (against this Linux bundle as a stand-in)"
else
    echo "package: makensis not found (Debian package nsis): the Windows installer script was not compiled"
fi

# A .sha256 beside every artefact left in dist/ (`sha256sum -c FILE.sha256` checks a download).
find dist -maxdepth 1 -type f ! -name '*.sha256' -printf '%f\n' | while IFS= read -r artefact; do
    (cd dist && sha256sum "$artefact" >"$artefact.sha256")
done

awk -v b="$(du -sm "dist/$name" | cut -f1)" -v t="$(du -sm "dist/$top.tar.gz" | cut -f1)" \
    -v s="$start" -v m="$built" -v p="$packed" -v name="$name" -v top="$top" 'BEGIN {
    printf "package: dist/%s/ %d MB, built in %.1f s; dist/%s.tar.gz %d MB, packed in %.1f s\n",
        name, b, m - s, top, t, p - m }'
