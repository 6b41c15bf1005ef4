#!/usr/bin/env bash
# The Debian packages a bundle needs from the system, one a line: every library its ELF files
# load (ldd, with the bundle's own folders first, as its program sets them) that is not inside
# the bundle, mapped to its package (dpkg -S). packaging/linux/deb/depends keeps the list;
# the bundle test compares the two. Qt's Wayland parts are left out (the only other display
# platform the bundle keeps): Qt starts on xcb (X11 or XWayland), and on offscreen for
# `doctor`. Libraries loaded by name at run time (libpulse for the sounds, libzbar for
# pyzbar) are not linked, so ldd cannot see them: the list names them.
#   scripts/deb_depends.sh BUNDLE_DIR
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 BUNDLE_DIR" >&2; exit 2; }
bundle="$(cd "$1" && pwd)"
internal="$bundle/_internal"
libpath="$(find "$internal" -name '*.so*' -printf '%h\n' | sort -u | paste -sd:)"

find "$bundle" -type f \( -name '*.so*' -o -perm -u+x \) \
    -not -path '*/plugins/wayland-*' -not -name 'libQt6Wayland*' -not -name 'libQt6WlShell*' \
    -not -name libqwayland.so -print |
    while IFS= read -r file; do
        LD_LIBRARY_PATH="$libpath" ldd "$file" 2>/dev/null || true
    done |
    awk '$2 == "=>" && $3 ~ /^\// { print $3 } $2 == "=>" && $3 == "not" { print "missing:" $1 }' |
    sort -u |
    while IFS= read -r lib; do
        case "$lib" in
            missing:*) echo "$lib" ;;
            "$bundle"/*) ;;
            *)
                # usrmerge: dpkg knows a library by one of /lib and /usr/lib only.
                real="$(readlink -f "$lib")"
                dpkg -S "$real" 2>/dev/null || dpkg -S "${real#/usr}" 2>/dev/null ||
                    echo "unowned:$lib"
                ;;
        esac
    done | sed 's/:amd64//; s/: .*//' | sort -u
