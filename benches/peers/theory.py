"""Exact queueing-theory values for the two peer-benchmark models, and the batch-means
confidence interval every tool's mean response is reported with.

    python3 theory.py [mmc|tandem]   -> one JSON line per model

Metrics are schedsim's definitions (README, "Metrics"): `latency_mean` is the end-to-end mean
response of a customer; `wait_mean` and `wait_probability` are per task, i.e. per station
visit (for the tandem: the mean over the four stations, each visited once per customer).
"""
import json
import math
import sys


def erlang_c(c, lam, mean_service):
    """M/M/c: (P(wait), mean wait Wq, mean response W)."""
    a = lam * mean_service  # offered load in Erlangs
    rho = a / c
    assert rho < 1, "unstable"
    top = a**c / math.factorial(c) / (1 - rho)
    p_wait = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
    wq = p_wait * mean_service / (c * (1 - rho))
    return p_wait, wq, wq + mean_service


MMC = dict(lam=7.2, c=8, means=[1.0])
TANDEM = dict(lam=10.0, c=2, means=[0.10, 0.15, 0.12, 0.05])
MODELS = {"mmc": MMC, "tandem": TANDEM}


def theory(model):
    m = MODELS[model]
    stations = [erlang_c(m["c"], m["lam"], s) for s in m["means"]]
    # Jackson: in steady state each station is an M/M/c queue fed by a Poisson stream of rate
    # lambda, so the end-to-end mean response is the sum of the stations' W. Per-visit wait
    # figures are averages over the stations (each is visited exactly once).
    n = len(stations)
    return {
        "wait_mean": sum(wq for _, wq, _ in stations) / n,
        "latency_mean": sum(w for _, _, w in stations),
        "wait_probability": sum(p for p, _, _ in stations) / n,
        "stations": [dict(wait_probability=p, wait_mean=wq, latency_mean=w) for p, wq, w in stations],
    }


T975 = {9: 2.262, 19: 2.093, 29: 2.045}  # Student t quantiles (0.975) for batches - 1 df


def batch_means_ci(values, batches=20):
    """(mean, 95 % half-width) of a stationary series by non-overlapping batch means."""
    size = len(values) // batches
    means = [sum(values[i * size:(i + 1) * size]) / size for i in range(batches)]
    grand = sum(means) / batches
    var = sum((m - grand) ** 2 for m in means) / (batches - 1)
    return sum(values) / len(values), T975[batches - 1] * math.sqrt(var / batches)


if __name__ == "__main__":
    for name in sys.argv[1:] or MODELS:
        print(json.dumps({"model": name, **theory(name)}))
