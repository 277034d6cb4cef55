"""scikit-learn's side of test/bench/trees.bench.ts.

Reads one JSON command per line on stdin and answers one JSON line on stdout, so the benchmark can
interleave its own fits with scikit-learn's in the same run (best-of-N on a shared, noisy machine):

  {"cmd": "gen", "dir": "/tmp/x", "rows": 10000, "cols": 20, "seed": 0}
      writes cls-x.f64, cls-y.f64 (make_classification, 3 classes) and reg-x.f64, reg-y.f64
      (make_regression, target shifted far from zero) as raw little-endian float64, row-major.
  {"cmd": "fit", "dir": "/tmp/x", "task": "cls"|"reg", "model": "tree"|"forest", "n_jobs": 1, "train": 8000}
      fits on the first `train` rows, answers {"seconds": wall time of the fit, "cpu": its CPU time (all
      threads), "score": accuracy or R² on the rest}.

Run by the benchmark as `/usr/bin/python3 test/bench/sklearn/trees-peer.py` (Debian's python3-sklearn).
"""
import json
import os
import sys
import time

import numpy as np
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

CACHE = {}


def gen(c):
    os.makedirs(c["dir"], exist_ok=True)
    n, d, seed = c["rows"], c["cols"], c["seed"]
    x, y = make_classification(n_samples=n, n_features=d, n_informative=10, n_redundant=5, n_classes=3, random_state=seed)
    x.astype("<f8").tofile(os.path.join(c["dir"], "cls-x.f64"))
    y.astype("<f8").tofile(os.path.join(c["dir"], "cls-y.f64"))
    x, y = make_regression(n_samples=n, n_features=d, n_informative=10, noise=10.0, random_state=seed)
    x.astype("<f8").tofile(os.path.join(c["dir"], "reg-x.f64"))
    (y + 1000.0).astype("<f8").tofile(os.path.join(c["dir"], "reg-y.f64"))
    return {"ok": True}


def load(folder, task):
    key = (folder, task)
    if key not in CACHE:
        y = np.fromfile(os.path.join(folder, f"{task}-y.f64"), dtype="<f8")
        x = np.fromfile(os.path.join(folder, f"{task}-x.f64"), dtype="<f8").reshape(len(y), -1)
        CACHE[key] = (np.ascontiguousarray(x, dtype=np.float32), y)  # sklearn's trees work in float32
    return CACHE[key]


def fit(c):
    x, y = load(c["dir"], c["task"])
    t = c["train"]
    cls = c["task"] == "cls"
    if c["model"] == "tree":
        model = (DecisionTreeClassifier if cls else DecisionTreeRegressor)(random_state=0)
    else:
        # The same defaults as mlcycle's random-forest task: sqrt features (classification), all (regression).
        model = (RandomForestClassifier if cls else RandomForestRegressor)(
            n_estimators=c.get("trees", 100), max_features="sqrt" if cls else 1.0, n_jobs=c["n_jobs"], random_state=0)
    cpu = time.process_time()
    start = time.perf_counter()
    model.fit(x[:t], y[:t])
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "cpu": time.process_time() - cpu, "score": float(model.score(x[t:], y[t:]))}


for line in sys.stdin:
    if not line.strip():
        continue
    cmd = json.loads(line)
    out = gen(cmd) if cmd["cmd"] == "gen" else fit(cmd)
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
