"""Optuna 3.1 side of `npm run bench:sweep` (Debian: apt-get install python3-optuna).

  python3 sweep-peer.py quality <function> <seeds> <trials>   -> JSON regrets of Optuna TPE and random
  python3 sweep-peer.py cost <function> <n_finished> <asks>     -> JSON seconds per ask (sample path)

The functions are the ones of sweep-functions.ts, formula for formula.
"""
import json
import math
import sys
import time

import numpy as np
import optuna
from optuna.distributions import FloatDistribution
from optuna.trial import create_trial

optuna.logging.set_verbosity(optuna.logging.WARNING)

H_A = np.array([[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]])
H_P = 1e-4 * np.array([[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
                       [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]])
H_ALPHA = [1.0, 1.2, 3.0, 3.2]


def branin(x):
    b, c = 5.1 / (4 * math.pi ** 2), 5 / math.pi
    return (x[1] - b * x[0] ** 2 + c * x[0] - 6) ** 2 + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x[0]) + 10


def hartmann6(x):
    s = 0.0
    for i in range(4):
        s += H_ALPHA[i] * math.exp(-sum(H_A[i][j] * (x[j] - H_P[i][j]) ** 2 for j in range(6)))
    return -s


def styblinski_tang(x):
    return 0.5 * sum(v ** 4 - 16 * v ** 2 + 5 * v for v in x)


FUNCTIONS = {
    "branin": (branin, [(-5, 10), (0, 15)], 0.397887357729738),
    "hartmann6": (hartmann6, [(0, 1)] * 6, -3.32236801141551),
    "styblinski-tang10": (styblinski_tang, [(-5, 5)] * 10, -39.16616570377142 * 10),
}


def objective(name):
    f, bounds, _ = FUNCTIONS[name]
    return lambda t: f([t.suggest_float(f"x{i}", lo, hi) for i, (lo, hi) in enumerate(bounds)])


def quality(name, seeds, trials):
    _, _, optimum = FUNCTIONS[name]
    out = {}
    for label, make in (("optuna-tpe", lambda s: optuna.samplers.TPESampler(seed=s)),
                        ("optuna-random", lambda s: optuna.samplers.RandomSampler(seed=s))):
        curves = []
        for seed in range(seeds):
            study = optuna.create_study(sampler=make(seed))
            study.optimize(objective(name), n_trials=trials)
            best, curve = math.inf, []
            for t in study.trials:
                best = min(best, t.value)
                curve.append(best - optimum)
            curves.append(curve)
        out[label] = curves
    return out


def cost(name, n_finished, asks):
    f, bounds, _ = FUNCTIONS[name]
    rng = np.random.RandomState(0)
    dists = {f"x{i}": FloatDistribution(lo, hi) for i, (lo, hi) in enumerate(bounds)}
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0))
    trials = []
    for _ in range(n_finished):
        params = {k: float(rng.uniform(d.low, d.high)) for k, d in dists.items()}
        trials.append(create_trial(params=params, distributions=dists, value=f(list(params.values()))))
    study.add_trials(trials)
    times = []
    for _ in range(asks):
        t0 = time.perf_counter()
        trial = study.ask()
        for k, d in dists.items():
            trial.suggest_float(k, d.low, d.high)
        times.append(time.perf_counter() - t0)
        # Leave it running: TPE (constant_liar off) ignores running trials, so n stays n_finished.
    return {"seconds": times}


if __name__ == "__main__":
    assert optuna.__version__.startswith("3.1"), optuna.__version__
    mode, name = sys.argv[1], sys.argv[2]
    if mode == "quality":
        print(json.dumps(quality(name, int(sys.argv[3]), int(sys.argv[4]))))
    else:
        print(json.dumps(cost(name, int(sys.argv[3]), int(sys.argv[4]))))
