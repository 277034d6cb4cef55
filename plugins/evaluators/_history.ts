/**
 * Reads a model's per-epoch loss history from `ModelSpec.info.history`, in either shape an
 * algorithm may have stored: tfjs's `History.history` (`{ loss: [..], val_loss: [..] }`) or a list
 * of epoch records (`[{ epoch, loss, val_loss }]`). Only loss series are kept: accuracy lives on
 * another scale and would flatten the loss lines.
 * @example
 * historyRows({ history: { loss: [0.9, 0.5], val_loss: [1, 0.7] } })
 * // [{ epoch: 1, series: 'loss', value: 0.9 }, { epoch: 2, series: 'loss', value: 0.5 }, …]
 */
export function historyRows(info: Record<string, unknown> | undefined): Array<{ epoch: number; series: string; value: number }> {
  const history = info?.history;
  const rows: Array<{ epoch: number; series: string; value: number }> = [];
  const isLoss = (key: string): boolean => /loss/i.test(key);
  if (Array.isArray(history)) {
    history.forEach((record, i) => {
      if (!record || typeof record !== 'object') return;
      const r = record as Record<string, unknown>;
      const epoch = typeof r.epoch === 'number' ? r.epoch : i + 1;
      for (const [key, value] of Object.entries(r)) {
        if (isLoss(key) && typeof value === 'number' && Number.isFinite(value)) rows.push({ epoch, series: key, value });
      }
    });
  } else if (history && typeof history === 'object') {
    for (const [key, values] of Object.entries(history as Record<string, unknown>)) {
      if (!isLoss(key) || !Array.isArray(values)) continue;
      values.forEach((value, i) => {
        if (typeof value === 'number' && Number.isFinite(value)) rows.push({ epoch: i + 1, series: key, value });
      });
    }
  }
  return rows;
}
