#!/usr/bin/env python3
"""uff4j against PyTorch on the CPU, side by side on the same machine (run through scripts/compare-cpu.sh).

For each configuration (model x cells x hidden x batch x threads) it runs uff4j (`uff4j train --backend cpu`) and
PyTorch (`benchmarks/pytorch_uff.py --device cpu`) in turn, --pairs times, alternating which goes first, each for
--epochs epochs on MNIST with the same sizes, hyper-parameters, sample order (checked) and number of parameters
(checked). The first epoch of every run is reported apart as warm-up; a run's speed is its training samples divided by
the median of its other epochs. For each configuration it prints the medians of both, and the median of the ratios
uff4j/PyTorch pair by pair with their range: a ratio above 1 means uff4j trains faster.

Needs a python3 with torch (Debian: python3-torch; scripts/compare-cpu.sh installs it) and the uff4j jar
(`mvn -DskipTests package`) and benchmarks jar (`mvn -f benchmarks/pom.xml package`, for the order check).
"""

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

# fewer steps per epoch than this leave uff4j's second epoch partly uncompiled (Vector API fallbacks)
WARM_STEPS = 200

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def split_ints(text):
    return [int(v) for v in text.split(",") if v]


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--models", default="ae,dae,bp", help="comma list of ae, dae, bp (default: ae,dae,bp)")
    p.add_argument("--cells", default="3", help="comma list of cell counts (default: 3)")
    p.add_argument("--hidden", default="500", help="comma list of widths (default: 500)")
    p.add_argument("--batch", default="128", help="comma list of batch sizes (default: 128)")
    p.add_argument("--threads", default="2,1", help="comma list of thread counts (default: 2,1)")
    p.add_argument("--pairs", type=int, default=5, help="runs of each, alternating (default: 5)")
    p.add_argument("--epochs", type=int, default=3, help="epochs per run, the first reported as warm-up (default: 3)")
    p.add_argument("--limit", type=int, default=0, help="train on the first N samples (default: all 60000)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--data", default=os.path.join(ROOT, "data"))
    p.add_argument("--python", default="/usr/bin/python3", help="a python3 with torch (default: /usr/bin/python3)")
    p.add_argument("--json", help="write every run and the summary to this file")
    a = p.parse_args(argv)
    if a.pairs < 1 or a.epochs < 2:
        p.error("need --pairs >= 1 and --epochs >= 2 (the first epoch is warm-up)")
    return a


def run(command, what):
    t0 = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit("compare_cpu.py: %s failed (exit %d):\n%s\n%s" % (what, proc.returncode, " ".join(command),
                                                                   proc.stderr[-2000:]))
    return proc.stdout, time.perf_counter() - t0


def java_cp():
    jar = os.path.join(ROOT, "target", "uff4j.jar")
    if not os.path.isfile(jar):
        sys.exit("compare_cpu.py: %s is missing: run mvn -DskipTests package first" % jar)
    return jar + os.pathsep + os.path.join(ROOT, "target", "lib", "*")


def uff4j_run(a, cfg, out):
    model, cells, hidden, batch, threads = cfg
    command = ["java", "--add-modules", "jdk.incubator.vector", "-cp", java_cp(), "dev.uff4j.cli.Main", "train",
               "--dataset", "mnist", "--data", a.data, "--model", model, "--cells", str(cells), "--hidden",
               str(hidden), "--batch", str(batch), "--threads", str(threads), "--epochs", str(a.epochs),
               "--seed", str(a.seed), "--backend", "cpu", "--progress", "none", "--report", out,
               "--shift", "0"]  # pytorch_uff.py does not augment; uff4j shifts MNIST by default
    if a.limit:
        command += ["--limit", str(a.limit)]
    run(command, "uff4j")
    with open(out) as f:
        r = json.load(f)
    seconds = [e["seconds"] for e in r["epochs_detail"]]
    return {"epoch_seconds": seconds, "parameters": r["parameters"], "samples": r["train_samples"],
            "test_accuracy": r["test_accuracy"]}


def torch_run(a, cfg, out):
    model, cells, hidden, batch, threads = cfg
    command = [a.python, os.path.join(ROOT, "benchmarks", "pytorch_uff.py"), "--device", "cpu", "--data", a.data,
               "--model", model, "--cells", str(cells), "--hidden", str(hidden), "--batch", str(batch), "--threads",
               str(threads), "--epochs", str(a.epochs), "--seed", str(a.seed), "--json", out]
    if a.limit:
        command += ["--limit", str(a.limit)]
    run(command, "pytorch_uff.py")
    with open(out) as f:
        r = json.load(f)
    return {"epoch_seconds": r["epoch_seconds"], "parameters": r["parameters"], "samples": r["train_samples"],
            "test_accuracy": r["test_accuracy"], "torch_version": r["torch_version"]}


def speed(r):
    return r["samples"] / statistics.median(r["epoch_seconds"][1:])


