/**
 * The CART tree builder as code outside this folder uses it: grow the random forest's trees on a dense
 * matrix without the training task around them. The sweep report's parameter importances (fANOVA
 * over a forest of regression trees, cli/sweep-report/importance.ts) are built on it, so they split
 * exactly as the forest does.
 */
export { cartData, presort, type CartData, type CartTree } from './_cart.ts';
export { dense, type Dense } from './_dense.ts';
export { growForestTree, type TreeOptions } from './_forest-tree.ts';
