#!/usr/bin/python3
"""scikit-learn's side of test/bench/speed.bench.ts (npm run bench:speed), run with Debian's python3-sklearn.

Two modes:
    /usr/bin/python3 test/bench/sklearn/speed-peer.py generate <folder> <dataset>...
        writes <folder>/<dataset>.csv for each dataset named in DATASETS (seeded, so every run of the
        bench reads the same tables) and prints one JSON line of versions {python, sklearn, numpy, pandas},
        then one per file: {dataset, csv, rows, features, task}.
    /usr/bin/python3 test/bench/sklearn/speed-peer.py cv <csv> <target> <algorithm> [--folds 5] [--jobs 2]
        what a scikit-learn user would write for dags/tabular.ts's cross-validation: pandas read_csv, the
        preprocessing of transformers/auto-preprocess in a Pipeline (numbers: median impute +
        StandardScaler; strings: most-frequent impute + one-hot), cross_val_score with StratifiedKFold
        (KFold for regression), 5 folds, shuffle, random_state 0, n_jobs 2. Prints one JSON line:
        {algorithm, task, metric, mean, std, values, seconds: {read, cv, total}}.

The task follows mlcycle's problem/define with task 'auto': a numeric target with at most 10 distinct whole
values, or a non-numeric one, is classification; anything else regression. The estimators carry the
settings mlcycle's algorithms use (issue 6); bench wall time and peak memory come from /usr/bin/time
around this whole process, imports included, as mlcycle's come from around `node cli/bin.mjs`.
"""
import json
import sys
import time
import warnings

STARTED = time.perf_counter()

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor  # noqa: E402
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.impute import SimpleImputer  # noqa: E402
from sklearn.linear_model import LinearRegression, LogisticRegression  # noqa: E402
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_score  # noqa: E402
from sklearn.naive_bayes import GaussianNB  # noqa: E402
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor  # noqa: E402
from sklearn.neural_network import MLPClassifier, MLPRegressor  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import OneHotEncoder, StandardScaler  # noqa: E402
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor  # noqa: E402

SEED = 0

# The generated tables. Regression targets are shifted far from zero (+1000) so a model that does not
# standardise its target (or forgets the intercept) shows it; the wide table has 64 features, 10 classes.
DATASETS = {
    'cls-10k': dict(kind='classification', rows=10_000, features=20, informative=10, classes=3),
    'reg-10k': dict(kind='regression', rows=10_000, features=20, informative=10),
    'cls-100k': dict(kind='classification', rows=100_000, features=20, informative=10, classes=3),
    'reg-100k': dict(kind='regression', rows=100_000, features=20, informative=10),
    'wide-10k': dict(kind='classification', rows=10_000, features=64, informative=32, classes=10),
}
REGRESSION_SHIFT = 1000.0
REGRESSION_NOISE = 50.0

# scikit-learn-like MLP settings, which mlcycle's MLP adopts (issue 6); shared with reference.py.
MLP = dict(hidden_layer_sizes=(100,), activation='relu', solver='adam', alpha=1e-4, batch_size='auto',
           learning_rate_init=1e-3, max_iter=200, early_stopping=True, validation_fraction=0.1,
           n_iter_no_change=10, tol=1e-4)

CLASSIFIERS = {
    'logreg': lambda: LogisticRegression(C=1.0, max_iter=1000),
    'mlp': lambda: MLPClassifier(**MLP, random_state=SEED),
    # n_jobs=1 inside: cross_val_score's n_jobs=2 already occupies both cores.
    'forest': lambda: RandomForestClassifier(n_estimators=100, random_state=SEED, n_jobs=1),
    'tree': lambda: DecisionTreeClassifier(random_state=SEED),
    'knn': lambda: KNeighborsClassifier(n_neighbors=5),
    'bayes': lambda: GaussianNB(),
}
REGRESSORS = {
    'linear': lambda: LinearRegression(),
    'mlp': lambda: TransformedTargetRegressor(regressor=MLPRegressor(**MLP, random_state=SEED), transformer=StandardScaler()),
    'forest': lambda: RandomForestRegressor(n_estimators=100, random_state=SEED, n_jobs=1),
    'tree': lambda: DecisionTreeRegressor(random_state=SEED),
    'knn': lambda: KNeighborsRegressor(n_neighbors=5),
}


