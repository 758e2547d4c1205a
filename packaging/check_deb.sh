#!/usr/bin/env bash
# Builds the .deb from a configured build folder and checks what it holds and depends on.
#   packaging/check_deb.sh build/release
set -euo pipefail
build=${1:?usage: check_deb.sh BUILD_DIR}
(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls -t "$build"/attnviz_*.deb | head -n 1)
contents=$(dpkg-deb -c "$deb")
depends=$(dpkg-deb -f "$deb" Depends)
status=0
for path in ./usr/bin/attnviz ./usr/share/applications/attnviz.desktop ./usr/share/icons/hicolor/scalable/apps/attnviz.svg \
            ./usr/share/icons/hicolor/48x48/apps/attnviz.png ./usr/share/icons/hicolor/256x256/apps/attnviz.png \
            ./usr/share/metainfo/org.attnviz.attnviz.metainfo.xml ./usr/share/man/man1/attnviz.1.gz \
            ./usr/share/mime/packages/attnviz-session.xml; do
  if ! grep -q " $path\$" <<<"$contents"; then echo "check_deb: $deb lacks $path"; status=1; fi
done
for dep in libdnnl qt6-qpa-plugins libqt6widgets6 libquazip1-qt6; do
  if ! grep -q "$dep" <<<"$depends"; then echo "check_deb: Depends lacks $dep: $depends"; status=1; fi
done
# The metadata files as desktops and software centres read them, from the package itself.
unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
dpkg-deb -x "$deb" "$unpacked"
desktop-file-validate "$unpacked/usr/share/applications/attnviz.desktop" | grep -v ': hint:' && status=1
appstreamcli validate --no-net --pedantic "$unpacked/usr/share/metainfo/org.attnviz.attnviz.metainfo.xml" >/dev/null ||
  { echo "check_deb: the AppStream metainfo does not validate"; status=1; }
man -l "$unpacked/usr/share/man/man1/attnviz.1.gz" 2>/dev/null | grep -q -- "--max-tokens" ||
  { echo "check_deb: the man page lacks the options of --help"; status=1; }
# The session MIME type compiles into a MIME database that maps *.attnviz to it, and the desktop file opens it.
update-mime-database "$unpacked/usr/share/mime" >/dev/null 2>&1 &&
  grep -q "application/x-attnviz-session:\*.attnviz" "$unpacked/usr/share/mime/globs" ||
  { echo "check_deb: the .attnviz MIME type does not build into a MIME database"; status=1; }
grep -q "^MimeType=.*application/x-attnviz-session;" "$unpacked/usr/share/applications/attnviz.desktop" ||
  { echo "check_deb: the desktop file does not open .attnviz sessions"; status=1; }
file "$unpacked/usr/share/icons/hicolor/48x48/apps/attnviz.png" | grep -q "48 x 48" ||
  { echo "check_deb: the 48x48 icon is not a 48 x 48 PNG"; status=1; }
[ $status -eq 0 ] && echo "check_deb: $deb ok ($(wc -l <<<"$contents") entries; Depends: $depends)"
exit $status
