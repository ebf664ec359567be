#!/usr/bin/env bash
# The built-in pack is resources/models/default. Until the trained pack is committed, a
# randomly initialised pack of the default architecture stands in (build/models/default):
# it runs the whole pipeline at full cost but shows noise, not shapes.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f resources/models/default/model.json ] || [ -f build/models/default/model.json ]; then
  exit 0
fi
echo "ensure-model: no trained pack in resources/models/default; writing a random one to build/models/default"
build/bin/kinora-cli init-model --config default --seed 1 --out build/models/default
