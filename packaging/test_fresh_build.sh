#!/usr/bin/env bash
# Builds attnviz in a fresh, minimal Debian 12 root that has nothing but quickstart.sh's packages, so that a
# package missing from quickstart's list fails here rather than on a user's machine:
#   packaging/test_fresh_build.sh
#
# 1. A pristine bookworm root (debootstrap --variant=minbase), set up and cleaned up by packaging/debian_root.sh,
#    with test_install.sh's cache (build/install-test/: the root's tarball, apt lists, .debs).
# 2. `apt-get install --no-install-recommends` of exactly what `quickstart.sh --print-packages test` prints (the
#    list is read from there, never copied), and each of them must then be installed.
# 3. The source tree goes in as git sees the working tree (tracked and untracked, not ignored files: no build/);
#    ATTNVIZ_FRESH_BUILD_REF=REF takes `git archive REF` instead, e.g. HEAD to leave uncommitted edits out.
# 4. `cmake --preset P` for every configure preset of CMakePresets.json: each find_package must succeed there.
# 5. The smallest builds that link every library and Qt module the project uses:
#      release: attnviz (engine, cli, ui: oneDNN, Eigen, QuaZip, OpenMP, Qt Core/Gui/Widgets/Charts/Svg/
#               PrintSupport/Concurrent), unit_test_utf8 (GoogleTest), ui_test_gui_main (Qt Test), the icons
#               (Qt Svg) and the man page (help2man runs attnviz --help in the root), then the .deb (cpack:
#               dpkg-shlibdeps and file from dpkg-dev);
#      asan:    attnviz_render_icon, one Qt program linked with gcc's AddressSanitizer and UBSan runtimes;
#      fuzz:    fuzz_cli_args, the engine and the CLI parser under clang with libFuzzer, ASan, UBSan, libomp.
#    Only packages are at stake here, not code generation, so after each preset's own configure the build is
#    reconfigured with -O0 and no -g (the builds took 279 s instead of 463 s at the same load on 2 cores);
#    ATTNVIZ_FRESH_BUILD_O0=0 keeps the presets' flags. Precompiled headers are always off here, so that a source
#    that forgets an #include the precompiled ones hide fails.
# Each step prints `test_fresh_build: ok STEP (N s)`; a failure prints `test_fresh_build: FAILED STEP: REASON` as
# its last line (after the tail of the step's log, kept in build/install-test/fresh-build-*.log) and exits 1.
# Needs root (or sudo).
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
  exec sudo --preserve-env=ATTNVIZ_DEBIAN_MIRROR,ATTNVIZ_INSTALL_TEST_CACHE,ATTNVIZ_ROOT_TMPFS,ATTNVIZ_FRESH_BUILD_REF,ATTNVIZ_FRESH_BUILD_O0 \
    "$0" "$@"
fi
tag=test_fresh_build
# shellcheck source=packaging/debian_root.sh
source "$(dirname "$0")/debian_root.sh"
jobs=$(nproc)

# The packages, from the one list there is. Read before anything else so a broken quickstart.sh fails first.
packages=$("$repo/packaging/quickstart.sh" --print-packages test) || fail "quickstart.sh --print-packages test"
[ -n "$packages" ] || fail "quickstart.sh --print-packages test printed no package"
mapfile -t packages <<<"$packages"
passed_what="${#packages[@]} packages of quickstart.sh test"
git=(git -C "$repo" -c safe.directory="$repo")
ref=${ATTNVIZ_FRESH_BUILD_REF:-}
if [ -n "$ref" ]; then
  "${git[@]}" rev-parse --verify -q "$ref^{commit}" >/dev/null || fail "ATTNVIZ_FRESH_BUILD_REF=$ref is no commit"
fi

# reason LOG: what went wrong, in one line for the FAILED message. CMake wraps its messages, so they are read
# with the lines joined: a Qt module's missing dependency (only a warning, the error names the module), else a
# compiler or linker error, else the first CMake Error with its "Reason given by package" when there is one.
reason() {
  local line
  line=$(tr -s ' \n' ' ' <"$1" |
         grep -m 1 -oE '[A-Za-z0-9_]+ could not be found because dependency [A-Za-z0-9_]+ could not be found') ||
  line=$(grep -m 1 -E 'fatal error:|error:|undefined reference|cannot find -l' "$1") ||
  line=$(awk '/^CMake Error/ { on = 1; next } on && (/^Call Stack/ || /^-- / || /^CMake /) { exit } on' "$1" |
         tr -s ' \n' ' ' | sed -e 's/.*Reason given by package: *//' -e 's/ Configuring with .*//' -e 's/^ //' -e 's/ $//') ||
  true
  line=${line:-see the log}
  echo "${line:0:300}"
}
# run_step LOG DESCRIPTION COMMAND...: runs COMMAND in the root's /src, output to LOG; on failure shows the log's
# tail and fails the step with DESCRIPTION and the reason.
run_step() {
  local log=$1 what=$2
  shift 2
  in_root sh -c 'cd /src && exec "$@"' sh "$@" >"$log" 2>&1 ||
    { tail -n 25 "$log" >&2; fail "$what: $(reason "$log") (log: $log)"; }
}

