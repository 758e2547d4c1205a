#!/usr/bin/env bash
# Runs every libFuzzer harness (or the ones named) for SECONDS each on its seed corpus, after replaying the
# committed regression inputs once; as many harnesses at once as there are cores (ATTNVIZ_FUZZ_JOBS=N to change).
# New inputs go to a scratch corpus, never into tests/fuzz/corpus; a crash, leak, timeout (10 s per input) or
# memory blow-up (2 GB) is written to tests/fuzz/findings/ and makes the script fail. Prints executions and
# findings per harness, and each failure's report with its stack trace.
#
#   cmake --preset fuzz && cmake --build --preset fuzz
#   tests/fuzz/run_fuzzers.sh 600                      # 10 minutes each
#   tests/fuzz/run_fuzzers.sh 30 build/fuzz text image # two of them, 30 s each
set -uo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-30}
build=${2:-build/fuzz}
shift $(( $# > 2 ? 2 : $# ))
harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
  harnesses=(tensor_files json_configs model_folder model_zip text sentencepiece alignment_files image cli_args aligner_package)
fi
jobs=${ATTNVIZ_FUZZ_JOBS:-$(nproc)}  # harnesses fuzzed at once, each on one core
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p tests/fuzz/findings
for h in "${harnesses[@]}"; do
  exe="$build/tests/fuzz/fuzz_$h"
  [ -x "$exe" ] || { echo "run_fuzzers: $exe is not built (cmake --preset fuzz && cmake --build --preset fuzz)" >&2; exit 2; }
done

# fuzz_one H: replays H's regression inputs, then fuzzes it; its table row goes to $scratch/H.row, its complaints
# to $scratch/H.err, and $scratch/H.failed exists when it failed.
fuzz_one() {
  local h=$1 exe="$build/tests/fuzz/fuzz_$1" replayed=0 status runs findings
  if compgen -G "tests/fuzz/regressions/$h/*" > /dev/null; then
    if ! "$exe" -timeout=10 -rss_limit_mb=2048 tests/fuzz/regressions/"$h"/* > "$scratch/$h.replay" 2>&1; then
      { echo "run_fuzzers: $h fails on a committed regression input:"; tail -30 "$scratch/$h.replay"; } >> "$scratch/$h.err"
      touch "$scratch/$h.failed"
    fi
    replayed=$(ls tests/fuzz/regressions/"$h" | wc -l)
  fi
  mkdir -p "$scratch/$h" "$scratch/$h.tmp"
  TMPDIR="$scratch/$h.tmp" "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="tests/fuzz/findings/$h-" "$scratch/$h" "tests/fuzz/corpus/$h" > "$scratch/$h.log" 2>&1
  status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$scratch/$h.log" | grep -o '[0-9]*$' | tail -1)
  findings=$(ls tests/fuzz/findings/ 2>/dev/null | grep -c "^$h-")
  printf '%-16s %10s %8s  %s\n' "$h" "${runs:-?}" "$findings" "$replayed" > "$scratch/$h.row"
  if [ $status -ne 0 ] || [ "$findings" -ne 0 ]; then
    # the report and its stack trace (a "deadly signal" has no sanitizer report, only libFuzzer's trace)
    { echo "run_fuzzers: $h found a problem (exit $status); the input is in tests/fuzz/findings/:"
      sed -n '/ERROR: \(libFuzzer\|AddressSanitizer\|UndefinedBehaviorSanitizer\|LeakSanitizer\)/,$p' "$scratch/$h.log" |
        grep -v '^#[0-9]*[[:space:]]*\(NEW\|REDUCE\|pulse\)' | head -60; } >> "$scratch/$h.err"
    touch "$scratch/$h.failed"
  fi
}

running=0
for h in "${harnesses[@]}"; do
  if [ "$running" -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
  fuzz_one "$h" &
  running=$((running + 1))
done
wait

failed=0
printf '%-16s %10s %8s  %s\n' harness executions findings "regressions replayed"
for h in "${harnesses[@]}"; do cat "$scratch/$h.row"; done
for h in "${harnesses[@]}"; do
  [ -e "$scratch/$h.err" ] && cat "$scratch/$h.err" >&2
  [ -e "$scratch/$h.failed" ] && failed=1
done
exit $failed
