#!/usr/bin/env bash
# Configures and builds Kinora into build/ (Release, Ninja, ccache when present).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset default >/dev/null
cmake --build build -j "$(nproc)"