root_init
root_create
root_configure
# man-db's trigger rebuilds its index after every package with a man page: minutes, and nothing here reads it.
echo 'man-db man-db/auto-update boolean false' | in_root debconf-set-selections
root_apt_update

begin install
root_apt_install "$cache/fresh-build-install.log" "${packages[@]}"
missing=()
for p in "${packages[@]}"; do
  in_root dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] || fail "not installed after apt-get install: ${missing[*]}"
ok "the ${#packages[@]} packages of quickstart.sh test and ${new:-?} in all ($cached_debs .debs were cached)"

begin source
mkdir "$root/src"
if [ -n "$ref" ]; then
  "${git[@]}" archive --format=tar "$ref" | tar -xf - -C "$root/src" || fail "git archive $ref"
  what="git archive $ref"
else
  # Tracked and untracked files that .gitignore does not exclude, as they are on disk (deleted ones left out).
  (cd "$repo" && "${git[@]}" ls-files -z --cached --others --exclude-standard | grep -zv '^build/' |
     while IFS= read -r -d '' f; do if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi; done |
     tar --null -T - -cf -) | tar -xf - -C "$root/src" || fail "copying the working tree into the root"
  what="the working tree"
fi
[ ! -e "$root/src/build" ] || fail "the copied source has a build/ folder"
[ -f "$root/src/CMakePresets.json" ] || fail "the copied source has no CMakePresets.json"
ok "$what, $(find "$root/src" -type f | wc -l) files, $(du -sm "$root/src" | cut -f1) MB"

# Every configure preset CMake lists (not only those built below), in the root's cmake.
presets=$(in_root sh -c 'cd /src && cmake --list-presets' | sed -n 's/^ *"\([^"]*\)".*/\1/p')
[ -n "$presets" ] || fail "cmake --list-presets lists no configure preset"
for preset in $presets; do
  begin "configure-$preset"
  run_step "$cache/fresh-build-configure-$preset.log" "cmake --preset $preset" cmake --preset "$preset"
  ok "cmake --preset $preset"
done

# build PRESET TARGET...: the targets with -j nproc, after a reconfigure without precompiled headers (so that a
# source missing an #include fails here: the presets precompile the common Qt headers into every ui file) and with
# -O0 (above) unless told not to.
build() {
  local preset=$1 flags=()
  shift
  begin "build-$preset"
  [ "${ATTNVIZ_FRESH_BUILD_O0:-1}" != 0 ] && flags=(-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O0 -DCMAKE_CXX_FLAGS_DEBUG=-O0)
  run_step "$cache/fresh-build-build-$preset.log" "reconfiguring $preset without precompiled headers ${flags[*]}" \
    cmake -S . -B "build/$preset" -DCMAKE_DISABLE_PRECOMPILE_HEADERS=ON "${flags[@]}"
  run_step "$cache/fresh-build-build-$preset.log" "cmake --build --preset $preset --target $*" \
    cmake --build --preset "$preset" -j "$jobs" --target "$@"
  ok "$*"
}
build release attnviz unit_test_utf8 ui_test_gui_main attnviz_icons attnviz_man
build asan attnviz_render_icon
build fuzz fuzz_cli_args

begin deb
run_step "$cache/fresh-build-deb.log" "cpack -G DEB" sh -c 'cd build/release && cpack -G DEB'
debs=("$root"/src/build/release/attnviz_*.deb)
[ -f "${debs[0]}" ] || fail "cpack wrote no attnviz_*.deb"
depends=$(dpkg-deb -f "${debs[0]}" Depends)
grep -q libdnnl <<<"$depends" || fail "$(basename "${debs[0]}") does not depend on libdnnl: $depends"
size_mb=$(($(stat -c %s "${debs[0]}") / 1048576))
ok "$(basename "${debs[0]}"), $size_mb MB, Depends from dpkg-shlibdeps; the root holds $(du -smx "$root" | cut -f1) MB"
