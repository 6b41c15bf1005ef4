#!/usr/bin/env bash
# Installs the Venue Pass Kiosk bundle (`./dev package`) on a Linux venue PC:
#   /opt/venue-pass-kiosk/              the one-folder bundle
#   /usr/local/bin/venue-pass-kiosk     a symlink, so `venue-pass-kiosk doctor` works in a terminal
#   /usr/local/share/applications/venue-pass-kiosk.desktop   the menu entry
# and, only with --autostart, the kiosk in full screen at log-in, for one user (--user NAME:
# ~NAME/.config/autostart) or for everyone (/etc/xdg/autostart).
#
# Usage: sudo install.sh [--bundle DIR] [--autostart [--user NAME]]
#        sudo install.sh --uninstall
# Options: --root DIR installs under DIR instead of / (for packagers and tests; no root needed).
# Running it again updates the install; --uninstall removes exactly what it installed.
set -euo pipefail

name="venue-pass-kiosk"
app_dir="/opt/$name"
bin_link="/usr/local/bin/$name"
menu_entry="/usr/local/share/applications/$name.desktop"
# Autostart entries carry the menu entry's file name, so a user's own file of that name
# (e.g. with Hidden=true) overrides the system-wide one, as the XDG autostart spec says.
system_autostart="/etc/xdg/autostart/$name.desktop"
# What was installed outside $app_dir, one path a line: --uninstall removes these.
manifest="/var/lib/$name/installed-files"

here="$(cd "$(dirname "$0")" && pwd)"

die() {
    echo "install.sh: $*" >&2
    exit 2
}

usage() {
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
}

bundle=""
root=""
autostart=0
user=""
user_given=0
uninstall=0
while [ $# -gt 0 ]; do
    case "$1" in
        --bundle) [ $# -ge 2 ] || die "--bundle needs a folder"; bundle="$2"; shift 2 ;;
        --root) [ $# -ge 2 ] || die "--root needs a folder"; root="$2"; shift 2 ;;
        --autostart) autostart=1; shift ;;
        --user) [ $# -ge 2 ] || die "--user needs a user name"; user="$2"; user_given=1; shift 2 ;;
        --uninstall) uninstall=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "unknown option: $1" ;;
    esac
done

if [ "$user_given" -eq 1 ]; then
    # An empty name would mean "every user" below, and "-x" would be read as an option.
    [ -n "$user" ] || die "--user needs a user name, not an empty one"
    user_name='^[A-Za-z_][A-Za-z0-9._-]*[$]?$'
    [[ "$user" =~ $user_name ]] ||
        die "--user $user is not a user name (letters, digits, '.', '_' or '-', not first a digit or '-')"
fi

if [ -n "$root" ]; then
    mkdir -p "$root" || die "cannot make the root folder $root"
    root="$(cd "$root" && pwd)"
elif [ "$(id -u)" -ne 0 ]; then
    die "run as root (sudo $0 ...): it writes to /opt, /usr/local and /etc"
fi
is_root=0
[ "$(id -u)" -eq 0 ] && is_root=1

# Every path below is where it is on the running system; $root prefixes it on disk.
at() { printf '%s%s' "$root" "$1"; }

# A folder on the way to a per-user file that is a symbolic link: the user may have planted
# it (~/.config -> /etc/xdg) to make root write, or delete, somewhere else.
planted_link() {
    local folder
    folder="$(dirname "$1")"
    [ -L "$(at "$folder")" ] || [ -L "$(at "$(dirname "$folder")")" ]
}

# Writes in a user's home folder run as that user when root: then even a link planted after
# the check above leads nowhere the user could not write anyway.
as_user() {
    if [ "$is_root" -eq 1 ]; then
        runuser -u "$user" -- "$@"
    else
        "$@"
    fi
}

remember() {
    mkdir -p "$(dirname "$(at "$manifest")")"
    touch "$(at "$manifest")"
    grep -qxF -- "$1" "$(at "$manifest")" || printf '%s\n' "$1" >>"$(at "$manifest")"
}