def check_order(a):
    n = a.limit or 60000
    bench = os.path.join(ROOT, "benchmarks", "target", "benchmarks.jar")
    if not os.path.isfile(bench):
        sys.exit("compare_cpu.py: %s is missing: run mvn -f benchmarks/pom.xml package first" % bench)
    mine, _ = run(["java", "-cp", bench, "dev.uff4j.bench.ShuffleOrder", str(a.seed), str(n)], "the order check")
    theirs, _ = run([a.python, os.path.join(ROOT, "benchmarks", "pytorch_uff.py"), "--data", a.data, "--seed",
                     str(a.seed), "--print-order"] + (["--limit", str(a.limit)] if a.limit else []), "the order check")
    if mine.strip() != theirs.strip():
        sys.exit("compare_cpu.py: the sample orders differ: uff4j %s, pytorch %s" % (mine.strip(), theirs.strip()))
    return mine.strip()


def versions(a):
    out, _ = run([a.python, "-c", "import torch; print(torch.__version__); print(torch.__config__.show())"],
                 "the torch version")
    blas = ""
    try:
        blas = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${Version}\\n", "libopenblas0-openmp",
                               "libopenblas0-pthread", "libopenblas0"], capture_output=True, text=True).stdout
    except OSError:
        pass
    installed = [l.strip() for l in blas.splitlines() if len(l.split()) == 2]  # dpkg lists absent ones unversioned
    return out.splitlines()[0], ", ".join(installed)


def main(argv):
    a = parse_args(argv)
    order = check_order(a)
    torch_version, blas = versions(a)
    print("uff4j vs PyTorch %s on the CPU (%s); %d pairs x %d epochs, seed %d, %s samples; same order: %s"
          % (torch_version, blas or "BLAS: see torch.__config__", a.pairs, a.epochs, a.seed, a.limit or 60000, order),
          flush=True)
    configs = list(itertools.product(a.models.split(","), split_ints(a.cells), split_ints(a.hidden),
                                     split_ints(a.batch), split_ints(a.threads)))
    largest = max(split_ints(a.batch))
    steps = (a.limit or 60000) // largest
    if steps < WARM_STEPS:
        # measured: bp 3 x 500, batch 512, 20000 samples: epochs of 4.68, 2.28, 1.54 s (docs/performance.md)
        print("note: %d steps per epoch at batch %d: uff4j's JIT may still be compiling after the first epoch, which "
              "PyTorch never pays; use more samples (--limit) or epochs for a fair figure" % (steps, largest),
              flush=True)
    rows = []
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for cfg in configs:
            ours, theirs, ratios = [], [], []
            for p in range(a.pairs):
                order = (uff4j_run, torch_run) if p % 2 == 0 else (torch_run, uff4j_run)
                got = {}
                for fn in order:
                    got[fn] = fn(a, cfg, os.path.join(tmp, "%s-%d.json" % (fn.__name__, p)))
                u, t = got[uff4j_run], got[torch_run]
                if u["parameters"] != t["parameters"]:
                    sys.exit("compare_cpu.py: %s: uff4j has %d parameters, pytorch %d" % (cfg, u["parameters"],
                                                                                         t["parameters"]))
                ours.append(u)
                theirs.append(t)
                ratios.append(speed(u) / speed(t))
                runs.append({"config": cfg, "pair": p, "uff4j": u, "pytorch": t})
            row = {
                "model": cfg[0], "cells": cfg[1], "hidden": cfg[2], "batch": cfg[3], "threads": cfg[4],
                "parameters": ours[0]["parameters"],
                "uff4j_samples_per_second": statistics.median(speed(r) for r in ours),
                "pytorch_samples_per_second": statistics.median(speed(r) for r in theirs),
                "ratio_median": statistics.median(ratios), "ratio_min": min(ratios), "ratio_max": max(ratios),
                "uff4j_warmup_seconds": statistics.median(r["epoch_seconds"][0] for r in ours),
                "pytorch_warmup_seconds": statistics.median(r["epoch_seconds"][0] for r in theirs),
                "uff4j_test_accuracy": ours[-1]["test_accuracy"], "pytorch_test_accuracy": theirs[-1]["test_accuracy"],
            }
            rows.append(row)
            print("%-4s %d x %4d, batch %3d, %d thread%s, %d parameters: uff4j %6.0f, pytorch %6.0f samples/s; "
                  "ratio %.2f [%.2f-%.2f]; first epoch %.1f s vs %.1f s; test %.2f%% vs %.2f%%"
                  % (row["model"], row["cells"], row["hidden"], row["batch"], row["threads"],
                     "" if row["threads"] == 1 else "s", row["parameters"], row["uff4j_samples_per_second"],
                     row["pytorch_samples_per_second"], row["ratio_median"], row["ratio_min"], row["ratio_max"],
                     row["uff4j_warmup_seconds"], row["pytorch_warmup_seconds"], 100 * row["uff4j_test_accuracy"],
                     100 * row["pytorch_test_accuracy"]), flush=True)
    print()
    print("| model | cells x hidden | batch | threads | uff4j samples/s | PyTorch samples/s | uff4j / PyTorch "
          "(median [range] of %d pairs) |" % a.pairs)
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print("| %s | %d x %d | %d | %d | %.0f | %.0f | %.2f [%.2f-%.2f] |" % (
            r["model"], r["cells"], r["hidden"], r["batch"], r["threads"], r["uff4j_samples_per_second"],
            r["pytorch_samples_per_second"], r["ratio_median"], r["ratio_min"], r["ratio_max"]))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"torch_version": torch_version, "blas": blas, "pairs": a.pairs, "epochs": a.epochs,
                       "rows": rows, "runs": runs}, f, indent=2, default=str)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
