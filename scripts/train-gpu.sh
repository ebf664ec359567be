#!/usr/bin/env bash
# Builds the training-only core against a CUDA LibTorch (PyTorch's) and trains a pack on
# one GPU within a wall-clock budget: the autoencoder first, then the text encoder and
# diffusion transformer. This is how resources/models/default was made (see its card).
#
#   bash scripts/train-gpu.sh START_PACK OUT_DIR [TOTAL_SECONDS]
#
# AE_SHARE (default 0.3) is the autoencoder stage's share of the time; AE_SHARE=0 keeps
# the start pack's autoencoder and spends it all on diffusion (a pack whose autoencoder
# is already good, such as kinora-shapes-v3). DIT_OBJECT_WEIGHT (default 4) is passed as
# --latent-object-weight.
#
# Needs: CMake, Ninja, a C++20 compiler, PyTorch with CUDA (its LibTorch is used), and
# the headers of nlohmann/json and CLI11 in .deps/include (copied from Debian's
# nlohmann-json3-dev and libcli11-dev) when the machine has no packages for them.
set -euo pipefail
cd "$(dirname "$0")/.."
start_pack=$1
out=$2
total=${3:-540}
ae_share=${AE_SHARE:-0.3}
t0=$SECONDS

export PATH=/usr/local/cuda/bin:$PATH
torch_prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
nvidia-smi -L || true
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)'
build=${BUILD_DIR:-/tmp/kinora-gpu-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DKINORA_BUILD_QT=OFF \
  -DKINORA_REQUIRE_FFMPEG=OFF -DKINORA_EXTRA_INCLUDE="$PWD/.deps/include" \
  -DCMAKE_PREFIX_PATH="$torch_prefix" -DTORCH_CUDA_ARCH_LIST=9.0 >"$build.configure.log" 2>&1 ||
  { tail -40 "$build.configure.log"; exit 1; }
cmake --build "$build" -j "$(nproc)" --target kinora-cli 2>&1 | grep -E "error|Error|FAILED|Linking" || true
cli="$build/bin/kinora-cli"
[ -x "$cli" ] || { echo "build failed"; exit 1; }
echo "built in $((SECONDS - t0)) s"

runs=${RUNS_DIR:-/tmp/kinora-gpu-runs}
mkdir -p "$runs"
left=$((total - (SECONDS - t0) - 40))  # keep 40 s for two exports and the copy back
dit_start=$start_pack
if python3 -c "import sys; sys.exit(0 if $ae_share > 0 else 1)"; then
  ae_min=$(python3 -c "print(round($left * $ae_share / 60, 2))")
  "$cli" train --stage autoencoder --device cuda --model "$start_pack" --run "$runs/ae" --out "$runs/ae-pack" \
    --steps 1000000 --batch "${AE_BATCH:-32}" --lr "${AE_LR:-2e-4}" --warmup 100 --ae-crop 0 \
    --object-weight 4 --threads 1 --render-threads "$(nproc)" --max-minutes "$ae_min" --checkpoint-minutes 60
  dit_start=$runs/ae-pack
fi
left=$((total - (SECONDS - t0) - 25))
dit_min=$(python3 -c "print(round($left / 60, 2))")
"$cli" train --stage diffusion --device cuda --model "$dit_start" --run "$runs/dit" --out "$out" \
  --steps 1000000 --batch "${DIT_BATCH:-256}" --lr "${DIT_LR:-4e-4}" --warmup 200 --latent-reuse 2 \
  --latent-object-weight "${DIT_OBJECT_WEIGHT:-4}" --threads 1 --render-threads "$(nproc)" --max-minutes "$dit_min" --checkpoint-minutes 60
[ -f "$runs/ae/log.csv" ] && cp "$runs/ae/log.csv" "$out/train-autoencoder.csv"
cp "$runs/dit/log.csv" "$out/train-diffusion.csv"
echo "finished in $((SECONDS - t0)) s"
