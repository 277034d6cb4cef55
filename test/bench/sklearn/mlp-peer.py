"""scikit-learn's side of test/bench/mlp.bench.ts, and the golden values of test/plugins/mlp-net.test.ts.

  python3 mlp-peer.py golden                      loss and gradients of sklearn's _backprop on fixed weights (JSON)
  python3 mlp-peer.py time CSV HIDDEN EPOCHS      ms per epoch of MLPClassifier(max_iter=EPOCHS, tol=0), HIDDEN like 100 or 32,16
  python3 mlp-peer.py parity CSV                  accuracy / R² at defaults on the CSV's train/test split (JSON)

The CSV (written by the bench) has columns f0..f19, y (class), r (regression target), part (train/test).
"""
import json
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier, MLPRegressor

warnings.filterwarnings("ignore", category=ConvergenceWarning)


def golden():
    """A 3-4-k net with weights sin(i + 1) / 2 laid out as mlcycle's flat vector (per layer: coefs, intercepts)."""
    X = np.array([[np.cos(r * 3 + c + 1) for c in range(3)] for r in range(5)])
    cases = {
        "multiclass": (MLPClassifier, "relu", "softmax", np.eye(3)[[0, 2, 1, 0, 2]]),
        "binary": (MLPClassifier, "tanh", "logistic", np.array([[0.0], [1], [1], [0], [1]])),
        "regression": (MLPRegressor, "logistic", "identity", np.array([[0.5], [-1], [2], [0], [1.5]])),
    }
    out = {}
    for name, (cls, act, out_act, Y) in cases.items():
        layers = [3, 4, Y.shape[1]]
        m = cls(hidden_layer_sizes=(4,), activation=act, alpha=0.1)
        m.n_layers_, m.out_activation_, m.n_outputs_ = 3, out_act, Y.shape[1]
        m.loss = "log_loss" if cls is MLPClassifier else "squared_error"
        flat, i, coefs, inters = [], 0, [], []
        for a, b in zip(layers[:-1], layers[1:]):
            w = np.array([np.sin(i + 1 + q) / 2 for q in range(a * b)]).reshape(a, b)
            i += a * b
            bias = np.array([np.sin(i + 1 + q) / 2 for q in range(b)])
            i += b
            coefs.append(w)
            inters.append(bias)
        m.coefs_, m.intercepts_ = coefs, inters
        acts = [X] + [None] * 2
        loss, cg, ig = m._backprop(X, Y, acts, [None] * 2, [np.empty_like(c) for c in coefs], [np.empty_like(b) for b in inters])
        grad = np.concatenate([np.concatenate([c.ravel(), b]) for c, b in zip(cg, ig)])
        out[name] = {"loss": loss, "grad": grad.tolist(), "output": acts[-1].ravel().tolist()}
    print(json.dumps(out))


def load(path):
    import pandas as pd

    df = pd.read_csv(path)
    feats = [c for c in df.columns if c.startswith("f")]
    return df, feats


def timing(path, hidden, epochs):
    df, feats = load(path)
    X, y = df[feats].to_numpy(), df["y"].to_numpy()
    m = MLPClassifier(hidden_layer_sizes=hidden, max_iter=epochs, tol=0, n_iter_no_change=100000, random_state=0)
    t = time.perf_counter()
    m.fit(X, y)
    ms = (time.perf_counter() - t) * 1000
    print(json.dumps({"msPerEpoch": ms / m.n_iter_, "epochs": m.n_iter_, "loss": m.loss_}))


def parity(path):
    df, feats = load(path)
    tr, te = df[df.part == "train"], df[df.part == "test"]
    out = {}
    for seed in range(3):
        clf = MLPClassifier(random_state=seed).fit(tr[feats], tr.y)
        out.setdefault("accuracy", []).append(clf.score(te[feats], te.y))
        clf = MLPClassifier(random_state=seed, early_stopping=True).fit(tr[feats], tr.y)
        out.setdefault("accuracyEarly", []).append(clf.score(te[feats], te.y))
        # sklearn does not standardise y: the raw far-from-zero target, and the standardised one the caller gives mlcycle.
        reg = MLPRegressor(random_state=seed).fit(tr[feats], tr.r)
        out.setdefault("r2Raw", []).append(reg.score(te[feats], te.r))
        mu, sd = tr.r.mean(), tr.r.std(ddof=0)
        reg = MLPRegressor(random_state=seed).fit(tr[feats], (tr.r - mu) / sd)
        pred = reg.predict(te[feats]) * sd + mu
        out.setdefault("r2Scaled", []).append(1 - ((te.r - pred) ** 2).sum() / ((te.r - te.r.mean()) ** 2).sum())
    print(json.dumps(out))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "golden":
        golden()
    elif mode == "time":
        timing(sys.argv[2], tuple(int(h) for h in sys.argv[3].split(",")), int(sys.argv[4]))
    elif mode == "parity":
        parity(sys.argv[2])
