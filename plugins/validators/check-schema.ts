import { DataError, defineTask, Json, Table, Type } from '../../core/index.ts';
import { DataSchema } from '../kinds.ts';
import { checkTable, formatViolations } from './_check.ts';

/**
 * Checks a table against a DataSchema (from validators/infer-schema) and reports violations by
 * column with counts and up to 5 example rows. With failOn 'error' (the default) any violation
 * fails the node, so drifted or broken data stops the pipeline before training or scoring.
 * @example
 * const { report } = b.add('check', checkSchema, { table: fresh.table, schema: schema.schema }, { allowNewCategories: true });
 */
export const checkSchema = defineTask({
  name: 'validators/check-schema',
  version: 1,
  params: Type.Object({
    failOn: Type.Enum(['error', 'never'], { default: 'error', description: "'error' fails the node on any violation; 'never' only reports." }),
    allowNewCategories: Type.Boolean({ default: false, description: 'Accept string/boolean values the schema has not seen.' }),
  }),
  inputs: { table: Table, schema: DataSchema },
  outputs: { report: Json },
  run({ table, schema }, { failOn, allowNewCategories }, ctx) {
    const report = checkTable(table, schema, { allowNewCategories });
    if (!report.ok) {
      const text = `${report.violationCount} schema violation(s) in ${report.rows} rows:\n${formatViolations(report)}`;
      if (failOn === 'error') {
        throw new DataError(`${text}\nFix the data; if the change is expected, re-infer the schema (validators/infer-schema), set allowNewCategories: true, or set failOn: 'never' to only report.`);
      }
      ctx.log.warn(text);
    }
    return { report };
  },
});
