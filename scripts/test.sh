#!/usr/bin/env bash
# Installs dependencies, builds, and runs every test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
bash scripts/ensure-model.sh
export QT_QPA_PLATFORM=offscreen
ctest --test-dir build --output-on-failure -j 1 --timeout 900
