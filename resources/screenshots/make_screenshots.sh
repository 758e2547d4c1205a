#!/usr/bin/env bash
# Regenerates the README screenshots in this folder from the shipped models, so they never go stale:
#
#   resources/screenshots/make_screenshots.sh [BUILD_DIR]     # default build/release; configured with tests on
#
# Builds the screenshot programs of tests/ui (ui_test_screenshot*), runs each offscreen with the shipped models in
# models/ (ATTNVIZ_SHOT_REQUIRE_SHIPPED=1: a missing model fails instead of falling back to a tiny test model or a
# fake) and fixed inputs (resources/samples/), checks every picture was written and not blank, and copies the 14
# pictures the READMEs show into resources/screenshots/. Window sizes, inputs and hovered cells are fixed in the
# tests and the inference time is left out, so a second run gives the same pictures on the same machine and fonts.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build/release}
[[ $build = /* ]] || build=$PWD/$build

die() { echo "make_screenshots.sh: $*" >&2; exit 1; }

[[ -f $build/CMakeCache.txt ]] || die "$build is not a CMake build folder (configure first, e.g. cmake --preset release)"
grep -q '^ATTNVIZ_BUILD_TESTS:BOOL=ON' "$build/CMakeCache.txt" ||
  die "$build was configured without tests: reconfigure with -DATTNVIZ_BUILD_TESTS=ON"

# The shipped models every picture is made from; nothing is drawn from a test model or a fake.
seq2seq_variants=(bahdanau luong-dot luong-general luong-concat scaled-dot local-p)
required=(models/coref-bert/model.safetensors models/han-movie-reviews/attnviz.json
          models/vit-fashion-mnist/model.safetensors resources/samples/coref-animal.txt
          resources/samples/review-positive.txt resources/samples/fashion-mnist/0000-ankle-boot.png
          resources/samples/demo.wa resources/samples/demo.e resources/samples/demo.f)
seq2seq_models=()
for v in "${seq2seq_variants[@]}"; do
  required+=("models/seq2seq-$v/attnviz.json")
  seq2seq_models+=("$root/models/seq2seq-$v")
done
for f in "${required[@]}"; do
  [[ -f $root/$f ]] || die "$f is missing: the screenshots are made from the shipped models and samples only"
done

# program: pictures it makes (file names as the READMEs use them)
declare -A shots=(
  [ui_test_screenshot]="main-window.png main-window-1280x720.png figure-one-column.png"
  [ui_test_screenshot_encoder]="encoder-arcs.png encoder-heads.png encoder-compare-maps.png"
  [ui_test_screenshot_han]="han-saliency.png han-occlusion.png han-heatmap.png"
  [ui_test_screenshot_seq2seq]="seq2seq-alignment.png compare-variants.png"
  [ui_test_screenshot_vit]="vit-patches.png vit-patches-heads.png vit-compare.png"
)
programs=(ui_test_screenshot ui_test_screenshot_encoder ui_test_screenshot_han ui_test_screenshot_seq2seq ui_test_screenshot_vit)

echo "== building ${programs[*]} in $build"
cmake --build "$build" --target "${programs[@]}"

out=$(mktemp -d "${TMPDIR:-/tmp}/attnviz-shots.XXXXXX")
trap 'rm -rf "$out"' EXIT

export QT_QPA_PLATFORM=offscreen OMP_WAIT_POLICY=PASSIVE LC_ALL=C.UTF-8 LANG=C.UTF-8
export QT_SCALE_FACTOR=1 QT_FONT_DPI=96
unset QT_SCREEN_SCALE_FACTORS QT_AUTO_SCREEN_SCALE_FACTOR QT_ENABLE_HIGHDPI_SCALING ATTNVIZ_HAN_MODEL ATTNVIZ_VIT_SHOT_MODEL
export ATTNVIZ_SHOT_REQUIRE_SHIPPED=1 ATTNVIZ_SHOT_DIR=$out ATTNVIZ_SHOT=$out/main-window.png
ATTNVIZ_SEQ2SEQ_MODELS=$(IFS=:; echo "${seq2seq_models[*]}")
export ATTNVIZ_SEQ2SEQ_MODELS

for program in "${programs[@]}"; do
  exe=$build/tests/ui/$program
  [[ -x $exe ]] || die "$exe was not built"
  echo "== $program"
  start=$SECONDS
  if ! "$exe" >"$out/$program.log" 2>&1; then
    cat "$out/$program.log" >&2
    die "$program failed (log above); nothing was copied"
  fi
  # Each test prints the model(s) it opened ("model: PATH", "models: PATH ..."): all must be shipped ones.
  used=$(grep -E '^QINFO .* models?: ' "$out/$program.log" | sed -E 's/.* models?: //; s/, image: .*//' | tr ' ' '\n')
  [[ -n $used ]] || { cat "$out/$program.log" >&2; die "$program did not say which model it used (log above)"; }
  while read -r m; do
    [[ $m = "$root"/models/* ]] || { cat "$out/$program.log" >&2; die "$program used $m, not a shipped model (log above)"; }
  done <<<"$used"
  for png in ${shots[$program]}; do
    [[ -s $out/$png ]] || die "$program did not write $png"
  done
  echo "   $(( SECONDS - start )) s: ${shots[$program]}"
done

for program in "${programs[@]}"; do
  for png in ${shots[$program]}; do cp "$out/$png" "$here/$png"; done
done
echo "== wrote $(ls "$here"/*.png | wc -l) pictures to $here"
ls -l "$here"/*.png
