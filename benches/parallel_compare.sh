#!/usr/bin/env bash
# Parallel speed-up of a 20-replication compare of scenarios/order-processing.toml:
# wall time on 2 threads / wall time on 1 thread (target ≤ 0.55). Runs alternate between
# the two thread counts for ROUNDS rounds and the medians are compared, because the
# machine is shared and noisy.
#   usage: benches/parallel_compare.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
cargo build --release --quiet
bin=target/release/schedsim
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
time_run() {
  local start end
  start=$(date +%s.%N)
  "$bin" compare scenarios/order-processing.toml -r 20 --jobs "$1" --quiet --out "$out/j$1" >/dev/null
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { print b - a }'
}
one=(); two=()
for _ in $(seq "$rounds"); do
  one+=("$(time_run 1)")
  two+=("$(time_run 2)")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
m1=$(median "${one[@]}"); m2=$(median "${two[@]}")
cmp -s "$out/j1/runs.csv" "$out/j2/runs.csv" && same=identical || same=DIFFERENT
printf '1 thread: median %.3f s   2 threads: median %.3f s   ratio %.3f (target <= 0.55)\n' "$m1" "$m2" "$(awk -v a="$m1" -v b="$m2" 'BEGIN { print b / a }')"
echo "runs.csv on 1 and 2 threads: $same"
