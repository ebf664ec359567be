#!/usr/bin/env bash
# Trains the built-in model's recipe from nothing on the CPU, in four stages whose
# time budgets add up to TOTAL_MINUTES (default 240, the model issue's 4 hours):
#
#   1. autoencoder, 64 px crops, object pixels weighted             40/240 of the time
#   2. autoencoder fine-tune on fine detail (stars, horizons)        13/240
#   3. decoder alone, so later latents stay as stage 2 made them     20/240
#   4. text encoder and diffusion transformer, noise levels shifted
#      towards pure noise, object cells weighted                    167/240
#
# TEXT_STAGE=1 (an experiment, not yet the built-in model's recipe: docs/training.md,
# ninth run) adds a stage before the last, taking 5/240 of the time from it: the text
# encoder alone, on captions, trained to name each object's attributes and side (no
# clips rendered). Set it on every run of the same RUNS_DIR.
#
#   bash scripts/train-default.sh RUNS_DIR OUT_PACK [TOTAL_MINUTES]
#
# Interrupt it at any moment (Ctrl+C, SIGTERM, a machine that stops) and run the same
# command again: finished stages are skipped, the stopped one resumes from its last
# checkpoint, and each stage's budget counts its training time over all its runs.
# KINORA_CLI picks the binary (default build/bin/kinora-cli); THREADS (default: every
# core) is passed to each stage; ARCH (default: default) is init-model's --config, for
# trying the recipe on another architecture; DIT_OPTIONS adds options to the last stage
# (e.g. --freeze-text-encoder). DIRECTIONS_FIRST=M (an experiment, not yet the built-in
# model's recipe: docs/training.md, seventeenth run) gives M/240 of the time, taken from the
# last stage, to a diffusion stage on the directions-only world before it, and trains both
# with the first picture known in half the samples.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: $0 RUNS_DIR OUT_PACK [TOTAL_MINUTES]" >&2; exit 2; }
runs=$1
out=$2
total=${3:-240}
cli=${KINORA_CLI:-build/bin/kinora-cli}
threads=${THREADS:-$(nproc)}
[ -x "$cli" ] || { echo "$cli not found: build first (scripts/build.sh) or set KINORA_CLI" >&2; exit 1; }
mkdir -p "$runs"

minutes() { python3 -c "print(round($total * $1 / 240, 3))"; }

# stage NAME START_PACK MINUTES ARGS...: trains into $runs/NAME, exports $runs/NAME-pack.
stage() {
  local name=$1 start=$2 budget=$3
  shift 3
  if [ -f "$runs/$name-pack/model.json" ]; then
    echo "== $name: done ($runs/$name-pack)"
    return
  fi
  local resume=()
  [ -f "$runs/$name/checkpoint/state.json" ] && resume=(--resume)
  echo "== $name: ${budget} min${resume:+, resuming}"
  "$cli" train --model "$start" --run "$runs/$name" --out "$runs/$name-pack" --steps 100000000 \
    --max-minutes "$budget" --checkpoint-minutes 5 --threads "$threads" --seed 1 "${resume[@]}" "$@"
  # A stop by signal exports nothing: leave the checkpoint for the next run.
  [ -f "$runs/$name-pack/model.json" ] || { echo "== $name: stopped before its budget; run again to resume"; exit 130; }
}

[ -f "$runs/init/model.json" ] || "$cli" init-model --config "${ARCH:-default}" --seed 1 --out "$runs/init"

stage ae "$runs/init" "$(minutes 40)" --stage autoencoder \
  --batch 8 --lr 5e-4 --warmup 200 --ae-crop 64 --object-weight 4
stage ae-detail "$runs/ae-pack" "$(minutes 13)" --stage autoencoder \
  --batch 8 --lr 2e-4 --warmup 50 --ae-crop 64 --object-weight 4 --detail-weight 30
stage decoder "$runs/ae-detail-pack" "$(minutes 20)" --stage autoencoder --decoder-only \
  --batch 8 --lr 1e-4 --warmup 50 --ae-crop 64 --object-weight 4 --detail-weight 30
stages="ae ae-detail decoder dit" dit_start=$runs/decoder-pack dit_minutes=167
if [ "${TEXT_STAGE:-0}" = 1 ]; then
  stage text "$runs/decoder-pack" "$(minutes 5)" --stage text \
    --batch 256 --lr 1e-3 --warmup 50
  stages="ae ae-detail decoder text dit" dit_start=$runs/text-pack dit_minutes=162
fi
dit_extra=()
if [ -n "${DIRECTIONS_FIRST:-}" ]; then
  # The seventeenth run's curriculum (docs/training.md): the diffusion stage first learns a
  # world where direction is all a caption tells apart, then the whole world, both with the
  # first picture known in half the samples. DIRECTIONS_FIRST is its share of the 240.
  stage dit-directions "$dit_start" "$(minutes "$DIRECTIONS_FIRST")" --stage diffusion --directions-only \
    --batch 32 --lr 3e-4 --warmup 100 --latent-reuse 2 --latent-object-weight 4 --noise-shift 3 \
    --first-frame-share 0.5
  stages="${stages/ dit/ dit-directions dit}" dit_start=$runs/dit-directions-pack
  dit_minutes=$(python3 -c "print($dit_minutes - $DIRECTIONS_FIRST)")
  dit_extra=(--first-frame-share 0.5)
fi
stage dit "$dit_start" "$(minutes $dit_minutes)" --stage diffusion \
  --batch 32 --lr 3e-4 --warmup 100 --latent-reuse 2 --latent-object-weight 4 --noise-shift 3 "${dit_extra[@]}" ${DIT_OPTIONS:-}

rm -rf "$out"
cp -r "$runs/dit-pack" "$out"
for s in $stages; do cp "$runs/$s/log.csv" "$out/train-$s.csv"; done
echo "== pack written to $out"
