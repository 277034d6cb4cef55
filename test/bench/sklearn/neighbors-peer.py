"""scikit-learn's side of test/bench/neighbors.bench.ts, and the writer of the k-NN / naive-Bayes golden file.

Bench mode reads one JSON command per line on stdin and answers one JSON line on stdout, so the
benchmark can interleave its own runs with scikit-learn's (best-of-N on a shared, noisy machine):

  {"cmd": "gen", "dir": "/tmp/x", "rows": 10000, "cols": 20, "seed": 0}
      writes cls-x.f64, cls-y.f64 (make_classification, 3 classes, up to 10 informative and 5 redundant features) and reg-x.f64, reg-y.f64
      (make_regression) as raw little-endian float64, row-major.
  {"cmd": "knn", "dir": "/tmp/x", "task": "cls"|"reg", "n_jobs": 1|null, "algorithm": "auto"|"kd_tree", "train": 8000, "k": 5}
      fits KNeighborsClassifier/Regressor on the first `train` rows and predicts the rest
      (predict_proba / predict); writes the predictions to <dir>/sk-<task>.f64 and answers
      {"seconds": fit + predict time, "method": the search sklearn chose}.
  {"cmd": "nb", "dir": "/tmp/x", "train": 8000}
      GaussianNB fit + predict_proba on cls; writes <dir>/sk-nb.f64; answers {"seconds": …}.

Golden mode (`neighbors-peer.py golden test/fixtures/neighbors-golden.json`) writes a small dataset
and scikit-learn's outputs on it, read by test/plugins/neighbors-bayes.test.ts.

Run by the benchmark as `/usr/bin/python3 test/bench/sklearn/neighbors-peer.py` (Debian's python3-sklearn).
"""
import json
import os
import sys
import time

import numpy as np
from sklearn.datasets import make_classification, make_regression
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

CACHE = {}


def gen(c):
    os.makedirs(c["dir"], exist_ok=True)
    n, d, seed = c["rows"], c["cols"], c["seed"]
    informative = min(10, d)
    redundant = min(5, d - informative)
    x, y = make_classification(n_samples=n, n_features=d, n_informative=informative, n_redundant=redundant, n_classes=3, random_state=seed)
    x.astype("<f8").tofile(os.path.join(c["dir"], "cls-x.f64"))
    y.astype("<f8").tofile(os.path.join(c["dir"], "cls-y.f64"))
    x, y = make_regression(n_samples=n, n_features=d, n_informative=informative, noise=10.0, random_state=seed)
    x.astype("<f8").tofile(os.path.join(c["dir"], "reg-x.f64"))
    y.astype("<f8").tofile(os.path.join(c["dir"], "reg-y.f64"))
    return {"ok": True}


def load(folder, task):
    key = (folder, task)
    if key not in CACHE:
        y = np.fromfile(os.path.join(folder, f"{task}-y.f64"), dtype="<f8")
        x = np.fromfile(os.path.join(folder, f"{task}-x.f64"), dtype="<f8").reshape(len(y), -1)
        CACHE[key] = (np.ascontiguousarray(x), y)
    return CACHE[key]


def knn(c):
    x, y = load(c["dir"], c["task"])
    t = c["train"]
    kind = KNeighborsClassifier if c["task"] == "cls" else KNeighborsRegressor
    started = time.perf_counter()
    model = kind(n_neighbors=c["k"], n_jobs=c["n_jobs"], algorithm=c["algorithm"]).fit(x[:t], y[:t])
    out = model.predict_proba(x[t:]) if c["task"] == "cls" else model.predict(x[t:])
    seconds = time.perf_counter() - started
    np.ascontiguousarray(out, dtype="<f8").tofile(os.path.join(c["dir"], f"sk-{c['task']}.f64"))
    return {"seconds": seconds, "method": model._fit_method}


def nb(c):
    x, y = load(c["dir"], "cls")
    t = c["train"]
    started = time.perf_counter()
    out = GaussianNB().fit(x[:t], y[:t]).predict_proba(x[t:])
    seconds = time.perf_counter() - started
    np.ascontiguousarray(out, dtype="<f8").tofile(os.path.join(c["dir"], "sk-nb.f64"))
    return {"seconds": seconds}


def golden(path):
    """Continuous random features: distance ties have probability 0, so vote shares are exact."""
    rng = np.random.default_rng(20240611)
    n_train, n_test, d = 150, 60, 6
    centres = rng.normal(0, 1.2, size=(3, d))
    y = rng.integers(0, 3, size=n_train + n_test)
    # Features on scales from 0.01 to 1000: k-NN without scaling differs from k-NN with it.
    scale = np.array([0.01, 1.0, 10.0, 1.0, 1000.0, 0.1])
    x = np.ascontiguousarray((centres[y] + rng.normal(size=(len(y), d))) * scale)
    target = x @ rng.normal(size=d) / scale.sum() + rng.normal(size=len(y))
    xtr, xte = x[:n_train], x[n_train:]
    out = {
        "note": "written by test/bench/sklearn/neighbors-peer.py golden; scikit-learn " + __import__("sklearn").__version__,
        "k": 5,
        "classes": 3,
        "xTrain": xtr.tolist(),
        "yTrain": y[:n_train].astype(float).tolist(),
        "rTrain": target[:n_train].tolist(),
        "xTest": xte.tolist(),
        "knnProba": KNeighborsClassifier(5).fit(xtr, y[:n_train]).predict_proba(xte).tolist(),
        "knnScaledProba": make_pipeline(StandardScaler(), KNeighborsClassifier(5)).fit(xtr, y[:n_train]).predict_proba(xte).tolist(),
        "knnRegression": KNeighborsRegressor(5).fit(xtr, target[:n_train]).predict(xte).tolist(),
        "nbProba": GaussianNB().fit(xtr, y[:n_train]).predict_proba(xte).tolist(),
        "nbSmoothedProba": GaussianNB(var_smoothing=1e-3).fit(xtr, y[:n_train]).predict_proba(xte).tolist(),
    }
    nb = GaussianNB().fit(xtr, y[:n_train])
    # Rows far outside the training cloud: every class's likelihood underflows exp() on its own.
    far = np.ascontiguousarray(xte[:10] * 40.0)
    out["xFar"] = far.tolist()
    out["nbFarProba"] = nb.predict_proba(far).tolist()
    out["nbFarJll"] = nb._joint_log_likelihood(far).tolist()
    out["nbMean"] = nb.theta_.tolist()
    out["nbVariance"] = nb.var_.tolist()
    out["nbPrior"] = nb.class_prior_.tolist()
    with open(path, "w") as f:
        json.dump(out, f)
        f.write("\n")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "golden":
        golden(sys.argv[2])
        return
    commands = {"gen": gen, "knn": knn, "nb": nb}
    for line in sys.stdin:
        c = json.loads(line)
        print(json.dumps(commands[c["cmd"]](c)), flush=True)


if __name__ == "__main__":
    main()
