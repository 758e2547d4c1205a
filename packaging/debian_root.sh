# shellcheck shell=bash disable=SC2034,SC2154  # tag comes from the caller; cached_debs, new and root are for it
# Sourced, not run: a fresh, minimal Debian 12 root to test in, shared by test_install.sh and test_fresh_build.sh.
#
#   tag=test_install; source packaging/debian_root.sh   # messages read "test_install: ok STEP (N s): ..."
#   root_init                  # mirror, cache, lock, an empty root folder (a tmpfs if memory allows), cleanup trap
#   root_create                # step "root": the pristine root from the cached tarball, or debootstrap
#   root_configure             # step "configure": apt sources and settings; /proc, /dev, /dev/pts, the apt caches
#   root_apt_update            # step "apt-update"
#   root_apt_install LOG ARGS  # apt-get install -y --no-install-recommends ARGS
#   in_root COMMAND...         # runs in the root with a clean environment
#
# 1. The pristine root is `debootstrap --variant=minbase bookworm` from the mirror apt uses on this machine
#    (apt-get indextargets; ATTNVIZ_DEBIAN_MIRROR overrides it). It is made once and kept as a tarball in the
#    cache folder, build/install-test/ (ATTNVIZ_INSTALL_TEST_CACHE overrides it), and unpacked afresh each run.
# 2. The root gets the host's Debian sources (bookworm, -updates, -security) and Acquire settings (proxies, date
#    checks). The cache folder's archives/ and lists/ are bind-mounted on the root's /var/cache/apt/archives and
#    /var/lib/apt/lists, so downloads land in the cache directly. Both tests share them: a .deb stays until apt
#    no longer offers its version (apt-get autoclean after each install), so neither test evicts the other's.
# 3. One test at a time uses the cache (flock on build/install-test/lock): two runs would race on the tarball
#    and on the cached .debs.
# 4. The root is a tmpfs when the machine has the memory (MemAvailable of 8 GB or more; ATTNVIZ_ROOT_TMPFS=0 keeps
#    it on disk, 1 insists): deleting GBs of files from disk takes minutes on a disk mounted with discard.
# On exit, even a failed one, anything still running in the root is stopped, everything mounted in it (and the
# tmpfs) is unmounted and the root is deleted (never while anything is still mounted in it).
# The caller sets tag (message prefix) and may set passed_what (said after "passed in N s").

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${ATTNVIZ_INSTALL_TEST_CACHE:-$repo/build/install-test}
suite=bookworm
arch=$(dpkg --print-architecture)
passed_what=${passed_what:-}

step=setup
started=$SECONDS
step_started=$SECONDS
say() { echo "$tag: $*"; }
# FAILED lines go to the script's own stderr, also from a trap that fires inside `in_root ... >"$log" 2>&1`.
exec {stderr_fd}>&2
fail() { say "FAILED $step: $*" >&"$stderr_fd"; exit 1; }
ok() { say "ok $step ($((SECONDS - step_started)) s)${1:+: $1}"; }
begin() { step=$1; step_started=$SECONDS; }
set -E  # the ERR trap also fires inside the functions below
trap 'say "FAILED $step: line $LINENO exited with $?" >&"$stderr_fd"' ERR

root_init() {
  local tool
  for tool in debootstrap chroot mount umount tar flock; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (apt-get install debootstrap)"
  done
  # The Debian mirror and suites apt uses here.
  targets=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' 'Created-By: Packages' 2>/dev/null |
            awk -v s="$suite" '$2 ~ "^" s "(-updates|-security)?$"' | sort -u)
  mirror=${ATTNVIZ_DEBIAN_MIRROR:-$(awk -v s="$suite" '$2 == s { print $1; exit }' <<<"$targets")}
  mirror=${mirror:-http://deb.debian.org/debian/}
  if [ -n "${ATTNVIZ_DEBIAN_MIRROR:-}" ] || [ -z "$targets" ]; then
    targets="$mirror $suite main"$'\n'"$mirror $suite-updates main"
  fi

  mkdir -p "$cache/archives" "$cache/lists"
  exec {cache_lock}>"$cache/lock"
  if ! flock -n "$cache_lock"; then
    say "waiting for another test using $cache"
    flock "$cache_lock"
    say "waited $((SECONDS - started)) s for the cache (not counted below)"
    started=$SECONDS
  fi
  tarball=$cache/$suite-minbase-$arch-$(printf %s "$mirror" | md5sum | cut -c1-8).tar
  root=$(realpath "$(mktemp -d "$cache/root.XXXXXX")")
  trap root_cleanup EXIT
  trap 'say "FAILED $step: interrupted" >&"$stderr_fd"; exit 130' INT TERM
  # A tmpfs may grow to half the memory available now; the fresh build's root needs about 3 GB of it.
  local available_mb
  available_mb=$(awk '$1 == "MemAvailable:" { print int($2 / 1024) }' /proc/meminfo)
  root_where=disk
  if [ "${ATTNVIZ_ROOT_TMPFS:-}" = 1 ] || { [ "${ATTNVIZ_ROOT_TMPFS:-}" != 0 ] && [ "$available_mb" -ge 8192 ]; }; then
    mount -t tmpfs -o "size=$((available_mb / 2))m,mode=755" "$tag-root" "$root" || fail "cannot mount a tmpfs on $root"
    root_where="tmpfs (up to $((available_mb / 2)) MB)"
  fi
}

