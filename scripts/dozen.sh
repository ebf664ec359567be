#!/usr/bin/env bash
# A contact sheet for looking at a model: twelve held-out scenes, each row the ground
# truth (left, frames 0, 5, 10, 15) beside a generation from its canonical caption
# (right, the same frames), so a person can see what the eval's numbers mean.
#
#   bash scripts/dozen.sh MODEL_PACK OUT.png [FIRST_SCENE]
#
# Needs kinora-cli built (build/bin) and ffmpeg / ImageMagick.
set -euo pipefail
cd "$(dirname "$0")/.."
model=$1
out=$2
first=${3:-0}
cli=${KINORA_CLI:-build/bin/kinora-cli}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

strip() { # frames 0, 5, 10, 15 of a clip side by side
  ffmpeg -v error -y -i "$1" -vf "select='not(mod(n\,5))',tile=4x1:padding=2:color=white" -frames:v 1 "$2"
}
rows=()
for i in $(seq 0 11); do
  seed=$((1000000000 + first + i))
  caption=$("$cli" world --seed "$seed" --out "$tmp/truth$i.mp4")
  "$cli" generate --model "$model" --prompt "$caption" --seed "$i" --out "$tmp/gen$i.mp4" >/dev/null 2>&1
  strip "$tmp/truth$i.mp4" "$tmp/t$i.png"
  strip "$tmp/gen$i.mp4" "$tmp/g$i.png"
  convert "$tmp/t$i.png" "$tmp/g$i.png" -background white -splice 12x0 +append \
    -gravity south -splice 0x14 -pointsize 11 -annotate +0+1 "$seed: ${caption:0:110}" "$tmp/row$i.png"
  rows+=("$tmp/row$i.png")
done
convert "${rows[@]}" -background white -append "$out"
echo "wrote $out"
