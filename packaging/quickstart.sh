#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine for attnviz (Debian packages, build) and then either launches the
# app with the shipped models or runs every test and checks the .deb. Run as root or with sudo rights.
#
#   ./packaging/quickstart.sh launch
#   ./packaging/quickstart.sh test
#   ./packaging/quickstart.sh --print-packages launch|test   # the Debian packages of that mode, one a line
# The package list lives only here: test_fresh_build.sh installs exactly what --print-packages test prints.
set -euo pipefail
cd "$(dirname "$0")/.."
print_packages=false
if [ "${1:-}" = --print-packages ]; then print_packages=true; shift; fi
mode=${1:-}
case "$mode" in launch|test) ;; *) echo "usage: $0 [--print-packages] launch|test" >&2; exit 2 ;; esac

# libqt6opengl6-dev: Qt6Charts' CMake config finds Qt6OpenGL, whose CMake files no other -dev package pulls in.
packages=(build-essential cmake ninja-build pkg-config dpkg-dev file python3
          qt6-base-dev qt6-charts-dev qt6-svg-dev libqt6opengl6-dev qt6-qpa-plugins libgl-dev fonts-dejavu-core
          libeigen3-dev libdnnl-dev ocl-icd-opencl-dev libquazip1-qt6-dev libgtest-dev help2man)
# test: a second build under AddressSanitizer + UBSan, and the libFuzzer harnesses (clang; libomp-dev: the
# engine's OpenMP under clang, gcc's libgomp does not serve it)
# and the package's metadata checks (check_deb.sh), its install test in a fresh Debian root (test_install.sh) and
# the build in a fresh Debian root (test_fresh_build.sh; both need debootstrap)
if [ "$mode" = test ]; then
  packages+=(clang libclang-rt-14-dev libomp-dev appstream desktop-file-utils man-db shared-mime-info debootstrap)
  packages+=(texlive-latex-base)  # pdflatex: test_saliency_latex compiles the saliency view's LaTeX snippet
  packages+=(xz-utils)  # xz: test_wordpiece_conformance reads the Hansards lines from ../shared/data's .xz files
fi
if $print_packages; then printf '%s\n' "${packages[@]}"; exit 0; fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  echo "quickstart: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The test mode builds without debug information: the same -O2 code, a third less compile time (README "Tests").
release_flags=()
[ "$mode" = test ] && release_flags=(-DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG")
cmake --preset release "${release_flags[@]}" >/dev/null
cmake --build --preset release -j "$(nproc)"

# The window: libgomp's default short spin (small models run on one thread and never spin; README "Speed").
if [ "$mode" = launch ]; then
  models=()
  # attnviz packages and Hugging Face folders (the coreference model)
  for manifest in models/*/attnviz.json models/*/config.json; do [ -e "$manifest" ] && models+=("$(dirname "$manifest")"); done
  if [ ${#models[@]} -eq 0 ]; then
    echo "quickstart: no trained models are shipped yet; opening the random-weight demo package tests/data/tiny-encoder"
    models=(tests/data/tiny-encoder)
  fi
  images=(resources/samples/fashion-mnist/*.png)  # the input of vit models (a Fashion-MNIST test image)
  image_args=()
  [ -e "${images[0]}" ] && image_args=(--image "${images[0]}")
  exec build/release/app/attnviz "${models[@]}" --text "The animal didn't cross the street because it was too tired." \
    "${image_args[@]}"
fi

# Tests: OpenMP threads sleep at once (many test processes share the cores).
export OMP_WAIT_POLICY=PASSIVE
QT_QPA_PLATFORM=offscreen ctest --preset release -j "$(nproc)"
packaging/check_deb.sh build/release
# The .deb installed into a fresh minimal Debian 12 root from the mirror, run there, purged (packaging/README.md);
# ATTNVIZ_INSTALL_TEST=0 skips it.
if [ "${ATTNVIZ_INSTALL_TEST:-1}" != 0 ]; then
  packaging/test_install.sh "$(ls -t build/release/attnviz_*.deb | head -n 1)"
fi
# The source configured with every preset and built in a fresh minimal Debian 12 root holding exactly the packages
# above, so that one missing from the list fails here, not on a user's machine (packaging/README.md);
# ATTNVIZ_FRESH_BUILD_TEST=0 skips it.
if [ "${ATTNVIZ_FRESH_BUILD_TEST:-1}" != 0 ]; then
  packaging/test_fresh_build.sh
fi

# The whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer, then every fuzz harness for 30 s on
# its corpus after replaying the committed regression inputs (tests/fuzz/README.md).
cmake --preset asan -DCMAKE_CXX_FLAGS_DEBUG=-g1 >/dev/null  # line tables: file:line in every report, less to write
cmake --build --preset asan -j "$(nproc)"
tests/asan_ctest.sh -j "$(nproc)"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"
tests/fuzz/run_fuzzers.sh 30
