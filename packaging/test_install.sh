#!/usr/bin/env bash
# Installs the .deb into a fresh, minimal Debian 12 root and checks that it works there and leaves nothing behind:
#   packaging/test_install.sh build/release/attnviz_0.1.0_amd64.deb
#
# 1. A pristine bookworm root (debootstrap --variant=minbase) from the mirror apt uses on this machine
#    (apt-get indextargets; ATTNVIZ_DEBIAN_MIRROR overrides it). It is made once and kept as a tarball in
#    the cache folder, build/install-test/ (ATTNVIZ_INSTALL_TEST_CACHE overrides it); delete it to start over.
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
if [ "$(id -u)" -ne 0 ]; then exec sudo --preserve-env=ATTNVIZ_DEBIAN_MIRROR,ATTNVIZ_INSTALL_TEST_CACHE "$0" "$deb"; fi
repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${ATTNVIZ_INSTALL_TEST_CACHE:-$repo/build/install-test}
suite=bookworm
arch=$(dpkg --print-architecture)

step=setup
started=$SECONDS
step_started=$SECONDS
say() { echo "test_install: $*"; }
fail() { say "FAILED $step: $*" >&2; exit 1; }
ok() { say "ok $step ($((SECONDS - step_started)) s)${1:+: $1}"; }
begin() { step=$1; step_started=$SECONDS; }
trap 'say "FAILED $step: line $LINENO exited with $?" >&2' ERR

for tool in debootstrap chroot mount umount tar; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (apt-get install debootstrap)"
done
contents=$(dpkg-deb -c "$deb") || fail "dpkg-deb cannot read $deb"
grep -q ' ./usr/bin/attnviz$' <<<"$contents" || fail "$deb holds no /usr/bin/attnviz"
models=$(sed -n 's|.* \./usr/share/attnviz/models/\([^/]*\)/$|\1|p' <<<"$contents")
[ -n "$models" ] || fail "$deb ships no models under /usr/share/attnviz/models"
# The export's model: a text model (the coreference encoder when shipped), any vit model needs an image.
export_model=$(grep -x coref-bert <<<"$models" || grep -v '^vit' <<<"$models" | head -n 1) ||
  fail "$deb ships no text model to export"
version=$(dpkg-deb -f "$deb" Version)

# The Debian mirror and suites apt uses here.
targets=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' 'Created-By: Packages' 2>/dev/null |
          awk -v s="$suite" '$2 ~ "^" s "(-updates|-security)?$"' | sort -u)
mirror=${ATTNVIZ_DEBIAN_MIRROR:-$(awk -v s="$suite" '$2 == s { print $1; exit }' <<<"$targets")}
mirror=${mirror:-http://deb.debian.org/debian/}
if [ -n "${ATTNVIZ_DEBIAN_MIRROR:-}" ] || [ -z "$targets" ]; then
  targets="$mirror $suite main"$'\n'"$mirror $suite-updates main"
fi

mkdir -p "$cache/archives" "$cache/lists"
tarball=$cache/$suite-minbase-$arch-$(printf %s "$mirror" | md5sum | cut -c1-8).tar
root=$(realpath "$(mktemp -d "$cache/root.XXXXXX")")

# Cleanup: stop anything still running inside the root (our own children), unmount, then delete the root,
# but only once /proc/self/mountinfo shows nothing mounted below it.
mounted_below() { awk -v r="$root" '$5 == r || index($5, r "/") == 1 { print $5 }' /proc/self/mountinfo; }
cleanup() {
  local status=$? pid
  set +e
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$root" ] && kill -9 "$pid" 2>/dev/null
  done
  for m in $(mounted_below | sort -r); do umount "$m" 2>/dev/null || umount -l "$m"; done
  if [ -n "$(mounted_below)" ]; then
    say "cleanup: still mounted below $root, not deleting it: $(mounted_below | tr '\n' ' ')" >&2
    status=1
  else
    rm -rf --one-file-system "$root"
  fi
  [ $status -eq 0 ] && say "passed in $((SECONDS - started)) s ($deb)"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_root() {
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive OMP_WAIT_POLICY=PASSIVE "$@"
}

begin root
if [ -s "$tarball" ]; then
  tar --numeric-owner -xpf "$tarball" -C "$root" || fail "cannot unpack the cached root $tarball (delete it)"
  ok "fresh $suite minbase root from the cache $(basename "$tarball")"
else
  log=$cache/debootstrap.log
  nice debootstrap --variant=minbase --arch="$arch" "$suite" "$root" "$mirror" >"$log" 2>&1 ||
    { tail -n 20 "$log" >&2; fail "debootstrap $suite from $mirror (log: $log)"; }
  rm -f "$root"/var/cache/apt/archives/*.deb "$root"/var/log/bootstrap.log
  find "$root/var/lib/apt/lists" -maxdepth 1 -type f ! -name lock -delete
  tar --numeric-owner -cpf "$tarball.part" -C "$root" . && mv "$tarball.part" "$tarball" ||
    fail "cannot write the cached root $tarball"
  ok "debootstrap --variant=minbase $suite from $mirror, cached as $tarball ($(du -sm "$root" | cut -f1) MB)"
fi

begin configure
# The host's Debian sources and the Acquire settings apt needs to reach them (proxies, date checks).
awk '{ print "deb " $1 " " $2 " " $3 }' <<<"$targets" >"$root/etc/apt/sources.list"
apt-config dump | grep -E '^Acquire::(Check-Valid-Until|Check-Date|Retries|GzipIndexes|Languages|(http|https|ftp)::Proxy)( |::)' \
  >"$root/etc/apt/apt.conf.d/00host-acquire" || true
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"  # no services start in the root
chmod 755 "$root/usr/sbin/policy-rc.d"
echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/unsafe-io"  # no fsync: the root is thrown away
cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
cp -l "$cache"/archives/*.deb "$root/var/cache/apt/archives/" 2>/dev/null || true
cp -l "$cache"/lists/* "$root/var/lib/apt/lists/" 2>/dev/null || true
cp "$deb" "$root/tmp/" && chmod 644 "$root/tmp/$(basename "$deb")"
ok "$(wc -l <"$root/etc/apt/sources.list") apt sources ($(awk '{ print $2 }' <<<"$targets" | tr '\n' ' ' | sed 's/ $//'))"

begin apt-update
out=$(in_root apt-get update 2>&1) || { echo "$out" >&2; fail "apt-get update in the root"; }
rm -f "$cache"/lists/*
find "$root/var/lib/apt/lists" -maxdepth 1 -type f ! -name lock -exec cp -l {} "$cache/lists/" \;
ok

begin install
cached_debs=$(find "$cache/archives" -maxdepth 1 -name '*.deb' | wc -l)
log=$cache/install.log
in_root apt-get install -y --no-install-recommends "/tmp/$(basename "$deb")" >"$log" 2>&1 ||
  { tail -n 30 "$log" >&2; fail "apt-get install ./$(basename "$deb") in the root (log: $log)"; }
rm -f "$cache"/archives/*.deb  # keep exactly what this install used
find "$root/var/cache/apt/archives" -maxdepth 1 -name '*.deb' -exec cp -l {} "$cache/archives/" \;
new=$(sed -n 's/.* \([0-9]*\) newly installed.*/\1/p' "$log")
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
