#!/usr/bin/env bash
# Installs everything Kinora needs to build, run and test on Debian 12 (run as root or
# with sudo available). The list of packages lives here and nowhere else.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libtorch-dev libopenblas0-openmp          # LibTorch 1.13 (CPU) on OpenBLAS
  libgloo-dev                               # Gloo's headers, for c10d's ProcessGroupGloo (core/train/distributed.cpp)
  libdnnl-dev                               # oneDNN's matmul for fp32 products (core/model/cpu_matmul.cpp)
  libavcodec-dev libavformat-dev libavutil-dev libswscale-dev ffmpeg
  nlohmann-json3-dev libcli11-dev
  qt6-base-dev qt6-multimedia-dev qt6-tools-dev qt6-l10n-tools qcoro-qt6-dev libgl-dev
  xvfb xauth imagemagick
  clang libclang-rt-14-dev                  # libFuzzer and the sanitizers: scripts/fuzz.sh
  libexempi-dev exempi libimage-exiftool-perl  # XMP provenance in MP4 and PNG (docs/provenance.md) and its checks
  dpkg-dev lintian appstream desktop-file-utils debootstrap  # packaging: scripts/package.sh, tests/install
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
# LibTorch's BLAS: OpenBLAS is ~30x faster than the reference BLAS.
if [ -e /usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3 ]; then
  $SUDO update-alternatives --set libblas.so.3-x86_64-linux-gnu \
    /usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3 >/dev/null 2>&1 || true
fi
