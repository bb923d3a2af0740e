#!/usr/bin/env python3
"""Cost per task of placement as the cluster grows (issue 8, target 4).

M/M/c at utilization 0.9 through scenarios/mmc.toml: N one-core nodes, Poisson arrivals at
0.9·N per second, 200,000 customers per run whatever N (the duration shrinks as N grows),
so every run does the same number of decisions at the same utilization. For each rule and
each N the run's own wall time (`wall_seconds` of `run --json`: the simulation only, not
loading the scenario) is divided by the customers; rounds alternate between sizes and the
median is reported, with its ratio to the 10-node cost (target: <= 3x at 10,000 nodes).

    usage: python3 benches/placement_scaling.py [ROUNDS]   (builds the release binary first)
"""
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target" / "release" / "schedsim"
SIZES = [10, 100, 1000, 10000]
CUSTOMERS = 200_000
RULES = [
    ("central", "first-fit"),
    ("central", "least-loaded"),
    ("central", "weighted-least-loaded"),
    ("central", "spread"),
    ("central", "best-fit"),
    ("central", "bin-pack"),
    ("per-node", "least-loaded"),
    ("per-node", "weighted-least-loaded"),
    ("per-node", "spread"),
]


def run(mode: str, rule: str, n: int) -> float:
    rate = 0.9 * n
    args = [
        str(BIN), "run", str(ROOT / "scenarios" / "mmc.toml"), "--json",
        "--set", f'policy.placement="{rule}"',
        "--set", f'cluster.mode="{mode}"',
        "--set", f"cluster.nodes.worker.count={n}",
        "--set", f"workflows.job.arrival.rate={rate}",
        "--set", f"duration={CUSTOMERS / rate}",
        "--set", "warmup=0",
    ]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    summary = json.loads(out)
    return summary["wall_seconds"] / summary["arrived"]


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    # Up to date with the sources (a no-op when it is), so a fresh clone works too.
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    print(f"{'mode':9} {'rule':22} " + " ".join(f"{n:>14}" for n in SIZES) + "   10k/10")
    for mode, rule in RULES:
        costs = {n: [] for n in SIZES}
        for _ in range(rounds):
            for n in SIZES:
                costs[n].append(run(mode, rule, n))
        med = {n: statistics.median(costs[n]) for n in SIZES}
        cells = " ".join(f"{med[n] * 1e9:>11.0f} ns" for n in SIZES)
        print(f"{mode:9} {rule:22} {cells}   {med[SIZES[-1]] / med[SIZES[0]]:6.2f}x")


if __name__ == "__main__":
    main()
