#!/usr/bin/env bash
# The Debian package of a bundle: staged as it lands on the venue PC, then `dpkg-deb --build`.
#   scripts/build_deb.sh BUNDLE_DIR VERSION OUT_DIR
# writes OUT_DIR/venue-pass-kiosk_VERSION-1_amd64.deb and its .sha256 beside it. `./dev package`
# runs it on the PyInstaller bundle; the packaging tests run it on a small stand-in folder.
#   /opt/venue-pass-kiosk/                      the bundle, as the tar.gz carries it
#   /usr/bin/venue-pass-kiosk                   a symlink to the program
#   /usr/share/applications/venue-pass-kiosk.desktop and its icon (hicolor, scalable)
#   /usr/lib/systemd/user/venue-pass-kiosk.service   enabled by no one until an installer says so
#   /usr/share/doc/venue-pass-kiosk/            copyright, changelog, config.example.toml
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 BUNDLE_DIR VERSION OUT_DIR" >&2; exit 2; }
bundle="$1"
version="$2"
out="$3"
name="venue-pass-kiosk"
# The package's first revision of this version: a package, not the program's own source.
revision="$version-1"
repo="$(cd "$(dirname "$0")/.." && pwd)"
linux="$repo/packaging/linux"
[ -x "$bundle/$name" ] || { echo "build_deb: $bundle has no executable $name" >&2; exit 2; }

stage="$(mktemp -d)"
trap 'rm -rf -- "$stage"' EXIT
chmod 755 "$stage"  # the root folder of the package: / on the venue PC
umask 022
mkdir -p "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
    "$stage/usr/share/icons/hicolor/scalable/apps" "$stage/usr/lib/systemd/user" \
    "$stage/usr/share/doc/$name" "$stage/usr/share/lintian/overrides" "$stage/DEBIAN"
cp -R -- "$bundle" "$stage/opt/$name"
chmod -R u+rwX,go+rX,go-w "$stage/opt/$name"
# Shared libraries are mapped, never run: PyInstaller copies them with the execute bit.
find "$stage/opt/$name" -type f -name '*.so*' -exec chmod 644 {} +
ln -s "/opt/$name/$name" "$stage/usr/bin/$name"
install -m 644 "$linux/$name.desktop" "$stage/usr/share/applications/$name.desktop"
install -m 644 "$repo/packaging/$name.svg" "$stage/usr/share/icons/hicolor/scalable/apps/$name.svg"
install -m 644 "$linux/$name.service" "$stage/usr/lib/systemd/user/$name.service"
install -m 644 "$linux/deb/copyright" "$repo/config.example.toml" "$stage/usr/share/doc/$name/"
install -m 644 "$linux/deb/lintian-overrides" "$stage/usr/share/lintian/overrides/$name"

# One entry per release; dated by SOURCE_DATE_EPOCH where the build sets it (reproducible).
when="$(date -R -u -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}")"
maintainer="$(sed -n 's/^Maintainer: //p' "$linux/deb/control")"
printf '%s (%s) unstable; urgency=medium\n\n  * Release %s.\n\n -- %s  %s\n' \
    "$name" "$revision" "$version" "$maintainer" "$when" | gzip -9n >"$stage/usr/share/doc/$name/changelog.Debian.gz"

depends="$(grep -v '^#' "$linux/deb/depends" | grep . | paste -sd, | sed 's/,/, /g')"
size="$(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
sed -e "s/@VERSION@/$revision/" -e "s/@INSTALLED_SIZE@/$size/" -e "s/@DEPENDS@/$depends/" \
    "$linux/deb/control" >"$stage/DEBIAN/control"
install -m 755 "$linux/deb/postinst" "$stage/DEBIAN/postinst"
(cd "$stage" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) \
    >"$stage/DEBIAN/md5sums"

mkdir -p "$out"
deb="${name}_${revision}_amd64.deb"
dpkg-deb --build --root-owner-group "$stage" "$out/$deb" >/dev/null
(cd "$out" && sha256sum "$deb" >"$deb.sha256")
echo "$out/$deb"
