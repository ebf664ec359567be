#!/usr/bin/env bash
# The test suite under AddressSanitizer and UndefinedBehaviorSanitizer:
#   scripts/sanitize.sh [TEST...]     (default: every test; e.g. scripts/sanitize.sh tst_document)
#
# Builds build-asan/ (`cmake --preset sanitize`: everything, LibTorch's callers included,
# with -fsanitize=address,undefined) and runs the tests with leak checking on. Any report
# fails the test that made it. Suppressions for code outside Kinora live in
# tests/sanitize/{lsan,ubsan}.supp, each with its reason. The whole build takes about an
# hour on 2 cores (every file that includes LibTorch compiles again, slower).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${KINORA_BUILD_JOBS:-$(nproc)}
cmake --preset sanitize >/dev/null
if [ $# -gt 0 ]; then
  cmake --build build-asan -j"$jobs" --target "$@"
  regex="^($(IFS='|'; echo "$*"))\$"
else
  cmake --build build-asan -j"$jobs"
  regex="."
fi
here=$(pwd)
# LibTorch's CPU kernels keep per-thread pools; OpenMP workers passive (as in the tests).
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=0:allocator_may_return_null=1"
export LSAN_OPTIONS="suppressions=$here/tests/sanitize/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$here/tests/sanitize/ubsan.supp"
export QT_QPA_PLATFORM=offscreen OMP_WAIT_POLICY=passive
ctest --test-dir build-asan -R "$regex" --output-on-failure -j 1 --timeout 3600
