#!/usr/bin/env bash
# Installs dependencies, builds, and starts Kinora with the built-in model.
# Until the studio (build/bin/kinora) exists, this generates a first clip with the CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
bash scripts/ensure-model.sh

if [ -x build/bin/kinora ]; then
  exec build/bin/kinora "$@"
fi
out="${1:-first-clip.mp4}"
build/bin/kinora-cli generate --prompt "a red ball bouncing on a grass field" --seed 1 --out "$out"
build/bin/kinora-cli info "$out"
