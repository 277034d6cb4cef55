/**
 * Monitoring as a DAG: new penguin rows tested for drift against the champion's reference profile (the
 * model `npm start` registered). The drift-check node is never cached, so each run judges against the
 * champion of the moment; with onDrift=fail, drift fails the run (exit 1), for a scheduler to alert on.
 *   mlcycle run dags/penguins-drift.ts --param data=new-penguins.csv
 *   mlcycle run dags/penguins-drift.ts --param data=new-penguins.csv --param onDrift=fail
 * To retrain on drift instead, see `mlcycle monitor --retrain` (docs/deploy-and-maintain.md).
 */
import { dag, Type, ValidationError } from '../core/index.ts';
import { csvLoader } from '../plugins/loaders/csv.ts';
import { loaderExtensions, loaderFor } from '../plugins/loaders/by-extension.ts';
import { driftCheck } from '../plugins/monitor/drift-check.ts';

export default dag('penguins-drift', (b) => {
  const data = b.param('data', Type.String({ description: 'The new rows to test, any format by extension.' }), '');
  const model = b.param('model', Type.String(), 'models:/penguins@champion');
  const onDrift = b.param('onDrift', Type.Union([Type.Literal('continue'), Type.Literal('fail')]), 'continue');
  const loader = loaderFor(data);
  if (!loader) {
    throw new ValidationError(data
      ? `dag 'penguins-drift' › param 'data': cannot tell the format of '${data}' from its extension; use one of ${loaderExtensions()}`
      : "dag 'penguins-drift' › param 'data' is required: the new rows to test. Pass it as --param data=<file.csv>");
  }
  const { table } = b.add('load', loader as typeof csvLoader, {}, { path: data });
  const { report } = b.add('drift', driftCheck, { table }, { model, onDrift });
  return { report };
});
