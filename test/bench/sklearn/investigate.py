#!/usr/bin/python3
"""Why three quality targets miss: the same folds and preprocessing as reference.py, with scikit-learn
estimators changed to mlcycle's defaults one at a time (never written to reference.json).
    /usr/bin/python3 test/bench/sklearn/investigate.py
"""
import sys, json, numpy as np
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
import reference as R
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.tree import DecisionTreeRegressor, DecisionTreeClassifier
from sklearn.neural_network import MLPRegressor
from sklearn.compose import TransformedTargetRegressor
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import Pipeline
import warnings; warnings.filterwarnings('ignore')
def cv(name, make, metric):
    folds = json.load(open(R.HERE / "folds" / f"{name}.json"))
    x, y, f, num, cat = R.read_csv(R.ROOT / folds['csv'], folds['target'])
    task = folds['task']
    y = np.array([float(v) for v in y]) if task == 'regression' else np.array(y, dtype=object)
    vals = []
    for t in folds['test']:
        t = np.array(t); tr = np.setdiff1d(np.arange(len(y)), t)
        m = Pipeline([('p', R.preprocessor(f, num, cat)), ('m', make())]).fit(x[tr], y[tr])
        vals.append(R.score(task, y[t], m.predict(x[t]))[metric])
    return f'{np.mean(vals)*100:.2f} ± {np.std(vals)*100:.2f}'
print('iris logreg C=1 (default)', cv('iris', lambda: LogisticRegression(max_iter=1000), 'accuracy'))
print('iris logreg penalty=None ', cv('iris', lambda: LogisticRegression(penalty=None, max_iter=5000), 'accuracy'))
print('penguins logreg penalty=None', cv('penguins', lambda: LogisticRegression(penalty=None, max_iter=5000), 'accuracy'))
for mf in ['sqrt', None]:
    for s in range(5):
        print('penguins forest max_features', mf, 'rs', s, cv('penguins', lambda: RandomForestClassifier(n_estimators=100, max_features=mf, random_state=s), 'accuracy'))
print('penguins forest bagging min_samples_split=4', cv('penguins', lambda: RandomForestClassifier(n_estimators=100, max_features=None, min_samples_split=4, random_state=0), 'accuracy'))
print('cars tree default', cv('cars', lambda: DecisionTreeRegressor(random_state=0), 'r2'))
print('cars tree min_samples_split=4', cv('cars', lambda: DecisionTreeRegressor(min_samples_split=4, random_state=0), 'r2'))
print('penguins tree min_samples_split=4', cv('penguins', lambda: DecisionTreeClassifier(min_samples_split=4, random_state=0), 'accuracy'))
for s in range(5):
    print('cars mlp rs', s, cv('cars', lambda: TransformedTargetRegressor(regressor=MLPRegressor(**{**R.MLP, 'random_state': s}), transformer=StandardScaler()), 'r2'))
