#!/usr/bin/env bash
# The studio kill test at length: KILLS (default 100) SIGKILLs of the real studio at random
# moments while it runs queued generations, each followed by a restart that must find
# every take and every queued generation (tests/tst_kill.cpp; CTest runs 20).
# Usage: bash scripts/kill-test.sh [KILLS]   (after scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-100}
[ -x build/bin/tst_kill ] && [ -x build/bin/kinora ] || { echo "kill-test: build first (bash scripts/build.sh)" >&2; exit 1; }
start=$(date +%s)
KINORA_KILLS=$kills KINORA_STUDIO="$PWD/build/bin/kinora" QT_QPA_PLATFORM=offscreen OMP_WAIT_POLICY=passive \
  build/bin/tst_kill 2>&1 | grep -E "^(QINFO|PASS|FAIL|Totals)|Loc:|lost"
status=${PIPESTATUS[0]}
echo "kill-test: $kills kills in $(( $(date +%s) - start )) s, exit status $status"
exit "$status"
