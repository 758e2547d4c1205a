#!/bin/bash
# Peak memory of the GUI on a BERT-base-size encoder (12 layers x 12 heads, random weights in the Hugging Face
# layout, written by bench_bert_base.py's write_checkpoint) at 512 tokens: the window opens the model and the text,
# then every tab is clicked in turn (Attention, Arcs, All heads, Compare with "Maps of this trace"), back to
# Attention, and the window is quit. Prints the peak resident set size (VmHWM) after each step and /usr/bin/time's
# "Maximum resident set size" at exit. Not a ctest test: it needs Xvfb, xdotool, ImageMagick's import and a
# ~440 MB checkpoint; run it by hand before and after a change to the panels' memory use.
#
#   tests/bench/gui_memory_512.sh build/release/app/attnviz [CHECKPOINT_DIR] [OUT_DIR]
#
# CHECKPOINT_DIR (default /tmp/bert-base-random) is written when it holds no model.safetensors (needs torch and
# numpy for /usr/bin/python3); it is never committed. OUT_DIR (default a new folder under /tmp) receives a
# screenshot per step (look at them: a click that missed its tab shows there) and time.txt. The clicks are at
# fixed points of the default 1024 x 768 window at 0,0 on a bare Xvfb (no window manager); set DISPLAY to use
# another X server, else Xvfb :99 is started and stopped here. Settings come from a fresh XDG_CONFIG_HOME, so a
# control remembered from an earlier session cannot change what the run computes.
set -euo pipefail

ATTNVIZ=${1:?usage: $0 ATTNVIZ_BINARY [CHECKPOINT_DIR] [OUT_DIR]}
CHECKPOINT=${2:-/tmp/bert-base-random}
OUT=${3:-$(mktemp -d /tmp/gui_memory_512.XXXXXX)}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TOKENS=512
IDLE_TICKS=10      # under 0.1 s of CPU in a second, twice in a row: the app has finished what the step started
STEP_TIMEOUT=300   # seconds to wait for one step

mkdir -p "$OUT"
if [ ! -f "$CHECKPOINT/model.safetensors" ]; then
  mkdir -p "$CHECKPOINT"
  /usr/bin/python3 -c "import sys; sys.path.insert(0, '$ROOT/tests/bench'); import bench_bert_base as b; b.write_checkpoint('$CHECKPOINT')"
fi
# 510 words of the checkpoint's vocabulary (w0, w1, ...) + [CLS] and [SEP] = 512 tokens.
TEXT=$(/usr/bin/python3 -c "print(' '.join(f'w{i}' for i in range($TOKENS - 2)))")

XVFB_PID=
APP_PID=
cleanup() {
  if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then kill "$APP_PID"; fi
  if [ -n "$XVFB_PID" ]; then kill "$XVFB_PID"; fi
}
trap cleanup EXIT
if [ -z "${DISPLAY:-}" ]; then
  Xvfb :99 -screen 0 1600x1000x24 >"$OUT/xvfb.log" 2>&1 &
  XVFB_PID=$!
  export DISPLAY=:99
  sleep 2
fi

CONFIG=$(mktemp -d /tmp/gui_memory_512_config.XXXXXX)
XDG_CONFIG_HOME=$CONFIG /usr/bin/time -v -o "$OUT/time.txt" "$ATTNVIZ" "$CHECKPOINT" --text "$TEXT" >"$OUT/app.log" 2>&1 &
TIME_PID=$!
for _ in $(seq 50); do
  APP_PID=$(pgrep -P "$TIME_PID" || true)
  [ -n "$APP_PID" ] && break
  sleep 0.2
done
[ -n "$APP_PID" ] || { echo "attnviz did not start; see $OUT/app.log" >&2; exit 1; }

cpu_ticks() { awk '{print $14 + $15}' "/proc/$APP_PID/stat"; }
wait_idle() {
  local last now quiet=0
  last=$(cpu_ticks)
  for _ in $(seq "$STEP_TIMEOUT"); do
    sleep 1
    now=$(cpu_ticks)
    if [ $((now - last)) -lt "$IDLE_TICKS" ]; then quiet=$((quiet + 1)); else quiet=0; fi
    last=$now
    [ "$quiet" -ge 2 ] && return 0
  done
  echo "attnviz still busy after ${STEP_TIMEOUT}s" >&2
  return 1
}
report() {  # step name: peak RSS so far and a screenshot
  local hwm
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$APP_PID/status")
  import -window root "$OUT/$1.png"
  printf '%-28s peak RSS so far %8d kB\n' "$1" "$hwm"
}
click() { xdotool mousemove "$1" "$2" click 1; wait_idle; }

# Model loaded, text run, Attention tab (heatmap + head entropy) drawn.
wait_idle
report 1-attention
click 263 104 && report 2-arcs
click 327 104 && report 3-all-heads
click 407 104 && report 4-compare
click 665 436 && report 5-compare-trace-maps   # "Compare maps of this trace"
click 198 104 && report 6-attention-again
xdotool key ctrl+q
wait "$TIME_PID" || true
APP_PID=
rm -rf "$CONFIG"
grep -E "Maximum resident set size|Elapsed|Exit status" "$OUT/time.txt"
echo "screenshots and logs: $OUT"
