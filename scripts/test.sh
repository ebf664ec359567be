#!/usr/bin/env bash
# Installs dependencies, builds, and runs every test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
bash scripts/ensure-model.sh
export QT_QPA_PLATFORM=offscreen
ctest --test-dir build --output-on-failure -j 1 --timeout 900
# Every parser of outside data, briefly, under libFuzzer and the sanitizers (the seed
# corpus holds each past finding, so a regression fails here).
bash scripts/fuzz.sh 10
