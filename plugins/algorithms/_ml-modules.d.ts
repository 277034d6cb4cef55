// Minimal typings for the ml.js packages that ship none (ml-random-forest's own are not valid TypeScript).
// Only what the algorithm plugins call is declared.

declare module 'ml-cart' {
  export interface TreeOptions { maxDepth?: number; minNumSamples?: number; gainThreshold?: number }
  export class DecisionTreeClassifier {
    constructor(options?: TreeOptions);
    root: { classify(row: number[]): { to1DArray(): number[] } };
    train(x: number[][], y: number[]): void;
    predict(x: number[][]): number[];
    toJSON(): unknown;
    static load(json: unknown): DecisionTreeClassifier;
  }
  export class DecisionTreeRegression {
    constructor(options?: TreeOptions);
    train(x: number[][], y: number[]): void;
    predict(x: number[][]): number[];
    toJSON(): unknown;
    static load(json: unknown): DecisionTreeRegression;
  }
}

declare module 'ml-knn' {
  export default class KNN {
    constructor(x: number[][], y: number[], options?: { k?: number });
    k: number;
    kdTree: { nearest(point: number[], k: number): Array<[number[], number]> };
    predict(x: number[][]): number[];
    toJSON(): unknown;
    static load(json: unknown): KNN;
  }
}

declare module 'ml-naivebayes' {
  export class GaussianNB {
    train(x: number[][], y: number[]): void;
    toJSON(): { modelName: string; means: number[][]; calculateProbabilities: Array<[number, ...Array<[number, number]>]> };
    static load(json: unknown): GaussianNB;
  }
}
