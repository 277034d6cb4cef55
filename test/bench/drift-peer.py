"""scipy peer for test/bench/drift.bench.ts: times scipy on the very samples the bench timed mlcycle on.

Reads a JSON file {repeats, cases: [{test, a, b}]} (test: ks | wasserstein | chi-squared | jensen-shannon;
for the categorical tests a = reference shares, b = current counts, both over the same keys) and prints
{"seconds": [mean seconds per call per case], "scipy": version}.
"""
import json
import sys
import time

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance


def run(case):
    t = case["test"]
    a, b = np.asarray(case["a"], dtype=float), np.asarray(case["b"], dtype=float)
    if t == "ks":
        return lambda: stats.ks_2samp(a, b)
    if t == "wasserstein":
        return lambda: stats.wasserstein_distance(a, b) / max(np.std(a), 0.001)
    if t == "chi-squared":
        return lambda: stats.chisquare(b, a * b.sum())
    if t == "jensen-shannon":
        return lambda: distance.jensenshannon(a, b / b.sum())
    raise ValueError(t)


spec = json.load(open(sys.argv[1]))
out = []
for case in spec["cases"]:
    fn = run(case)
    fn()
    start = time.perf_counter()
    for _ in range(spec["repeats"]):
        fn()
    out.append((time.perf_counter() - start) / spec["repeats"])
print(json.dumps({"seconds": out, "scipy": scipy.__version__}))
