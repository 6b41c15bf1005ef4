#!/usr/bin/env bash
# Installs the Venue Pass Kiosk bundle (`./dev package`) on a Linux venue PC:
#   /opt/venue-pass-kiosk/              the one-folder bundle
#   /usr/local/bin/venue-pass-kiosk     a symlink, so `venue-pass-kiosk doctor` works in a terminal
#   /usr/local/share/applications/venue-pass-kiosk.desktop   the menu entry (and its icon)
#   /usr/local/lib/systemd/user/venue-pass-kiosk.service     the systemd user unit (enabled by no one)
#   /usr/local/share/doc/venue-pass-kiosk/config.example.toml
# and, only with --autostart, the kiosk in full screen at log-in under its systemd unit (restarted
# after a crash), for one user (--user NAME) or for everyone: the unit enabled for the graphical
# session, plus an autostart entry that starts it where a light session never reaches that target.
#
# Usage: sudo install.sh [--bundle DIR] [--autostart [--user NAME] | --no-autostart | --keep-autostart]
#        sudo install.sh --uninstall
# Options: --root DIR installs under DIR instead of / (for packagers and tests; no root needed).
# Running it again updates the install: a running kiosk is stopped before the bundle is swapped
# and started again after. Each run sets the autostart its options say: --autostart for the
# named user (or everyone) only, --no-autostart (or no autostart option) none, --keep-autostart
# the one set up before (for scripted updates). --uninstall removes exactly what it installed.
set -euo pipefail

name="venue-pass-kiosk"
app_dir="/opt/$name"
bin_link="/usr/local/bin/$name"
menu_entry="/usr/local/share/applications/$name.desktop"
icon="/usr/local/share/icons/hicolor/scalable/apps/$name.svg"
# /usr/local/lib/systemd/user is on every systemd user manager's unit path.
unit="/usr/local/lib/systemd/user/$name.service"
example="/usr/local/share/doc/$name/config.example.toml"
system_wants="/etc/systemd/user/graphical-session.target.wants/$name.service"
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
    # The comment at the top of this file, up to the first line of code.
    awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0" | sed 's/^# \{0,1\}//'
}

bundle=""
root=""
autostart=0  # 1 --autostart, 0 none (--no-autostart or no option), 2 --keep-autostart
autostart_options=0
user=""
user_given=0
uninstall=0
while [ $# -gt 0 ]; do
    case "$1" in
        --bundle) [ $# -ge 2 ] || die "--bundle needs a folder"; bundle="$2"; shift 2 ;;
        --root) [ $# -ge 2 ] || die "--root needs a folder"; root="$2"; shift 2 ;;
        --autostart) autostart=1; autostart_options=$((autostart_options + 1)); shift ;;
        --no-autostart) autostart=0; autostart_options=$((autostart_options + 1)); shift ;;
        --keep-autostart) autostart=2; autostart_options=$((autostart_options + 1)); shift ;;
        --user) [ $# -ge 2 ] || die "--user needs a user name"; user="$2"; user_given=1; shift 2 ;;
        --uninstall) uninstall=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "unknown option: $1" ;;
    esac
done

[ "$autostart_options" -le 1 ] || die "--autostart, --no-autostart and --keep-autostart exclude each other"
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

# A folder on the way to a per-user file (from ~/.config down) that is a symbolic link: the user
# may have planted it (~/.config -> /etc/xdg) to make root write, or delete, somewhere else.
planted_link() {
    local folder
    folder="$(dirname "$1")"
    while [ "$folder" != / ]; do
        [ -L "$(at "$folder")" ] && return 0
        [ "$(basename "$folder")" = .config ] && return 1
        folder="$(dirname "$folder")"
    done
    return 1
}

# The autostart parts of one user's home, or (no home) everyone's: the unit's link in the
# graphical session's wants, and the XDG autostart entry for sessions that never reach it.
autostart_paths() {
    if [ -n "$1" ]; then
        printf '%s\n' "$1/.config/systemd/user/graphical-session.target.wants/$name.service" \
            "$1/.config/autostart/$name.desktop"
    else
        printf '%s\n' "$system_wants" "$system_autostart"
    fi
}

is_autostart_path() {
    case "$1" in
        "$system_wants" | "$system_autostart" | */.config/autostart/"$name.desktop" | \
            */.config/systemd/user/graphical-session.target.wants/"$name.service") return 0 ;;
    esac
    return 1
}

