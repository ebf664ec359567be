#!/usr/bin/env bash
# Takes a learning-curve point from a running scripts/train-default.sh: stops it at a
# checkpoint (SIGINT), exports the running stage's weights as a pack, and starts the
# recipe again, which resumes where it stopped. The stop does not count against the
# stage's time budget. Evaluate the snapshot afterwards, e.g.
#   kinora-cli eval --model SNAPSHOT --scenes 80 --extend-scenes 0   (the diffusion stage)
#   kinora-cli eval --model SNAPSHOT --autoencoder-only --scenes 50   (autoencoder stages)
#
#   bash scripts/snapshot-run.sh RUNS_DIR OUT_PACK SNAPSHOT_DIR [TOTAL_MINUTES]
#
# RUNS_DIR, OUT_PACK and TOTAL_MINUTES are the recipe's own arguments. With
# KEEP_STOPPED=1 the recipe is left stopped, so that the snapshot can be evaluated
# without sharing the CPU with training; start it again with its own command.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 3 ] || { echo "usage: $0 RUNS_DIR OUT_PACK SNAPSHOT_DIR [TOTAL_MINUTES]" >&2; exit 2; }
runs=$1
out=$2
snapshot=$3
total=${4:-240}
cli=${KINORA_CLI:-build/bin/kinora-cli}

# The stage that is running (or stopped): the first without an exported pack.
stage="" start="" kind=""
# (A recipe run with TEXT_STAGE=1 has a text/ folder: its last stage starts from text-pack.)
stages="ae:init:autoencoder ae-detail:ae-pack:autoencoder decoder:ae-detail-pack:autoencoder dit:decoder-pack:diffusion"
[ -d "$runs/text" ] && stages="${stages% *} text:decoder-pack:text dit:text-pack:diffusion"
for s in $stages; do
  IFS=: read -r name from type <<<"$s"
  if [ ! -f "$runs/$name-pack/model.json" ]; then stage=$name start=$runs/$from kind=$type; break; fi
done
[ -n "$stage" ] || { echo "every stage has finished: $runs/dit-pack is the last" >&2; exit 1; }

pattern="train --model $start --run $runs/$stage "
if pkill -INT -f -- "$pattern"; then
  while pgrep -f -- "$pattern" >/dev/null; do sleep 1; done
fi
state="$runs/$stage/checkpoint/state.json"
[ -f "$state" ] || { echo "$stage has no checkpoint yet" >&2; exit 1; }
step=$(python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['step'])" "$state")
# Resuming with --steps equal to the checkpoint's step trains nothing and exports; the
# pack records the options the checkpoint was trained with.
"$cli" train --stage "$kind" --model "$start" --run "$runs/$stage" --out "$snapshot" --resume --steps "$step" >/dev/null
echo "== $stage at step $step exported to $snapshot"
if [ "${KEEP_STOPPED:-0}" = 1 ]; then
  echo "== recipe left stopped: bash scripts/train-default.sh $runs $out $total"
  exit 0
fi
setsid nohup bash scripts/train-default.sh "$runs" "$out" "$total" >>"$runs/train.log" 2>&1 </dev/null &
echo "== recipe resumed (log: $runs/train.log)"
