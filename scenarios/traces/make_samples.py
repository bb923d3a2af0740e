#!/usr/bin/env python3
"""Writes the small synthetic traces that the scenarios in this folder replay.

They are made up (seeded, so this script always writes the same files), in the formats of
the real traces, with the defects those have, so that a user can try every importer without a
download and see the repair report. Real traces are never copied into the project; point a
scenario at one with `--set trace.path=...` (see the README).

    python3 scenarios/traces/make_samples.py      # rewrites the sample files beside it

The schedsim-format sample (`sample.csv`) is not written here: it is what
`schedsim import alibaba-2018 sample_batch_task.csv --node-memory 64GiB -o sample.csv` makes.
"""

import json
import math
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent


def swf(rng: random.Random) -> None:
    """An SWF log of a 16-processor machine: 300 jobs, ~70 % load, EASY-like estimates
    (requested time 1-5x the run time), a few cancelled jobs, waits from an FCFS replay."""
    procs = 16
    jobs = []
    t = 0.0
    for n in range(1, 301):
        t += rng.expovariate(1 / 60)
        width = rng.choices([1, 2, 4, 8, 16], weights=[30, 20, 25, 15, 10])[0]
        run = max(1, round(rng.lognormvariate(math.log(120), 1.0)))
        requested = 60 * math.ceil(run * rng.uniform(1.0, 5.0) / 60)
        status = 1
        if rng.random() < 0.03:
            status, run = 5, -1  # cancelled before it ran
        jobs.append([n, round(t), width, run, requested, status])
    # Waits as a strict FCFS machine would have given them: the "recorded" reference.
    free_at = [0.0] * procs
    lines = [
        "; Version: 2.2",
        "; Computer: synthetic 16-processor machine (schedsim sample)",
        "; Note: made up by scenarios/traces/make_samples.py; waits from an FCFS replay",
        f"; MaxJobs: {len(jobs)}",
        f"; MaxRecords: {len(jobs)}",
        f"; MaxNodes: {procs}",
        f"; MaxProcs: {procs}",
        ";",
    ]
    last_start = 0.0
    for n, submit, width, run, requested, status in jobs:
        if run > 0:
            free_at.sort()
            start = max(submit, free_at[width - 1], last_start)
            last_start = start
            for i in range(width):
                free_at[i] = start + run
            wait = round(start - submit)
        else:
            wait = 0
        fields = [n, submit, wait, run, width, -1, -1, width, requested, -1, status,
                  1 + n % 7, 1, -1, 1, -1, -1, -1]
        lines.append(" ".join(f"{f:>6}" for f in fields))
    (HERE / "sample.swf").write_text("\n".join(lines) + "\n")


def alibaba(rng: random.Random) -> None:
    """Alibaba v2018 batch_task rows: 40 DAG jobs over two hours, with the real trace's
    defects (a truncated name, a dependency on a missing task, a missing cpu, a task that ends
    before it starts, an unreadable instance count), rows shuffled as in the real file."""
    rows = []
    for j in range(1, 41):
        arrival = j * 180 + rng.randrange(0, 120)
        n = rng.randint(1, 6)
        if j % 9 == 0:
            names = [f"task_{rng.randrange(10**6):x}" for _ in range(n)]
        else:
            names = []
            for k in range(1, n + 1):
                parents = sorted(rng.sample(range(1, k), min(k - 1, rng.randint(0, 2))))
                kind = rng.choice("MRJ") if parents else "M"
                names.append("_".join([f"{kind}{k}"] + [str(p) for p in parents]))
        end_of = {}
        for k, name in enumerate(names, start=1):
            parents = [int(p) for p in name.split("_")[1:]] if not name.startswith("task_") else []
            start = max([arrival] + [end_of[p] for p in parents])
            duration = rng.randint(5, 400)
            end_of[k] = start + duration
            instances = rng.choice([1, 1, 2, 4, 10, 25])
            cpu = rng.choice([50, 100, 100, 200, 400])
            mem = round(rng.uniform(0.1, 2.0), 2)
            rows.append([name, f"{instances}.0", f"j_{j}", "1", "Terminated",
                         str(start), str(end_of[k]), f"{cpu}.0", str(mem)])
    # The defects.
    rows[3][0] = rows[3][0] + "_"  # truncated: a trailing underscore
    rows.append(["R7_3_99", "1.0", "j_2", "1", "Terminated", "700", "760", "100.0", "0.5"])
    rows[10][7] = ""  # no plan_cpu
    rows[20][5], rows[20][6] = rows[20][6], rows[20][5]  # ends before it starts
    rows[30][1] = ""  # no instance_num
    rng.shuffle(rows)
    header = "task_name,instance_num,job_name,task_type,status,start_time,end_time,plan_cpu,plan_mem"
    text = header + "\n" + "\n".join(",".join(r) for r in rows) + "\n"
    (HERE / "sample_batch_task.csv").write_text(text)


