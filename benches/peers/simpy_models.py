"""SimPy models of the peer benchmark: M/M/8 at rho = 0.9 and the 4-stage M/M/2 tandem.

    python simpy_models.py MODEL HORIZON [WARMUP] [SEED]    (MODEL: mmc | tandem)

Prints one JSON line: customers arrived in [0, HORIZON], the wall seconds of env.run() alone
(imports and result processing excluded), and the metrics over customers that arrived at or
after WARMUP: mean response (with a 95 % batch-means interval), and per station visit the mean
wait and P(wait), as schedsim reports them.
"""
import json
import random
import sys
import time

import simpy

from theory import MODELS, batch_means_ci


def customer(env, stations, rng, warmup, out):
    arrival = env.now
    waits = []
    for server, mean in stations:
        with server.request() as req:
            queued = env.now
            yield req
            waits.append(env.now - queued)
            yield env.timeout(rng.expovariate(1.0 / mean))
    if arrival >= warmup:
        out["latency"].append(env.now - arrival)
        out["waits"].extend(waits)


def source(env, lam, stations, rng, warmup, out):
    while True:
        yield env.timeout(rng.expovariate(lam))
        out["arrived"] += 1
        env.process(customer(env, stations, rng, warmup, out))


def main():
    model, horizon = sys.argv[1], float(sys.argv[2])
    warmup = float(sys.argv[3]) if len(sys.argv) > 3 else 1000.0
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    m = MODELS[model]
    rng = random.Random(seed)
    env = simpy.Environment()
    stations = [(simpy.Resource(env, capacity=m["c"]), mean) for mean in m["means"]]
    out = {"arrived": 0, "latency": [], "waits": []}
    env.process(source(env, m["lam"], stations, rng, warmup, out))
    start = time.perf_counter()
    env.run(until=horizon)
    sim_seconds = time.perf_counter() - start
    mean, half = batch_means_ci(out["latency"])
    waits = out["waits"]
    print(json.dumps({
        "tool": "simpy", "model": model, "horizon": horizon, "warmup": warmup, "seed": seed,
        "arrived": out["arrived"], "sim_seconds": sim_seconds, "completed": len(out["latency"]),
        "latency_mean": mean, "latency_ci": half,
        "wait_mean": sum(waits) / len(waits),
        "wait_probability": sum(w > 0 for w in waits) / len(waits),
    }))


if __name__ == "__main__":
    main()
