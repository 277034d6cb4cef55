import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fromArrow } from 'arquero';
import { initSync, readParquet } from 'parquet-wasm/esm';
import { DataError, defineTask, Table, Type } from '../../core/index.ts';
import { badFile, pathParam, readDataFile } from './_files.ts';
import { formatBytes, inputLimit, overLimit } from './_input-limit.ts';

let ready = false;
// parquet-wasm's `node` build is CommonJS inside a `"type": "module"` package, which Node 20 refuses
// to load; the ESM build works once handed its .wasm bytes, read once per process.
function ensureWasm(): void {
  if (ready) return;
  const wasmPath = createRequire(import.meta.url).resolve('parquet-wasm/esm/parquet_wasm_bg.wasm');
  initSync({ module: readFileSync(wasmPath) });
  ready = true;
}

const MAGIC = [0x50, 0x41, 0x52, 0x31]; // 'PAR1' at both ends of every Parquet file

/**
 * Loads a Parquet file into a table (parquet-wasm → Arrow IPC → arquero). Types come from the file's
 * schema; timestamps and dates become Date values. Both the file and its decoded columns are held to
 * the input limit (MLCYCLE_MAX_INPUT_BYTES, default 2 GiB).
 * @example
 * const raw = b.add('load', parquetLoader, {}, { path: 'data/trips.parquet' });
 */
export const parquetLoader = defineTask({
  name: 'loaders/parquet',
  version: 1,
  params: Type.Object({
    path: pathParam(),
  }),
  inputs: {},
  outputs: { table: Table },
  files: (p) => [p.path],
  async run(_inputs, params, ctx) {
    const file = params.path;
    const bytes = await readDataFile(file);
    const n = bytes.length;
    const magic = n >= 8 && MAGIC.every((b, i) => bytes[i] === b && bytes[n - 4 + i] === b);
    if (!magic) {
      throw badFile(file, undefined, 'not a Parquet file (it does not start and end with the PAR1 marker)',
        'Check the file is Parquet and was completely written; for CSV or Arrow files use loaders/csv or loaders/arrow');
    }
    ensureWasm();
    const limit = inputLimit();
    let table;
    try {
      const decoded = readParquet(bytes);
      // Compressed pages can expand a thousandfold; refuse before the columns are copied out of wasm
      // memory (which wasm32 itself caps at 4 GiB) into JavaScript twice more (IPC, then arquero).
      const size = decoded.getArrayMemorySize();
      if (size > limit.bytes) {
        decoded.free();
        throw overLimit(file, `file decompresses to ${formatBytes(size)} of columns`, limit, size);
      }
      table = fromArrow(decoded.intoIPCStream());
    } catch (err) {
      if (err instanceof DataError) throw err;
      throw badFile(file, undefined, `cannot read Parquet: ${(err as Error).message ?? String(err)}`,
        'The file may be truncated or use an unsupported encoding; rewrite it with pyarrow or DuckDB', err);
    }
    ctx.log.info(`loaded ${table.numRows()} rows × ${table.numCols()} columns from ${file}`);
    return { table };
  },
});
