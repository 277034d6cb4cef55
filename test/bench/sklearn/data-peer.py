#!/usr/bin/python3
"""pandas / scikit-learn peer of test/bench/data.bench.ts: the same CSV, the same data steps.

    /usr/bin/python3 test/bench/sklearn/data-peer.py <file.csv> <target> [--load-only]

Prints one JSON line: seconds for pandas.read_csv, for the fit of the preprocessing that
transformers/auto-preprocess fits (numeric: median impute + standard scale; strings: most-frequent
impute + one-hot, unknown → zeros) on 80% of the rows with a target, and for its transform of the train
and test rows; plus the process's peak RSS in MB after read_csv and at the end (getrusage ru_maxrss,
KiB on Linux), and the CPU seconds of read_csv (process_time). Each size runs in a fresh process so the peak belongs to that size alone.
"""
import json
import resource
import sys
import time


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    path, target = sys.argv[1], sys.argv[2]
    load_only = '--load-only' in sys.argv
    import numpy as np
    import pandas as pd
    out = {'start_mb': peak_mb()}

    t = time.perf_counter()
    c = time.process_time()
    df = pd.read_csv(path)
    out['read_csv_s'] = time.perf_counter() - t
    out['read_csv_cpu_s'] = time.process_time() - c
    out['rows'] = int(df.shape[0])
    out['load_peak_mb'] = peak_mb()
    if load_only:
        print(json.dumps(out))
        return

    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    t = time.perf_counter()
    df = df[df[target].notna()]
    rng = np.random.default_rng(0)
    test_mask = rng.random(len(df)) < 0.2
    train, test = df[~test_mask], df[test_mask]
    out['clean_split_s'] = time.perf_counter() - t

    features = [c for c in df.columns if c != target]
    numeric = [c for c in features if pd.api.types.is_numeric_dtype(df[c])]
    strings = [c for c in features if c not in numeric]
    prep = ColumnTransformer([
        ('num', make_pipeline(SimpleImputer(strategy='median'), StandardScaler()), numeric),
        ('cat', make_pipeline(SimpleImputer(strategy='most_frequent'),
                              OneHotEncoder(handle_unknown='ignore', sparse_output=False)), strings),
    ])
    t = time.perf_counter()
    prep.fit(train[features])
    out['fit_s'] = time.perf_counter() - t
    t = time.perf_counter()
    xtr = prep.transform(train[features])
    xte = prep.transform(test[features])
    out['apply_s'] = time.perf_counter() - t
    out['features'] = int(xtr.shape[1])
    out['test_rows'] = int(xte.shape[0])
    out['peak_mb'] = peak_mb()
    print(json.dumps(out))


if __name__ == '__main__':
    main()
