"""Ciw models of the peer benchmark: M/M/8 at rho = 0.9 and the 4-stage M/M/2 tandem.

    python ciw_models.py MODEL HORIZON [WARMUP] [SEED]    (MODEL: mmc | tandem)

Prints one JSON line: customers arrived in [0, HORIZON], the wall seconds of
simulate_until_max_time() alone (imports, network construction and get_all_records()
excluded), and the metrics over customers that arrived at or after WARMUP: mean response (with
a 95 % batch-means interval), and per station visit the mean wait and P(wait).
"""
import json
import sys
import time

import ciw

from theory import MODELS, batch_means_ci


def network(m):
    n = len(m["means"])
    return ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=m["lam"])] + [None] * (n - 1),
        service_distributions=[ciw.dists.Exponential(rate=1.0 / mean) for mean in m["means"]],
        number_of_servers=[m["c"]] * n,
        # station i sends every customer to station i + 1; the last one to the exit
        routing=[[1.0 if j == i + 1 else 0.0 for j in range(n)] for i in range(n)],
    )


def main():
    model, horizon = sys.argv[1], float(sys.argv[2])
    warmup = float(sys.argv[3]) if len(sys.argv) > 3 else 1000.0
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    m = MODELS[model]
    ciw.seed(seed)
    sim = ciw.Simulation(network(m))
    start = time.perf_counter()
    sim.simulate_until_max_time(horizon)
    sim_seconds = time.perf_counter() - start
    last = len(m["means"])
    visits = {}  # customer id -> its service records, station 1 first
    for r in sim.get_all_records():
        if r.record_type == "service":
            visits.setdefault(r.id_number, []).append(r)
    latency, waits = [], []
    for recs in visits.values():
        recs.sort(key=lambda r: r.node)
        if recs[0].arrival_date >= warmup and recs[-1].node == last:
            latency.append(recs[-1].exit_date - recs[0].arrival_date)
            waits.extend(r.waiting_time for r in recs)
    mean, half = batch_means_ci(latency)
    print(json.dumps({
        "tool": "ciw", "model": model, "horizon": horizon, "warmup": warmup, "seed": seed,
        "arrived": sim.nodes[0].number_of_individuals, "sim_seconds": sim_seconds,
        "completed": len(latency), "latency_mean": mean, "latency_ci": half,
        "wait_mean": sum(waits) / len(waits),
        "wait_probability": sum(w > 0 for w in waits) / len(waits),
    }))


if __name__ == "__main__":
    main()
