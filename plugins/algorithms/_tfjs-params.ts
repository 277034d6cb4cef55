import { Type } from '../../core/index.ts';

/**
 * Params every tfjs task shares (optimiser, epochs, batching, validation, early stopping, seed).
 * Spread into a task's `Type.Object`; `learningRate` defaults differ by model, so it is a factory.
 * @example
 * params: Type.Object({ ...trainingParams({ learningRate: 0.05 }) })
 */
export function trainingParams(defaults: { learningRate: number; epochs: number }) {
  return {
    optimizer: Type.Enum(['adam', 'sgd', 'rmsprop'], { default: 'adam', description: 'Gradient-descent optimiser.' }),
    learningRate: Type.Number({ exclusiveMinimum: 0, default: defaults.learningRate, description: 'Optimiser step size.' }),
    epochs: Type.Integer({ minimum: 1, default: defaults.epochs, description: 'Passes over the training rows (fewer if early stopping triggers).' }),
    batchSize: Type.Integer({ minimum: 1, default: 32, description: 'Rows per gradient step.' }),
    l2: Type.Number({ minimum: 0, default: 0, description: 'L2 penalty on the kernel weights (0 = none).' }),
    validationFraction: Type.Optional(Type.Number({
      minimum: 0, maximum: 0.9,
      description:
        'Share of training rows held out (seeded) to report val_loss and drive early stopping; 0 = none. ' +
        'Default: 0.1 when early stopping is on (patience > 0), else 0, so that every row is fitted.',
    })),
    patience: Type.Integer({
      minimum: 0, default: 0,
      description: 'Stop after this many epochs without a better val_loss and keep the best weights; 0 = off.',
    }),
    seed: Type.Optional(Type.Integer({ description: 'Seed for weights, shuffling, dropout and the validation split; default: the node seed.' })),
  };
}

/** The values of `trainingParams`, as `run` receives them. */
export interface TrainingParams {
  optimizer: 'adam' | 'sgd' | 'rmsprop';
  learningRate: number;
  epochs: number;
  batchSize: number;
  /** Absent for logistic regression, which takes scikit-learn's `C` instead. */
  l2?: number;
  /** Unset: 0.1 with early stopping, 0 without (see `heldOutRows`). */
  validationFraction?: number;
  patience: number;
  seed?: number;
}
