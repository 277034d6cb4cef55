import { defineTask, Table, Type } from '../../core/index.ts';
import { DataSchema } from '../kinds.ts';
import { inferTableSchema } from './_infer.ts';

/**
 * Infers a DataSchema from a (training) table: column types, missing ratios, numeric ranges and
 * categories. validators/check-schema, serving and `mlcycle predict` check later data against it.
 * @example
 * const { schema } = b.add('schema', inferSchema, { table: raw.table }, { maxCategories: 50 });
 */
export const inferSchema = defineTask({
  name: 'validators/infer-schema',
  version: 1,
  params: Type.Object({
    maxCategories: Type.Integer({
      default: 50, minimum: 0,
      description: 'Record the categories of string/boolean columns with at most this many distinct values; more means free text.',
    }),
  }),
  inputs: { table: Table },
  outputs: { schema: DataSchema },
  run({ table }, { maxCategories }) {
    return { schema: inferTableSchema(table, { maxCategories }) };
  },
});