# Cleanup: stop anything still running inside the root (our own children), unmount, then delete the root,
# but only once /proc/self/mountinfo shows nothing mounted below it.
mounted_below() { awk -v r="$root" '$5 == r || index($5, r "/") == 1 { print $5 }' /proc/self/mountinfo; }
root_cleanup() {
  local status=$? pid m cleanup_started=$SECONDS
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
  # On failure the FAILED line stays the last one.
  [ $status -eq 0 ] && say "ok cleanup ($((SECONDS - cleanup_started)) s)" &&
    say "passed in $((SECONDS - started)) s${passed_what:+ ($passed_what)}"
  exit $status
}

# In the background and waited for: bash runs a trap only once the foreground command is over, and `wait` lets
# INT or TERM through at once (the cleanup then stops what runs in the root). <&0 keeps the caller's stdin.
in_root() {
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive OMP_WAIT_POLICY=PASSIVE "$@" <&0 &
  wait $!
}

root_create() {
  local log
  begin root
  if [ -s "$tarball" ]; then
    tar --numeric-owner -xpf "$tarball" -C "$root" || fail "cannot unpack the cached root $tarball (delete it)"
    ok "fresh $suite minbase root from the cache $(basename "$tarball"), on $root_where"
  else
    log=$cache/debootstrap.log
    nice debootstrap --variant=minbase --arch="$arch" "$suite" "$root" "$mirror" >"$log" 2>&1 ||
      { tail -n 20 "$log" >&2; fail "debootstrap $suite from $mirror (log: $log)"; }
    rm -f "$root"/var/cache/apt/archives/*.deb "$root"/var/log/bootstrap.log
    find "$root/var/lib/apt/lists" -maxdepth 1 -type f ! -name lock -delete
    tar --numeric-owner -cpf "$tarball.part" -C "$root" . && mv "$tarball.part" "$tarball" ||
      fail "cannot write the cached root $tarball"
    ok "debootstrap --variant=minbase $suite from $mirror, cached as $tarball ($(du -sm "$root" | cut -f1) MB), on $root_where"
  fi
}

root_configure() {
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
  mkdir -p "$cache/archives/partial" "$cache/lists/partial"
  # apt downloads as its _apt user into partial/ (else it warns and downloads as root).
  chown "$(awk -F: '$1 == "_apt" { print $3 }' "$root/etc/passwd")" "$cache/archives/partial" "$cache/lists/partial" || true
  mount --bind "$cache/archives" "$root/var/cache/apt/archives"
  mount --bind "$cache/lists" "$root/var/lib/apt/lists"
  ok "$(wc -l <"$root/etc/apt/sources.list") apt sources ($(awk '{ print $2 }' <<<"$targets" | tr '\n' ' ' | sed 's/ $//'))"
}

root_apt_update() {
  local out
  begin apt-update
  out=$(in_root apt-get update 2>&1) || { echo "$out" >&2; fail "apt-get update in the root"; }
  ok
}

# root_apt_install LOG ARGS...: apt-get install --no-install-recommends in the root (output in LOG, its tail on
# failure), then apt-get autoclean drops the cached .debs of versions apt no longer offers. Sets cached_debs
# (.debs in the cache before) and new (packages newly installed).
root_apt_install() {
  local log=$1
  shift
  cached_debs=$(find "$cache/archives" -maxdepth 1 -name '*.deb' | wc -l)
  in_root apt-get install -y --no-install-recommends "$@" >"$log" 2>&1 ||
    { tail -n 30 "$log" >&2; fail "apt-get install $* in the root (log: $log)"; }
  in_root apt-get autoclean >/dev/null 2>&1 || true
  new=$(sed -n 's/.* \([0-9]*\) newly installed.*/\1/p' "$log")
}
