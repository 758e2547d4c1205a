#!/usr/bin/env bash
# Installs the .deb into a fresh, minimal Debian 12 root and checks that it works there and leaves nothing behind:
#   packaging/test_install.sh build/release/attnviz_0.1.0_amd64.deb
#
# 1. A pristine bookworm root (debootstrap --variant=minbase) from the mirror apt uses on this machine
#    (apt-get indextargets; ATTNVIZ_DEBIAN_MIRROR overrides it). It is made once and kept as a tarball in
#    the cache folder, build/install-test/ (ATTNVIZ_INSTALL_TEST_CACHE overrides it); delete it to start over.
#    The root's setup and cleanup are packaging/debian_root.sh's, shared with test_fresh_build.sh.
# 2. The root gets the host's Debian sources (bookworm, -updates, -security) and Acquire settings (proxies,
#    date checks), then `apt-get install --no-install-recommends ./attnviz_*.deb`: the dependencies come from
#    the mirror and only the package's Depends are installed, so this is the test that Depends are enough.
#    Downloaded .debs and apt's lists are kept in the cache folder for the next run.
# 3. In the root: `attnviz --version`, `attnviz info` on every shipped model, a headless `attnviz export` of
#    one shipped model to PNG (its signature is checked).
# 4. `apt-get purge attnviz`, and no file that `dpkg -L attnviz` listed may remain.
# /proc, /dev and /dev/pts are mounted in the root while it runs; on exit, even a failed one, they are
# unmounted and the root is deleted (never while anything is still mounted in it). Needs root (or sudo).
set -euo pipefail
deb=${1:?usage: test_install.sh DEB}
[ -f "$deb" ] || { echo "test_install: FAILED: no such file: $deb" >&2; exit 2; }
deb=$(realpath "$deb")
if [ "$(id -u)" -ne 0 ]; then exec sudo --preserve-env=ATTNVIZ_DEBIAN_MIRROR,ATTNVIZ_INSTALL_TEST_CACHE,ATTNVIZ_ROOT_TMPFS "$0" "$deb"; fi
tag=test_install
passed_what=$deb
# shellcheck source=packaging/debian_root.sh
source "$(dirname "$0")/debian_root.sh"

contents=$(dpkg-deb -c "$deb") || fail "dpkg-deb cannot read $deb"
grep -q ' ./usr/bin/attnviz$' <<<"$contents" || fail "$deb holds no /usr/bin/attnviz"
models=$(sed -n 's|.* \./usr/share/attnviz/models/\([^/]*\)/$|\1|p' <<<"$contents")
[ -n "$models" ] || fail "$deb ships no models under /usr/share/attnviz/models"
# The export's model: a text model (the coreference encoder when shipped), any vit model needs an image.
export_model=$(grep -x coref-bert <<<"$models" || grep -v '^vit' <<<"$models" | head -n 1) ||
  fail "$deb ships no text model to export"
version=$(dpkg-deb -f "$deb" Version)

root_init
root_create
root_configure
cp "$deb" "$root/tmp/" && chmod 644 "$root/tmp/$(basename "$deb")"
root_apt_update

begin install
root_apt_install "$cache/install.log" "/tmp/$(basename "$deb")"
in_root dpkg-query -W -f='${Status}' attnviz | grep -q "install ok installed" || fail "attnviz is not installed"
ok "attnviz $version and ${new:-?} packages ($cached_debs .debs were cached)"

begin version
out=$(in_root attnviz --version 2>&1) || { echo "$out" >&2; fail "attnviz --version exited with $?"; }
grep -q -- "$version" <<<"$out" || fail "attnviz --version does not name $version: $out"
ok "$(head -n 1 <<<"$out")"

begin info
for model in $models; do
  out=$(in_root attnviz info --json "/usr/share/attnviz/models/$model" 2>&1) ||
    { echo "$out" >&2; fail "attnviz info /usr/share/attnviz/models/$model"; }
  grep -q '"kind"' <<<"$out" || fail "attnviz info --json $model printed no kind: $out"
done
out=$(in_root attnviz info "/usr/share/attnviz/models/$export_model" 2>&1) ||
  { echo "$out" >&2; fail "attnviz info /usr/share/attnviz/models/$export_model"; }
ok "$(wc -w <<<"$models") shipped models ($(tr '\n' ' ' <<<"$models" | sed 's/ $//'))"

begin export
text="The animal didn't cross the street because it was too tired."
out=$(in_root timeout 300 attnviz export --model "/usr/share/attnviz/models/$export_model" --text "$text" \
        --out /tmp/figs --format png 2>&1) ||
  { echo "$out" >&2; fail "attnviz export --model $export_model --format png"; }
pngs=("$root"/tmp/figs/*.png)
[ -f "${pngs[0]}" ] || fail "attnviz export wrote no PNG into /tmp/figs: $(ls "$root/tmp/figs" 2>&1)"
signature=$(head -c 8 "${pngs[0]}" | od -An -tx1 | tr -d ' \n')
[ "$signature" = 89504e470d0a1a0a ] || fail "${pngs[0]#$root} is not a PNG (starts with $signature)"
ok "${pngs[0]#$root} from $export_model, $(stat -c %s "${pngs[0]}") bytes, PNG signature"

begin purge
files=$(in_root dpkg -L attnviz)
log=$cache/purge.log
in_root apt-get purge -y attnviz >"$log" 2>&1 || { tail -n 20 "$log" >&2; fail "apt-get purge -y attnviz (log: $log)"; }
status=$(in_root dpkg-query -W -f='${Status}' attnviz 2>/dev/null || true)
[ -z "$status" ] || [ "$status" = "unknown ok not-installed" ] || fail "dpkg still knows attnviz: $status"
[ ! -e "$root/usr/bin/attnviz" ] || fail "/usr/bin/attnviz is still there"
left=()
while IFS= read -r path; do
  [ -n "$path" ] && [ "$path" != /. ] || continue
  if [ -L "$root$path" ] || [ -f "$root$path" ]; then left+=("$path")
  elif [ -d "$root$path" ] && ! in_root dpkg-query -S "$path" >/dev/null 2>&1 && [ -z "$(ls -A "$root$path")" ]; then
    left+=("$path/")  # an empty directory that no package owns: dpkg should have removed it
  fi
done <<<"$files"
[ ${#left[@]} -eq 0 ] || fail "${#left[@]} paths of the package remain: ${left[*]:0:10}"
ok "none of the $(wc -l <<<"$files") paths of dpkg -L attnviz remain"
