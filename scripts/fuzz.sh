#!/usr/bin/env bash
# Fuzzes every parser of outside data (tests/fuzz) with libFuzzer, AddressSanitizer and
# UndefinedBehaviorSanitizer: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Builds build-fuzz/ (`cmake --preset fuzz`: clang, KINORA_FUZZ=ON, the torch-free
# libraries only), then runs each target for SECONDS (default 60) on a working corpus
# seeded from tests/fuzz/corpus/<target>. Prints executions per target and in total; a crash, leak,
# sanitizer report or broken invariant stops that target, leaves the input as
# build-fuzz/findings/<target>/crash-* and makes the script fail.
# Reproduce one: build-fuzz/bin/fuzz_<target> build-fuzz/findings/<target>/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
all=(safetensors model_config prompt caption record storyboard video frames project)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
jobs=${KINORA_BUILD_JOBS:-$(nproc)}

cmake --preset fuzz >/dev/null
cmake --build build-fuzz -j"$jobs" --target $(printf 'fuzz_%s ' "${targets[@]}") >/dev/null

total=0
failed=()
for t in "${targets[@]}"; do
  work=build-fuzz/corpus/$t
  findings=build-fuzz/findings/$t
  mkdir -p "$work" "$findings"
  log=build-fuzz/findings/$t.log
  set +e
  build-fuzz/bin/fuzz_$t -max_total_time="$seconds" -max_len=16384 -timeout=20 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$findings/" "$work" "tests/fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  total=$((total + runs))
  if [ $rc -ne 0 ]; then
    failed+=("$t")
    echo "fuzz: $t FAILED after $runs executions (rc $rc); log: $log"
    grep -E 'ERROR|runtime error|invariant broken|SUMMARY' "$log" | head -5 | sed 's/^/  /'
  else
    echo "fuzz: $t $runs executions in ${seconds}s, corpus $(ls "$work" | wc -l) inputs"
  fi
done
echo "fuzz: $total executions in total"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: findings in ${failed[*]}" >&2
  exit 1
fi
