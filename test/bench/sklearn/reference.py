#!/usr/bin/python3
"""Reference cross-validation scores from scikit-learn for test/bench/quality.bench.ts.

Run once with Debian's python3-sklearn (not a virtualenv) and commit the output:
    /usr/bin/python3 test/bench/sklearn/reference.py            # writes test/bench/sklearn/reference.json

For each dataset it reads the same CSV mlcycle reads (test/fixtures/data/) and the same folds mlcycle
makes (test/bench/sklearn/folds/<dataset>.json, written by test/bench/quality-data.ts with mlcycle's own
splitters), and fits per fold the preprocessing of transformers/auto-preprocess: numeric columns median-
imputed then standard-scaled, string columns most-frequent-imputed then one-hot encoded (unknown → all
zeros), all fitted on the fold's training rows only. The estimators are speed-peer.py's (the settings
mlcycle's algorithms use; see below). Standard deviations are population (ddof = 0), like
evaluators/cross-validation.
"""
import csv
import importlib.util
import json
import math
import platform
import sys
import warnings
from pathlib import Path

import numpy as np
import scipy
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.exceptions import ConvergenceWarning
from sklearn.impute import SimpleImputer
from sklearn.metrics import (accuracy_score, balanced_accuracy_score, f1_score, mean_absolute_error,
                             mean_squared_error, r2_score)
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

ROOT = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent
DATASETS = ['iris', 'penguins', 'cars', 'diabetes', 'digits']
MISSING = {'', 'NA', 'N/A', 'null', 'NaN'}  # loaders/csv's default missing cells


def _speed_peer():
    """The estimators of speed-peer.py (npm run bench:speed), so both benchmarks compare with the same models."""
    spec = importlib.util.spec_from_file_location('speed_peer', HERE / 'speed-peer.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# scikit-learn defaults with the settings mlcycle's algorithms use (issue 6): LogisticRegression(C=1,
# max_iter=1000); LinearRegression(); MLP hidden (100,), adam, lr 1e-3, batch min(200, n), at most 200
# iterations, early stopping on a 10% validation share (tol 1e-4, 10 iterations without change), the
# regression target standardised (TransformedTargetRegressor, as mlcycle does); RandomForest*(100 trees);
# DecisionTree*; KNeighbors*(5); GaussianNB(). All random_state 0.
_PEER = _speed_peer()
CLASSIFIERS = _PEER.CLASSIFIERS
REGRESSORS = _PEER.REGRESSORS


def read_csv(path, target):
    with open(path, newline='', encoding='utf-8') as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    columns = {name: [None if r[i].strip() in MISSING else r[i] for r in body] for i, name in enumerate(header)}

    def numeric(values):
        try:
            [float(v) for v in values if v is not None]
            return True
        except ValueError:
            return False

    features = [c for c in header if c != target]
    num = [c for c in features if numeric(columns[c])]
    cat = [c for c in features if c not in num]
    x = np.empty((len(body), len(features)), dtype=object)
    for j, c in enumerate(features):
        for i, v in enumerate(columns[c]):
            x[i, j] = np.nan if v is None else (float(v) if c in num else v)
    y = columns[target]
    return x, y, features, num, cat


def preprocessor(features, num, cat):
    parts = [('num', Pipeline([('impute', SimpleImputer(strategy='median')), ('scale', StandardScaler())]),
              [features.index(c) for c in num])]
    if cat:
        parts.append(('cat', Pipeline([('impute', SimpleImputer(strategy='most_frequent')),
                                       ('onehot', OneHotEncoder(handle_unknown='ignore'))]),
                      [features.index(c) for c in cat]))
    return ColumnTransformer(parts, sparse_threshold=0)


def summary(values):
    mean = float(np.mean(values))
    return {'mean': mean, 'std': float(np.std(values)), 'values': [float(v) for v in values]}


def score(task, y_true, y_pred):
    if task == 'regression':
        return {'r2': r2_score(y_true, y_pred), 'rmse': math.sqrt(mean_squared_error(y_true, y_pred)),
                'mae': mean_absolute_error(y_true, y_pred)}
    return {'accuracy': accuracy_score(y_true, y_pred), 'balanced_accuracy': balanced_accuracy_score(y_true, y_pred),
            'f1_macro': f1_score(y_true, y_pred, average='macro')}


def run_dataset(name):
    folds = json.loads((HERE / 'folds' / f'{name}.json').read_text())
    x, y, features, num, cat = read_csv(ROOT / folds['csv'], folds['target'])
    task = folds['task']
    assert len(y) == folds['rows'], f"{name}: CSV has {len(y)} rows, folds were made for {folds['rows']}"
    y = np.array([float(v) for v in y]) if task == 'regression' else np.array(y, dtype=object)
    every = np.arange(len(y))
    out = {}
    for algorithm, make in (REGRESSORS if task == 'regression' else CLASSIFIERS).items():
        per_fold = []
        for test in folds['test']:
            test = np.array(test)
            train = np.setdiff1d(every, test)
            model = Pipeline([('prep', preprocessor(features, num, cat)), ('model', make())])
            model.fit(x[train], y[train])
            per_fold.append(score(task, y[test], model.predict(x[test])))
        out[algorithm] = {m: summary([f[m] for f in per_fold]) for m in per_fold[0]}
        shown = 'r2' if task == 'regression' else 'accuracy'
        print(f"{name:9} {algorithm:7} {shown} {out[algorithm][shown]['mean']:.4f} ± {out[algorithm][shown]['std']:.4f}",
              file=sys.stderr)
    return out, {'csv': folds['csv'], 'target': folds['target'], 'task': task, 'rows': folds['rows'],
                 'splitter': folds['splitter'], 'k': folds['k'], 'seed': folds['seed'],
                 'numeric': num, 'categorical': cat}


def main():
    warnings.filterwarnings('ignore', category=ConvergenceWarning)
    result = {}
    meta = {
        'generatedBy': 'test/bench/sklearn/reference.py',
        'python': platform.python_version(), 'sklearn': sklearn.__version__, 'numpy': np.__version__,
        'scipy': scipy.__version__, 'std': 'population (ddof = 0)',
        'preprocessing': 'per fold: numeric median impute + StandardScaler; string most_frequent impute + OneHotEncoder(handle_unknown=ignore)',
        'mlp': {k: list(v) if isinstance(v, tuple) else v for k, v in _PEER.MLP.items()},
        'estimators': {
            'classification': {k: repr(v()) for k, v in CLASSIFIERS.items()},
            'regression': {k: repr(v()) for k, v in REGRESSORS.items()},
        },
        'datasets': {},
    }
    for name in DATASETS:
        result[name], meta['datasets'][name] = run_dataset(name)
    out = HERE / 'reference.json'
    out.write_text(json.dumps({'_meta': meta, **result}, indent=1) + '\n')
    print(f'wrote {out.relative_to(ROOT)}', file=sys.stderr)


if __name__ == '__main__':
    main()
