#!/usr/bin/env bash
# Import and replay the real Alibaba v2018 DAG sample (2,120 jobs, ≈3.1 M task instances) on
# one core, release build: wall time and peak memory (max RSS), median of ROUNDS runs.
#
#   bash benches/trace_replay.sh [TRACE] [ROUNDS]
#
# TRACE defaults to ../shared/data/traces/alibaba_v2018_batch_task_selected_DAGs.csv (the
# project does not ship it). The replay is scenarios/traces/alibaba.toml on 100 machines of
# 32 cores, with `drain`, so every job runs to the end; the import step is timed apart
# (`schedsim import`, writing schedsim's own trace CSV), then the replay of that CSV.
set -euo pipefail
cd "$(dirname "$0")/.."

trace=${1:-../shared/data/traces/alibaba_v2018_batch_task_selected_DAGs.csv}
rounds=${2:-3}
if [[ ! -f $trace ]]; then
    echo "no trace at $trace: pass the path of an Alibaba v2018 batch_task CSV" >&2
    exit 1
fi
trace=$(realpath "$trace")
cargo build --release --quiet
bin=target/release/schedsim
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Runs "$@" on CPU 0 ROUNDS times; prints the median wall seconds and median max RSS (MiB).
measure() {
    local label=$1; shift
    local walls=() rss=()
    for _ in $(seq "$rounds"); do
        /usr/bin/time -f '%e %M' -o "$tmp/time" taskset -c 0 "$@" >"$tmp/out" 2>"$tmp/err" \
            || { cat "$tmp/err" >&2; exit 1; }
        read -r w m <"$tmp/time"
        walls+=("$w"); rss+=("$m")
    done
    local wall mem
    wall=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    mem=$(printf '%s\n' "${rss[@]}" | sort -g | awk '{a[NR]=$1} END {printf "%.0f", a[int((NR+1)/2)]/1024}')
    printf '%-44s median %6.2f s   peak RSS %5s MiB   (%s rounds: %s s)\n' \
        "$label" "$wall" "$mem" "$rounds" "${walls[*]}"
}

replay=(--set "trace.path=$trace" --set cluster.nodes.m.count=100)
measure "replay from the Alibaba CSV" \
    "$bin" run scenarios/traces/alibaba.toml "${replay[@]}"
grep -E "^ *(trace:|completed|all )" "$tmp/out" || true
measure "import to schedsim CSV" \
    "$bin" import alibaba-2018 "$trace" --node-memory 512GiB -o "$tmp/alibaba.csv"
measure "replay from the schedsim CSV" \
    "$bin" run scenarios/traces/schedsim.toml --set "trace.path=$tmp/alibaba.csv" \
    --set cluster.nodes.m.count=100
