#!/usr/bin/env bash
# Every benchmark in bench/ (bench_*.py), each printing one JSON object with its ratio to its limit.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
benches=(bench/bench_*.py)
if [ ${#benches[@]} -eq 0 ]; then
  echo "No benchmarks yet: each capability that names one adds bench/bench_<name>.py."
  exit 0
fi
for bench in "${benches[@]}"; do
  echo "== $bench"
  .venv/bin/python "$bench" "$@"
done
