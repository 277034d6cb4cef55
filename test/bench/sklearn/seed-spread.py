"""scikit-learn's own spread over random_state 0-7 for the quality bench's seed-sensitive cases.

A fully grown tree breaks ties between equally good splits at random, and an MLP with early stopping
on a few dozen held-out rows stops wherever its seed leads it: on the small datasets the score moves
by more than the quality bench's tolerance with the seed alone. This prints, per case, the mean over
the same folds as reference.py for each seed, so a difference from reference.json (seed 0) can be read
against that spread.
    /usr/bin/python3 test/bench/sklearn/seed-spread.py [iris/mlp cars/tree ...]
"""
import importlib.util
import sys
import warnings
from pathlib import Path

from sklearn.exceptions import ConvergenceWarning

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location('reference', HERE / 'reference.py')
reference = importlib.util.module_from_spec(spec)
spec.loader.exec_module(reference)
peer = reference._PEER

CASES = sys.argv[1:] or ['iris/mlp', 'penguins/mlp', 'cars/mlp', 'cars/tree', 'diabetes/tree', 'diabetes/mlp']


def main():
    warnings.filterwarnings('ignore', category=ConvergenceWarning)
    for case in CASES:
        dataset, algorithm = case.split('/')
        values = []
        for seed in range(8):
            peer.SEED = seed
            table = reference.CLASSIFIERS if algorithm in reference.CLASSIFIERS and dataset in ('iris', 'penguins', 'digits') else reference.REGRESSORS
            only = {algorithm: table[algorithm]}
            saved = (reference.CLASSIFIERS, reference.REGRESSORS)
            reference.CLASSIFIERS, reference.REGRESSORS = only, only
            try:
                out, _ = reference.run_dataset(dataset)
            finally:
                reference.CLASSIFIERS, reference.REGRESSORS = saved
            metric = 'accuracy' if 'accuracy' in out[algorithm] else 'r2'
            values.append(out[algorithm][metric]['mean'] * 100)
        print(f"{case:15} seeds 0-7: {' '.join(f'{v:.2f}' for v in values)}  (min {min(values):.2f}, max {max(values):.2f})")


main()
