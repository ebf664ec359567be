#!/usr/bin/env bash
# Data-parallel training on one machine: N kinora-cli train processes (ranks) that meet
# through c10d's TCPStore on localhost and sum their gradients with Gloo's all-reduce.
#
#   bash scripts/train-distributed.sh N kinora-cli-train-options...
#   e.g. bash scripts/train-distributed.sh 2 --stage diffusion --model P --run R --out O --batch 16
#
# Each rank renders its own share of every step's N x batch clips, with THREADS threads
# (default: the cores divided among the ranks); rank 0 writes the checkpoints, log.csv and
# the pack. Ctrl+C stops every rank after its current step, with a checkpoint; run the same
# command with --resume (and the same N) to go on. MASTER_PORT (default 29500) picks the
# port; KINORA_CLI the binary (default build/bin/kinora-cli beside this script).
#
# On several machines, start one process per rank with torchrun's variables (or the
# options --world-size, --rank, --master-addr, --master-port):
#
#   WORLD_SIZE=4 RANK=0 MASTER_ADDR=10.0.0.1 MASTER_PORT=29500 kinora-cli train ...   # on 10.0.0.1
#   WORLD_SIZE=4 RANK=1 MASTER_ADDR=10.0.0.1 MASTER_PORT=29500 kinora-cli train ...   # and so on
#
# or let torchrun set them: torchrun --nnodes 2 --nproc-per-node 2 --rdzv-endpoint HOST:PORT
# --no-python kinora-cli train ... Every rank needs the same --model; on --resume every
# rank reads the checkpoint in its --run folder, so the folder must be shared (or rank 0's
# copied to the others first). GLOO_SOCKET_IFNAME picks the network interface.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 N kinora-cli-train-options..." >&2; exit 2; }
n=$1
shift
[[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "$0: N must be a positive number, not '$n'" >&2; exit 2; }
cli=${KINORA_CLI:-$(dirname "$0")/../build/bin/kinora-cli}
[ -x "$cli" ] || { echo "$cli not found: build first (scripts/build.sh) or set KINORA_CLI" >&2; exit 1; }
threads=${THREADS:-$(( $(nproc) / n > 0 ? $(nproc) / n : 1 ))}
export WORLD_SIZE=$n MASTER_ADDR=127.0.0.1 MASTER_PORT=${MASTER_PORT:-29500}
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}

pids=()
stop() { for p in "${pids[@]}"; do kill -INT "$p" 2>/dev/null || true; done; }
trap stop INT TERM
for ((r = n - 1; r >= 0; r--)); do
  # Rank 0 reports progress; the others' lines (errors, the closing fingerprint) are marked.
  if [ "$r" -eq 0 ]; then
    RANK=0 LOCAL_RANK=0 "$cli" train --threads "$threads" --render-threads "$threads" "$@" &
  else
    RANK=$r LOCAL_RANK=$r "$cli" train --threads "$threads" --render-threads "$threads" "$@" \
      > >(sed -u "s/^/[rank $r] /") 2> >(sed -u "s/^/[rank $r] /" >&2) &
  fi
  pids+=($!)
done
status=0
for p in "${pids[@]}"; do
  # A trapped signal ends `wait` early: wait again while the rank is still there.
  while :; do
    rc=0
    wait "$p" || rc=$?
    if [ "$rc" -gt 128 ] && kill -0 "$p" 2>/dev/null; then continue; fi
    [ "$rc" -eq 0 ] || status=$rc
    break
  done
done
exit $status