# Removes one recorded file or link, never through a link a user planted on the way.
remove_recorded() {
    local path="$1"
    case "$path" in
        */.config/*)
            if planted_link "$path"; then
                echo "install.sh: not removed: $path (a folder on the way is a symbolic link)" >&2
                return 0
            fi
            ;;
    esac
    # Only files and symlinks: a folder the kiosk shares with others (autostart) stays.
    if [ -L "$(at "$path")" ] || [ -f "$(at "$path")" ]; then
        rm -f -- "$(at "$path")"
        echo "removed $path"
    fi
}

# Every autostart part the manifest records, removed and forgotten (the other lines stay).
remove_autostart() {
    local path kept
    [ -f "$(at "$manifest")" ] || return 0
    kept="$(at "$manifest").new"
    : >"$kept"
    while IFS= read -r path; do
        [ -n "$path" ] || continue
        if is_autostart_path "$path"; then
            remove_recorded "$path"
        else
            printf '%s\n' "$path" >>"$kept"
        fi
    done <"$(at "$manifest")"
    mv -f -- "$kept" "$(at "$manifest")"
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

# --- a kiosk running from $app_dir during an update: stopped before the swap, started after ---
# Found by its exact program path (the process's executable, or the script an interpreter runs),
# never by a name pattern: another user's program called "kiosk" is none of this script's business.
running_kiosks() {
    local proc argv0 argv1 program
    program="$(at "$app_dir")/$name"
    for proc in /proc/[0-9]*; do
        argv0="" argv1=""
        { read -r -d '' argv0 && read -r -d '' argv1; } 2>/dev/null <"$proc/cmdline" || true
        if [ "$(readlink "$proc/exe" 2>/dev/null)" = "$program" ] || [ "${argv0:-}" = "$program" ] ||
            [ "${argv1:-}" = "$program" ]; then
            printf '%s\n' "${proc#/proc/}"
        fi
    done
}

# The kiosk of a user whose systemd user manager runs its unit is stopped and started through it
# (so the unit's restart rules stay in charge); any other is ended and started again in the same
# session, with the arguments and display it had.
restart_list=()
stop_running_kiosks() {
    local pid owner uid runtime
    for pid in $(running_kiosks); do
        owner="$(stat -c %U "/proc/$pid" 2>/dev/null)" || continue
        uid="$(stat -c %u "/proc/$pid")"
        runtime="/run/user/$uid"
        if [ -S "$runtime/systemd/private" ] && as_owner "$owner" env XDG_RUNTIME_DIR="$runtime" \
            systemctl --user --quiet is-active "$name.service" 2>/dev/null; then
            as_owner "$owner" env XDG_RUNTIME_DIR="$runtime" systemctl --user stop "$name.service"
            restart_list+=("unit:$owner:$runtime")
            echo "stopped the kiosk of $owner ($name.service) for the update"
            continue
        fi
        local saved
        saved="$(mktemp)"
        # Its arguments and the session it draws in, read before it ends.
        tr '\0' '\n' <"/proc/$pid/cmdline" >"$saved.args" 2>/dev/null || true
        tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null |
            grep -E '^(DISPLAY|WAYLAND_DISPLAY|XAUTHORITY|XDG_RUNTIME_DIR|DBUS_SESSION_BUS_ADDRESS|HOME|LANG)=' \
                >"$saved" || true
        kill -TERM "$pid" 2>/dev/null || true
        # The kiosk closes its camera and data file on SIGTERM; 15 s, as the unit's TimeoutStopSec.
        for _ in $(seq 150); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        restart_list+=("process:$owner:$saved")
        echo "stopped the kiosk of $owner (process $pid) for the update"
    done
}

start_stopped_kiosks() {
    local item kind owner rest args
    for item in "${restart_list[@]+"${restart_list[@]}"}"; do
        kind="${item%%:*}"
        rest="${item#*:}"
        owner="${rest%%:*}"
        rest="${rest#*:}"
        if [ "$kind" = unit ]; then
            as_owner "$owner" env XDG_RUNTIME_DIR="$rest" systemctl --user start "$name.service" &&
                echo "started the kiosk of $owner again ($name.service)"
            continue
        fi
        mapfile -t args <"$rest.args"
        # The program first, then the arguments it had (an interpreter's own name is dropped).
        [ "${args[0]}" = "$(at "$app_dir")/$name" ] || args=("${args[@]:1}")
        mapfile -t environment <"$rest"
        as_owner "$owner" env "${environment[@]}" setsid "${args[@]}" </dev/null >/dev/null 2>&1 &
        rm -f -- "$rest" "$rest.args"
        echo "started the kiosk of $owner again"
    done
}

as_owner() {
    local owner="$1"
    shift
    if [ "$is_root" -eq 1 ] && [ "$owner" != root ]; then
        runuser -u "$owner" -- "$@"
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
    if [ "$autostart_options" -ne 0 ] || [ -n "$user" ] || [ -n "$bundle" ]; then
        die "--uninstall takes no other option than --root (it removes every autostart entry it made)"
    fi
    if [ ! -f "$(at "$manifest")" ] && [ ! -e "$(at "$app_dir")" ]; then
        echo "install.sh: nothing to uninstall"
        exit 0
    fi
    if [ -f "$(at "$manifest")" ]; then
        while IFS= read -r path; do
            [ -n "$path" ] || continue
            remove_recorded "$path"
        done <"$(at "$manifest")"
        rm -f -- "$(at "$manifest")"
        rmdir -- "$(dirname "$(at "$manifest")")" 2>/dev/null || true
    fi
    stop_running_kiosks
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
# The files that travel with the script: beside it in the tar.gz; in a source checkout the icon
# is in packaging/ and the example config at the top.
beside() {
    local candidate
    for candidate in "$here/$1" "$here/../$1" "$here/../../$1"; do
        [ -f "$candidate" ] && { printf '%s' "$candidate"; return 0; }
    done
    die "$1 is missing next to this script"
}
for entry in "$name.desktop" "$name-autostart.desktop" "$name.service" "$name.svg" config.example.toml; do
    beside "$entry" >/dev/null
done

home=""
if [ -n "$user" ]; then
    passwd_line="$(getent passwd -- "$user")" || die "no user named $user on this machine"
    home="$(printf '%s' "$passwd_line" | cut -d: -f6)"
    if [ -z "$home" ] || [ ! -d "$home" ]; then
        die "user $user has no home folder"
    fi
    user_entry="$home/.config/autostart/$name.desktop"
    while IFS= read -r path; do
        # The wants link is replaced by a rename, so only the folders matter for it.
        if planted_link "$path" || { [ "${path##*.}" = desktop ] && [ -L "$(at "$path")" ]; }; then
            die "$path or a folder on its way is a symbolic link; nothing was changed" \
                "(make them plain folders and a plain file of $user's)"
        fi
    done < <(autostart_paths "$home")
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
# --version loads no Qt: the window's graphics libraries (GL, EGL, xkbcommon) are missing only
# when Qt starts, so start it on the offscreen platform too (it needs no display).
qt="$(QT_QPA_PLATFORM=offscreen "$target.new/$name" doctor --qt-probe offscreen 2>&1)" &&
    grep -q '"platform": "offscreen"' <<<"$qt" || {
    rm -rf -- "$target.new"
    die "Qt does not start from the bundle in $bundle ($(tail -n 2 <<<"$qt" | tr '\n' ' '))" \
        "install the system libraries it needs (Debian: libgl1 libegl1 libxcb1 libfontconfig1" \
        "libpulse0 libzbar0); nothing was changed"
}
stop_running_kiosks
[ -e "$target" ] && mv -- "$target" "$target.old"
mv -- "$target.new" "$target"
rm -rf -- "$target.old"
echo "installed $app_dir ($version)"
start_stopped_kiosks

mkdir -p "$(dirname "$(at "$bin_link")")"
ln -sfn "$app_dir/$name" "$(at "$bin_link")"
remember "$bin_link"
echo "installed $bin_link"

mkdir -p "$(dirname "$(at "$menu_entry")")"
install -m 644 "$here/$name.desktop" "$(at "$menu_entry")"
remember "$menu_entry"
echo "installed $menu_entry"

for file in "$icon:$name.svg" "$unit:$name.service" "$example:config.example.toml"; do
    path="${file%%:*}"
    mkdir -p "$(dirname "$(at "$path")")"
    install -m 644 "$(beside "${file#*:}")" "$(at "$path")"
    remember "$path"
    echo "installed $path"
done

# The autostart this run asks for replaces whatever an earlier run set up (--keep-autostart: kept).
[ "$autostart" -eq 2 ] || remove_autostart
if [ "$autostart" -eq 1 ]; then
    if [ -n "$user" ]; then
        # The folders may not exist yet on a fresh account: made by the user, or the desktop
        # could not write its own settings there.
        for folder in "$home/.config" "$home/.config/autostart" "$home/.config/systemd" \
            "$home/.config/systemd/user" "$home/.config/systemd/user/graphical-session.target.wants"; do
            [ -d "$(at "$folder")" ] || as_user mkdir -p -- "$(at "$folder")"
        done
        # Written beside and renamed over: a rename replaces a link, it never follows one.
        as_user sh -c 'umask 022 && cat >"$1.new" && mv -f -- "$1.new" "$1"' sh "$(at "$user_entry")" \
            <"$here/$name-autostart.desktop"
        wants="$home/.config/systemd/user/graphical-session.target.wants/$name.service"
        # What `systemctl --user enable` would make, made without a running user manager.
        as_user sh -c 'ln -sfn -- "$1" "$2.new" && mv -fT -- "$2.new" "$2"' sh "$unit" "$(at "$wants")"
    else
        mkdir -p "$(dirname "$(at "$system_autostart")")" "$(dirname "$(at "$system_wants")")"
        install -m 644 "$here/$name-autostart.desktop" "$(at "$system_autostart")"
        ln -sfn -- "$unit" "$(at "$system_wants")"
    fi
    while IFS= read -r path; do
        remember "$path"
        echo "installed $path"
    done < <(autostart_paths "$home")
    echo "install.sh: the kiosk starts full screen at ${user:-every user}'s log-in, restarted after a crash"
fi
echo "install.sh: done; run \`$name doctor\` as the kiosk's user to check the set-up"
