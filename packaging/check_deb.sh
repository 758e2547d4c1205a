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
for path in ./usr/bin/attnviz ./usr/share/applications/attnviz.desktop ./usr/share/icons/hicolor/scalable/apps/attnviz.svg; do
  if ! grep -q " $path\$" <<<"$contents"; then echo "check_deb: $deb lacks $path"; status=1; fi
done
for dep in libdnnl qt6-qpa-plugins libqt6widgets6 libquazip1-qt6; do
  if ! grep -q "$dep" <<<"$depends"; then echo "check_deb: Depends lacks $dep: $depends"; status=1; fi
done
[ $status -eq 0 ] && echo "check_deb: $deb ok ($(wc -l <<<"$contents") entries; Depends: $depends)"
exit $status
