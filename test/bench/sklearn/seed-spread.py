"""scikit-learn's own spread over random_state 0-7 for the quality bench's seed-sensitive cases.

A fully grown tree breaks ties between equally good splits at random, and an MLP with early stopping
on a few dozen held-out rows stops wherever its seed leads it: on the small datasets the score moves
by more than the quality bench's tolerance with the seed alone. This prints, per case, the mean over
the same folds as reference.py for each seed, so a difference from reference.json (seed 0) can be read
against that spread.
    /usr/bin/python3 test/bench/sklearn/seed-spread.py              writes seed-spread.json (the default cases)
    /usr/bin/python3 test/bench/sklearn/seed-spread.py iris/mlp ...  prints those cases only
quality.bench.ts reads seed-spread.json: a case listed there is within target when mlcycle's mean lies in
scikit-learn's range over the seeds, widened by the usual tolerance.
"""
import json
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

DEFAULT_CASES = ['iris/mlp', 'penguins/mlp', 'cars/mlp', 'diabetes/mlp', 'cars/tree', 'diabetes/tree', 'iris/tree', 'penguins/tree']
CASES = sys.argv[1:] or DEFAULT_CASES


def main():
    warnings.filterwarnings('ignore', category=ConvergenceWarning)
    spread = {}
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
            values.append(out[algorithm][metric]['mean'])
        spread[case] = {'metric': metric, 'seeds': list(range(8)), 'values': values, 'min': min(values), 'max': max(values)}
        print(f"{case:15} seeds 0-7: {' '.join(f'{v * 100:.2f}' for v in values)}  "
              f"(min {min(values) * 100:.2f}, max {max(values) * 100:.2f})", file=sys.stderr)
    if not sys.argv[1:]:
        (HERE / 'seed-spread.json').write_text(json.dumps(spread, indent=1) + '\n')
        print(f"wrote {HERE / 'seed-spread.json'}", file=sys.stderr)


main()
