/**
 * The datasets and algorithms of the quality benchmark, shared by quality-data.ts (which writes the
 * fixtures and fold files) and quality.bench.ts (which runs dags/tabular.ts on them).
 */

export interface DatasetInfo {
  name: string;
  /** The CSV both mlcycle and scikit-learn read, relative to the repository root. */
  csv: string;
  target: string;
  task: 'multiclass' | 'binary' | 'regression';
  algorithms: string[];
}

export const FOLDS_K = 5;
export const FOLDS_SEED = 0;

const CLASSIFIERS = ['logreg', 'mlp', 'forest', 'tree', 'knn', 'bayes'];
const REGRESSORS = ['linear', 'mlp', 'forest', 'tree', 'knn'];

export const DATASETS: DatasetInfo[] = [
  { name: 'iris', csv: 'test/fixtures/data/iris.csv', target: 'species', task: 'multiclass', algorithms: CLASSIFIERS },
  { name: 'penguins', csv: 'test/fixtures/data/penguins.csv', target: 'Species', task: 'multiclass', algorithms: CLASSIFIERS },
  { name: 'cars', csv: 'test/fixtures/data/cars-mpg.csv', target: 'Miles_per_Gallon', task: 'regression', algorithms: REGRESSORS },
  // A regression target far from zero (25–346): a model that does not standardise it shows it.
  { name: 'diabetes', csv: 'test/fixtures/data/diabetes.csv', target: 'progression', task: 'regression', algorithms: REGRESSORS },
  // Wide and multi-class: 64 pixel features (many constant), 10 classes.
  { name: 'digits', csv: 'test/fixtures/data/digits.csv', target: 'digit', task: 'multiclass', algorithms: CLASSIFIERS },
];

/** Within target: accuracy within 1.5 points of scikit-learn, R² within 0.03. */
export const TOLERANCE: Record<string, number> = { accuracy: 0.015, r2: 0.03 };