def generate(folder, names):
    import platform

    import sklearn
    from sklearn.datasets import make_classification, make_regression
    print(json.dumps({'python': platform.python_version(), 'sklearn': sklearn.__version__, 'numpy': np.__version__,
                      'pandas': pd.__version__}), flush=True)
    for name in names:
        spec = DATASETS[name]
        if spec['kind'] == 'classification':
            x, y = make_classification(n_samples=spec['rows'], n_features=spec['features'],
                                       n_informative=spec['informative'], n_redundant=2,
                                       n_classes=spec['classes'], random_state=SEED)
        else:
            x, y = make_regression(n_samples=spec['rows'], n_features=spec['features'],
                                   n_informative=spec['informative'], noise=REGRESSION_NOISE, random_state=SEED)
            y = y + REGRESSION_SHIFT
        frame = pd.DataFrame(x, columns=[f'x{i}' for i in range(x.shape[1])])
        frame['y'] = y
        path = f'{folder}/{name}.csv'
        # 7 significant digits: both sides parse the same text, and the file stays a realistic size.
        frame.to_csv(path, index=False, float_format='%.7g')
        print(json.dumps({'dataset': name, 'csv': path, 'rows': int(x.shape[0]), 'features': int(x.shape[1]),
                          'task': spec['kind']}), flush=True)


def is_regression(y):
    if not pd.api.types.is_numeric_dtype(y):
        return False
    values = y.dropna().unique()
    return len(values) > 10 or not np.all(np.equal(np.mod(values, 1), 0))


def preprocessor(frame):
    numeric = list(frame.select_dtypes(include='number').columns)
    other = [c for c in frame.columns if c not in numeric]
    parts = [('num', Pipeline([('impute', SimpleImputer(strategy='median')), ('scale', StandardScaler())]), numeric)]
    if other:
        parts.append(('cat', Pipeline([('impute', SimpleImputer(strategy='most_frequent')),
                                       ('onehot', OneHotEncoder(handle_unknown='ignore'))]), other))
    return ColumnTransformer(parts, sparse_threshold=0)


def cross_validate(csv, target, algorithm, folds, jobs):
    warnings.filterwarnings('ignore', category=ConvergenceWarning)
    read_started = time.perf_counter()
    frame = pd.read_csv(csv)
    read = time.perf_counter() - read_started
    y = frame.pop(target)
    regression = is_regression(y)
    makers = REGRESSORS if regression else CLASSIFIERS
    if algorithm not in makers:
        sys.exit(f"speed-peer.py: algorithm '{algorithm}' does not fit a {'regression' if regression else 'classification'} target; use one of {', '.join(makers)}")
    if not regression:
        y = y.astype(str)
    model = Pipeline([('prep', preprocessor(frame)), ('model', makers[algorithm]())])
    splitter = (KFold if regression else StratifiedKFold)(n_splits=folds, shuffle=True, random_state=SEED)
    metric = 'r2' if regression else 'accuracy'
    cv_started = time.perf_counter()
    values = cross_val_score(model, frame, y, cv=splitter, scoring=metric, n_jobs=jobs)
    cv = time.perf_counter() - cv_started
    print(json.dumps({
        'algorithm': algorithm, 'task': 'regression' if regression else 'classification', 'metric': metric,
        'mean': float(np.mean(values)), 'std': float(np.std(values)), 'values': [float(v) for v in values],
        'seconds': {'read': read, 'cv': cv, 'total': time.perf_counter() - STARTED},
        'estimator': repr(makers[algorithm]()),
    }), flush=True)


def main(argv):
    if len(argv) >= 2 and argv[0] == 'generate':
        unknown = [n for n in argv[2:] if n not in DATASETS]
        if unknown:
            sys.exit(f"speed-peer.py: unknown dataset(s) {', '.join(unknown)}; known: {', '.join(DATASETS)}")
        generate(argv[1], argv[2:])
    elif len(argv) >= 4 and argv[0] == 'cv':
        rest = argv[4:]
        folds = int(rest[rest.index('--folds') + 1]) if '--folds' in rest else 5
        jobs = int(rest[rest.index('--jobs') + 1]) if '--jobs' in rest else 2
        cross_validate(argv[1], argv[2], argv[3], folds, jobs)
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(sys.argv[1:])
