#!/usr/bin/python3
"""Golden coefficients from scikit-learn for test/plugins/linear-solvers.test.ts.

Run with Debian's python3-sklearn (1.2.1) and commit the output:
    /usr/bin/python3 test/bench/sklearn/linear-golden.py       # writes test/fixtures/linear-golden.json

Small standardised datasets with fixed seeds; values are rounded to 5 significant digits BEFORE
fitting, so the JSON holds exactly the data scikit-learn saw.

Logistic fits record two references: `lbfgs` (solver='lbfgs', tol=1e-10, max_iter=10000) and
`optimum` (solver='newton-cg', tol=1e-6 on its summed objective's gradient). scipy's L-BFGS-B also stops on a relative decrease of the
objective below 64·eps (scikit-learn cannot change that), which on ill-conditioned data (the
redundant features of 'wide4') leaves lbfgs ~1e-4 from the optimum; Newton-CG gets there. The script
refuses references whose gradient (of scikit-learn's mean objective) is not small.
"""
import json
import warnings
from pathlib import Path

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.datasets import make_classification, make_regression
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.preprocessing import StandardScaler

ROOT = Path(__file__).resolve().parents[3]
OUT = ROOT / 'test' / 'fixtures' / 'linear-golden.json'
SHOW = 8  # rows whose predictions are recorded


def r5(a):
    return np.array([float(f'{v:.5g}') for v in np.ravel(a)]).reshape(np.shape(a))


def std(x):
    return r5(StandardScaler().fit_transform(x))


def regression_sets():
    x, y = make_regression(n_samples=300, n_features=8, n_informative=6, noise=5.0, random_state=1)
    yield 'regression', std(x), r5(y + 250.0)

    # Like auto-preprocess: standardised numbers, a duplicated column, full one-hot dummies (they sum
    # to the intercept) and a constant column.
    rng = np.random.default_rng(2)
    num = std(rng.normal(size=(240, 4)))
    cat = rng.integers(0, 3, size=240)
    onehot = np.eye(3)[cat]
    x = np.hstack([num, num[:, [1]], onehot, np.ones((240, 1))])
    y = num @ [1.5, -2.0, 0.5, 3.0] + onehot @ [4.0, -1.0, 2.0] + 40.0 + rng.normal(scale=0.3, size=240)
    yield 'collinear', x, r5(y)

    x, y = make_regression(n_samples=150, n_features=35, n_informative=20, noise=10.0, random_state=3)
    yield 'wide', std(x), r5(y - 80.0)


def classification_sets():
    # No redundant (linearly dependent) features here, so the unpenalised fits are well posed.
    x, y = make_classification(n_samples=300, n_features=6, n_informative=4, n_redundant=0, random_state=4)
    yield 'binary', std(x), y, True
    x, y = make_classification(n_samples=300, n_features=8, n_informative=5, n_redundant=0, n_classes=3, n_clusters_per_class=1, random_state=5)
    yield 'multiclass', std(x), y, True
    # Two redundant features make it ill-conditioned: penalised fits only.
    x, y = make_classification(n_samples=150, n_features=32, n_informative=10, n_classes=4, n_clusters_per_class=1, flip_y=0.2, random_state=6)
    yield 'wide4', std(x), y, False


def mean_objective_gradient(x, y, coef, intercept, C, fit_intercept):
    """Max |gradient| of mean log loss + ||W||^2 / (2 C n), the objective scikit-learn 1.2 minimises."""
    n = x.shape[0]
    z = x @ coef.T + intercept
    if coef.shape[0] == 1:
        r = (1 / (1 + np.exp(-z[:, 0])) - y)[:, None]
    else:
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        r = p - np.eye(coef.shape[0])[y]
    gw = r.T @ x / n + (coef / (C * n) if C is not None else 0)
    gb = r.sum(axis=0) / n if fit_intercept else np.zeros(0)
    return float(max(np.abs(gw).max(), np.abs(gb).max(initial=0)))


def logistic(x, y, solver, tol, kwargs):
    model = LogisticRegression(solver=solver, tol=tol, max_iter=10000, **kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter('error', ConvergenceWarning)  # a reference that did not converge is no reference
        model.fit(x, y)
    grad = mean_objective_gradient(x, y, model.coef_, model.intercept_, kwargs.get('C', 1.0) if 'penalty' not in kwargs else None,
                                   kwargs.get('fit_intercept', True))
    return {'coef': np.ravel(model.coef_).tolist(), 'intercept': np.ravel(model.intercept_).tolist(),
            'nIter': int(np.max(model.n_iter_)), 'maxGradient': grad,
            'proba': np.ravel(model.predict_proba(x[:SHOW])).tolist()}


def main():
    out = {'sklearn': sklearn.__version__, 'regression': [], 'classification': []}
    for name, x, y in regression_sets():
        fits = []
        for label, model, alpha, icpt in [
            ('LinearRegression()', LinearRegression(), 0.0, True),
            ('Ridge(alpha=1)', Ridge(alpha=1.0, solver='cholesky'), 1.0, True),
            ('Ridge(alpha=25)', Ridge(alpha=25.0, solver='cholesky'), 25.0, True),
            ('Ridge(alpha=1, fit_intercept=False)', Ridge(alpha=1.0, solver='cholesky', fit_intercept=False), 1.0, False),
        ]:
            model.fit(x, y)
            fits.append({'model': label, 'alpha': alpha, 'fitIntercept': icpt, 'coef': model.coef_.tolist(),
                         'intercept': float(model.intercept_), 'predict': model.predict(x[:SHOW]).tolist()})
        out['regression'].append({'name': name, 'rows': x.shape[0], 'cols': x.shape[1],
                                  'x': np.ravel(x).tolist(), 'y': y.tolist(), 'fits': fits})
    for name, x, y, unpenalised in classification_sets():
        fits = []
        for label, kwargs, C, icpt in [
            ('C=1', dict(C=1.0), 1.0, True),
            ('C=0.01', dict(C=0.01), 0.01, True),
            ('C=1, fit_intercept=False', dict(C=1.0, fit_intercept=False), 1.0, False),
            ('penalty=None', dict(penalty=None), None, True),
        ]:
            if C is None and not unpenalised:
                continue
            lbfgs = logistic(x, y, 'lbfgs', 1e-10, kwargs)
            optimum = logistic(x, y, 'newton-cg', 1e-6, kwargs)
            assert optimum['maxGradient'] < 1e-7, (name, label, optimum['maxGradient'])
            gap = float(np.abs(np.array(lbfgs['coef']) - optimum['coef']).max())
            fits.append({'model': f'LogisticRegression({label})', 'C': C, 'fitIntercept': icpt,
                         'lbfgs': lbfgs, 'optimum': optimum, 'lbfgsGap': gap})
            print(f'{name:10} {label:26} lbfgs {lbfgs["nIter"]:3} it, |grad| {lbfgs["maxGradient"]:.1e}, '
                  f'|coef - optimum| {gap:.1e}; newton-cg |grad| {optimum["maxGradient"]:.1e}')
        out['classification'].append({'name': name, 'rows': x.shape[0], 'cols': x.shape[1], 'k': int(y.max()) + 1,
                                      'x': np.ravel(x).tolist(), 'y': y.tolist(), 'fits': fits})
    OUT.write_text(json.dumps(out, separators=(',', ':')) + '\n')
    print(f'wrote {OUT} ({OUT.stat().st_size} bytes)')


if __name__ == '__main__':
    main()
