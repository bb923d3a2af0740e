#!/usr/bin/env bash
# schedsim against SimPy and Ciw on M/M/8 at rho = 0.9 (scenarios/mmc.toml) and the 4-stage
# M/M/2 tandem (scenarios/tandem.toml). Runs the three tools alternately for ROUNDS rounds
# (seed = round) and prints, per model and tool, customers/s (medians over the rounds), the
# ratios schedsim / peer, and the metrics of the seed-1 run beside the exact queueing-theory
# values (theory.py), the mean response with a 95 % batch-means interval.
#
#   usage: benches/peers/compare.sh [ROUNDS]          (default 3)
#   env:   HORIZON=50000 WARMUP=1000   simulated seconds (M/M/8: ~360k customers, tandem ~500k)
#          CIW_HORIZON=$HORIZON        Ciw's own horizon if it is too slow or keeps too many
#                                      records (~1.2 GB at 50000 s on the tandem); rates are
#                                      per second of wall time, so they stay comparable
#          PYTHON=python3              interpreter for the venv (3.11 tested)
#
# customers/s = customers arrived in [0, horizon] / wall seconds. "sim": the simulation call
# alone (schedsim's `wall_seconds`, SimPy's env.run, Ciw's simulate_until_max_time), without
# start-up, model construction or result processing. "e2e": the whole process.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rounds=${1:-3}
horizon=${HORIZON:-50000}
warmup=${WARMUP:-1000}
ciw_horizon=${CIW_HORIZON:-$horizon}
bin=$root/target/release/schedsim

if [ ! -x "$bin" ]; then
  echo "building schedsim (cargo build --release, takes minutes)..." >&2
  (cd "$root" && cargo build --release --quiet)
fi
venv=$here/.venv
if ! cmp -s "$here/requirements.txt" "$venv/requirements.installed" 2>/dev/null; then
  echo "setting up $venv ..." >&2
  "${PYTHON:-python3}" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$venv/requirements.installed"
fi
py=$venv/bin/python

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
declare -A scenario=([mmc]=$root/scenarios/mmc.toml [tandem]=$root/scenarios/tandem.toml)

# run TOOL MODEL SEED: the tool's JSON in $out/TOOL.MODEL.SEED.json, process seconds in .secs
run() {
  local tool=$1 model=$2 seed=$3 start end f=$out/$1.$2.$3
  start=$(date +%s.%N)
  case $tool in
    schedsim) "$bin" run "${scenario[$model]}" --json --seed "$seed" --set duration="$horizon" \
                --set warmup="$warmup" --set drain=false >"$f.json" ;;
    simpy) "$py" "$here/simpy_models.py" "$model" "$horizon" "$warmup" "$seed" >"$f.json" ;;
    ciw) "$py" "$here/ciw_models.py" "$model" "$ciw_horizon" "$warmup" "$seed" >"$f.json" ;;
  esac
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { print b - a }' >"$f.secs"
}

for r in $(seq "$rounds"); do
  for model in mmc tandem; do
    for tool in schedsim simpy ciw; do
      echo "round $r/$rounds: $model $tool" >&2
      run "$tool" "$model" "$r"
    done
  done
done
# schedsim reports no per-customer records unless asked: one untimed seed-1 run per model with
# --trace-workflows gives the latencies for the batch-means interval.
for model in mmc tandem; do
  "$bin" run "${scenario[$model]}" --json --seed 1 --set duration="$horizon" --set warmup="$warmup" \
    --set drain=false --trace-workflows --out "$out/trace.$model" >/dev/null
done

cd "$here"
"$py" - "$out" "$rounds" <<'EOF'
import csv, json, statistics, sys
from theory import batch_means_ci, theory

out, rounds = sys.argv[1], int(sys.argv[2])

def load(tool, model, seed):
    f = f"{out}/{tool}.{model}.{seed}"
    d = json.load(open(f + ".json"))
    if tool == "schedsim":
        # schedsim counts arrivals from warmup on: scale to the whole horizon
        d["arrived"] = d["arrived"] * d["end_time"] / d["window"]
        d["horizon"], d["sim_seconds"] = d["end_time"], d["wall_seconds"]
        rows = [r for r in csv.DictReader(open(f"{out}/trace.{model}/workflows.csv"))
                if r["status"] == "completed"] if seed == 1 else []
        if rows:
            rows.sort(key=lambda r: float(r["arrival"]))
            mean, d["latency_ci"] = batch_means_ci([float(r["latency"]) for r in rows])
            if abs(mean - d["latency_mean"]) > 1e-6 * mean:  # same run, with records kept
                print(f"warning: schedsim {model}: --trace-workflows changed the run", file=sys.stderr)
    d["process_seconds"] = float(open(f + ".secs").read())
    return d

print(f"\n{rounds} round(s); customers/s: medians over the rounds; metrics: the seed-1 run, "
      "waits per station visit, mean response ± 95 % batch-means half-width (20 batches)")
head = (f"{'model':<14} {'tool':<9} {'horizon s':>9} {'cust/s sim':>11} {'cust/s e2e':>11} "
        f"{'ratio sim':>9} {'ratio e2e':>9}  {'mean wait (theory)':<19} "
        f"{'mean response ± CI (theory)':<30} {'P(wait) (theory)':<17} {'in CI'}")
print(head + "\n" + "-" * len(head))
for model, label in (("mmc", "M/M/8 0.9"), ("tandem", "tandem 4xM/M/2")):
    th = theory(model)
    rate = {}
    for tool in ("schedsim", "simpy", "ciw"):
        runs = [load(tool, model, s) for s in range(1, rounds + 1)]
        sim = statistics.median(d["arrived"] / d["sim_seconds"] for d in runs)
        e2e = statistics.median(d["arrived"] / d["process_seconds"] for d in runs)
        rate[tool] = (sim, e2e)
        ratio = [rate["schedsim"][i] / rate[tool][i] for i in (0, 1)]
        d = runs[0]
        ok = abs(d["latency_mean"] - th["latency_mean"]) <= d["latency_ci"]
        print(f"{label:<14} {tool:<9} {d['horizon']:>9.0f} {sim:>11,.0f} {e2e:>11,.0f} "
              f"{ratio[0]:>8.1f}x {ratio[1]:>8.1f}x  "
              f"{d['wait_mean']:.4f} ({th['wait_mean']:.4f})   "
              f"{d['latency_mean']:.4f} ± {d['latency_ci']:.4f} ({th['latency_mean']:.4f})   "
              f"{d['wait_probability']:.4f} ({th['wait_probability']:.4f})  "
              f"{'yes' if ok else 'NO'}")
print("\nin CI: theory's mean response lies in the 95 % interval (expect 'NO' about 1 time in 20 "
      "by chance).\nschedsim's customers: arrivals after warmup × horizon / window "
      "(it does not count warmup arrivals).")
EOF