if [ "$uninstall" -eq 1 ]; then
    if [ "$autostart" -ne 0 ] || [ -n "$user" ] || [ -n "$bundle" ]; then
        die "--uninstall takes no other option than --root (it removes every autostart entry it made)"
    fi
    if [ ! -f "$(at "$manifest")" ] && [ ! -e "$(at "$app_dir")" ]; then
        echo "install.sh: nothing to uninstall"
        exit 0
    fi
    if [ -f "$(at "$manifest")" ]; then
        while IFS= read -r path; do
            [ -n "$path" ] || continue
            case "$path" in
                */.config/autostart/"$name.desktop")
                    if planted_link "$path"; then
                        echo "install.sh: not removed: $path (a folder on the way is a symbolic link)" >&2
                        continue
                    fi
                    ;;
            esac
            # Only files and symlinks: a folder the kiosk shares with others (autostart) stays.
            if [ -L "$(at "$path")" ] || [ -f "$(at "$path")" ]; then
                rm -f -- "$(at "$path")"
                echo "removed $path"
            fi
        done <"$(at "$manifest")"
        rm -f -- "$(at "$manifest")"
        rmdir -- "$(dirname "$(at "$manifest")")" 2>/dev/null || true
    fi
    rm -rf -- "$(at "$app_dir")"
    echo "removed $app_dir"
    echo "install.sh: uninstalled (the kiosk's data folders in the users' homes are kept)"
    exit 0
fi

[ "$user_given" -eq 0 ] || [ "$autostart" -eq 1 ] || die "--user NAME goes with --autostart (whose log-in starts the kiosk)"

# The bundle: as given, else next to this script (the unpacked tar.gz), else the build output
# of a source checkout (packaging/linux/ -> dist/).
if [ -z "$bundle" ]; then
    for candidate in "$here/$name" "$here/../../dist/$name"; do
        if [ -d "$candidate" ]; then
            bundle="$candidate"
            break
        fi
    done
    [ -n "$bundle" ] || die "no bundle found next to this script or in dist/: run ./dev package first, or pass --bundle DIR"
fi
[ -d "$bundle" ] || die "bundle folder not found: $bundle (run ./dev package first, or pass --bundle DIR)"
if [ ! -f "$bundle/$name" ] || [ ! -x "$bundle/$name" ]; then
    die "$bundle has no executable $name: not a bundle made by ./dev package"
fi
for entry in "$name.desktop" "$name-autostart.desktop"; do
    [ -f "$here/$entry" ] || die "$entry is missing next to this script"
done

home=""
if [ -n "$user" ]; then
    passwd_line="$(getent passwd -- "$user")" || die "no user named $user on this machine"
    home="$(printf '%s' "$passwd_line" | cut -d: -f6)"
    if [ -z "$home" ] || [ ! -d "$home" ]; then
        die "user $user has no home folder"
    fi
    user_entry="$home/.config/autostart/$name.desktop"
    if planted_link "$user_entry" || [ -L "$(at "$user_entry")" ]; then
        die "$user_entry or a folder on its way is a symbolic link; nothing was changed" \
            "(make them plain folders and a plain file of $user's)"
    fi
fi

# The new bundle goes in beside the old one and replaces it in one rename, so an interrupted
# update leaves the previous install working.
target="$(at "$app_dir")"
mkdir -p "$(dirname "$target")"
rm -rf -- "$target.new" "$target.old"
cp -R -- "$bundle" "$target.new"
chmod -R u+rwX,go+rX,go-w "$target.new"
version="$("$target.new/$name" --version 2>&1)" || {
    rm -rf -- "$target.new"
    die "the bundle in $bundle does not start ($version); nothing was changed"
}
[ -e "$target" ] && mv -- "$target" "$target.old"
mv -- "$target.new" "$target"
rm -rf -- "$target.old"
echo "installed $app_dir ($version)"

mkdir -p "$(dirname "$(at "$bin_link")")"
ln -sfn "$app_dir/$name" "$(at "$bin_link")"
remember "$bin_link"
echo "installed $bin_link"

mkdir -p "$(dirname "$(at "$menu_entry")")"
install -m 644 "$here/$name.desktop" "$(at "$menu_entry")"
remember "$menu_entry"
echo "installed $menu_entry"

if [ "$autostart" -eq 1 ]; then
    if [ -n "$user" ]; then
        entry="$user_entry"
        # The folders may not exist yet on a fresh account: made by the user, or the desktop
        # could not write its own settings there.
        for folder in "$home/.config" "$home/.config/autostart"; do
            [ -d "$(at "$folder")" ] || as_user mkdir -p -- "$(at "$folder")"
        done
        # Written beside and renamed over: a rename replaces a link, it never follows one.
        as_user sh -c 'umask 022 && cat >"$1.new" && mv -f -- "$1.new" "$1"' sh "$(at "$entry")" \
            <"$here/$name-autostart.desktop"
    else
        entry="$system_autostart"
        mkdir -p "$(dirname "$(at "$entry")")"
        install -m 644 "$here/$name-autostart.desktop" "$(at "$entry")"
    fi
    remember "$entry"
    echo "installed $entry (full screen at log-in)"
fi
echo "install.sh: done; run \`$name doctor\` as the kiosk's user to check the set-up"
