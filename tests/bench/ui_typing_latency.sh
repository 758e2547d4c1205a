#!/bin/bash
# Typing-to-repaint of the real main window for every shipped model (bench_ui_typing, ui_typing_latency.cpp), run
# with OMP_WAIT_POLICY=PASSIVE (as the GUI sets it, gui_main.cpp) and unset, on the offscreen platform and, when
# Xvfb is installed, on an X server (Xvfb :98, started and stopped here, unless DISPLAY is set). Extra arguments go to
# every run (e.g. --json, --threads 1, --model coref-bert). Not a ctest test: timings on a shared machine are
# indicative; run it before and after a change to the run scheduling or the panels.
#
#   tests/bench/ui_typing_latency.sh [BUILD_DIR] [bench arguments...]      # BUILD_DIR default build/release
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/build/release}
shift || true
BENCH=${BENCH:-$BUILD/tests/bench/bench_ui_typing}  # BENCH=path: another build of the bench (e.g. a copy from before a change)
[ -x "$BENCH" ] || { echo "ui_typing_latency.sh: $BENCH not found; build it: cmake --build --preset release --target bench_ui_typing" >&2; exit 2; }

run_both_policies() {  # $1: QT_QPA_PLATFORM, then the bench arguments
  local platform=$1
  shift
  echo "== QT_QPA_PLATFORM=$platform OMP_WAIT_POLICY=PASSIVE"
  QT_QPA_PLATFORM=$platform OMP_WAIT_POLICY=PASSIVE "$BENCH" "$@" 2>&1
  echo "== QT_QPA_PLATFORM=$platform OMP_WAIT_POLICY unset"
  env -u OMP_WAIT_POLICY QT_QPA_PLATFORM=$platform "$BENCH" "$@" 2>&1
}

args=("$@")
uptime
run_both_policies offscreen "${args[@]}"
if [ -n "${DISPLAY:-}" ]; then
  run_both_policies xcb "${args[@]}"
elif command -v Xvfb >/dev/null; then
  Xvfb :98 -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
  XVFB=$!
  trap 'kill $XVFB 2>/dev/null || true' EXIT
  sleep 1
  DISPLAY=:98 run_both_policies xcb "${args[@]}"
else
  echo "(no Xvfb: the xcb runs are skipped)"
fi