def wfcommons(rng: random.Random) -> None:
    """A WfFormat 1.5 workflow: an order pipeline fanning out to 8 parallel checks that join
    into a summary, with recorded run times, CPU use and memory."""
    spec, execution = [], []

    def task(name, parents, runtime, cpu, memory):
        spec.append({"name": name, "id": name, "parents": parents, "children": [],
                     "inputFiles": [], "outputFiles": []})
        execution.append({"id": name, "runtimeInSeconds": runtime, "avgCPU": cpu,
                          "memoryInBytes": memory, "machines": ["node1"]})

    task("ingest_ID01", [], 4.2, 98.5, 120_000_000)
    checks = []
    for i in range(8):
        name = f"check_ID{i + 2:02d}"
        task(name, ["ingest_ID01"], round(rng.uniform(5, 30), 3), round(rng.uniform(60, 200), 1),
             rng.randrange(50, 400) * 1_000_000)
        checks.append(name)
    task("merge_ID10", checks, 12.5, 180.0, 800_000_000)
    task("report_ID11", ["merge_ID10"], 3.1, 95.0, 60_000_000)
    by_id = {t["id"]: t for t in spec}
    for t in spec:
        for p in t["parents"]:
            by_id[p]["children"].append(t["id"])
    doc = {
        "name": "order-pipeline",
        "description": "synthetic sample written by schedsim's scenarios/traces/make_samples.py",
        "createdAt": "2026-11-30T00:00:00",
        "schemaVersion": "1.5",
        "author": {"name": "schedsim", "email": "none@example.org"},
        "workflow": {
            "specification": {"tasks": spec, "files": []},
            "execution": {
                "makespanInSeconds": 60.0,
                "executedAt": "2026-11-30T00:00:00Z",
                "tasks": execution,
                "machines": [{"nodeName": "node1", "cpu": {"coreCount": 8, "speedInMHz": 3000},
                              "memoryInBytes": 16_000_000_000}],
            },
        },
    }
    (HERE / "sample-workflow.json").write_text(json.dumps(doc, indent=1) + "\n")


def pods(rng: random.Random) -> None:
    """A Kubernetes-style export: pods with creation time, start and finish, CPU requests in
    millicores and memory in MiB, unsorted, two rows lacking a CPU request; and the node
    pool they ran on."""
    rows = []
    t = 0.0
    for i in range(400):
        t += rng.expovariate(1 / 4)
        start = t + rng.uniform(0, 2)
        end = start + rng.lognormvariate(math.log(20), 0.8)
        cpu = rng.choice([100, 250, 500, 1000, 2000])
        mem = rng.choice([128, 256, 512, 1024, 4096])
        tier = rng.choice(["web", "web", "batch"])
        rows.append([f"pod-{i:04d}", f"{t:.3f}", f"{start:.3f}", f"{end:.3f}", str(cpu), str(mem),
                     tier, "1" if tier == "web" else "0"])
    rows[17][4] = ""
    rows[211][4] = ""
    rng.shuffle(rows)
    header = "pod,created,started,finished,cpu_request_m,memory_request_mib,tier,priority"
    (HERE / "sample_pods.csv").write_text(header + "\n" + "\n".join(",".join(r) for r in rows) + "\n")
    nodes = "name,cores,memory_gib,count\nstd,2,8,3\nbig,4,16,1\n"
    (HERE / "sample_nodes.csv").write_text(nodes)


if __name__ == "__main__":
    swf(random.Random(1))
    alibaba(random.Random(2))
    wfcommons(random.Random(3))
    pods(random.Random(4))
