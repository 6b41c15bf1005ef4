#!/usr/bin/env bash
# Signs a Windows program in place (Authenticode, SHA-256, time-stamped) with osslsigncode. The
# installer script calls it for its uninstaller and then for itself when compiled with
#   makensis -DSIGN="bash scripts/sign_windows.sh" ...
# (./dev package passes it when KIOSK_SIGN_PKCS12 is set). On Windows, signtool does the same:
# docs/install.md, "Signing".
#   KIOSK_SIGN_PKCS12         the code-signing certificate with its key (.p12 / .pfx)
#   KIOSK_SIGN_PASSWORD_FILE  a file holding the key's password (a file, not a variable or an
#                             argument, which other processes could read); none: no password
#   KIOSK_SIGN_TIMESTAMP_URL  the RFC 3161 time-stamp server (default: DigiCert's); "none" for a
#                             test certificate only: an unstamped signature ends with the certificate
set -euo pipefail
if [ $# -ne 1 ] || [ ! -f "$1" ]; then
    echo "usage: sign_windows.sh FILE.exe (KIOSK_SIGN_PKCS12 names the certificate)" >&2
    exit 2
fi
if [ -z "${KIOSK_SIGN_PKCS12:-}" ] || [ ! -f "$KIOSK_SIGN_PKCS12" ]; then
    echo "sign_windows.sh: KIOSK_SIGN_PKCS12 must name the .p12 certificate file" >&2
    exit 2
fi
command -v osslsigncode >/dev/null || { echo "sign_windows.sh: osslsigncode missing (Debian package osslsigncode)" >&2; exit 2; }
file="$1"
args=(sign -pkcs12 "$KIOSK_SIGN_PKCS12" -h sha256 -n "Venue Pass Kiosk")
[ -n "${KIOSK_SIGN_PASSWORD_FILE:-}" ] && args+=(-readpass "$KIOSK_SIGN_PASSWORD_FILE")
timestamp="${KIOSK_SIGN_TIMESTAMP_URL:-http://timestamp.digicert.com}"
[ "$timestamp" != none ] && args+=(-ts "$timestamp")
osslsigncode "${args[@]}" -in "$file" -out "$file.signed" >/dev/null
mv -f "$file.signed" "$file"
