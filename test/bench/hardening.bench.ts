/**
 * What the issue-7 safety checks cost, each against the unchecked path (or a floor) in the same
 * process, the two sides alternating, best of N:
 *   npm run bench:hardening [-- --json] [-- --quick]
 * 1. finite model: checkTrainedModel after each fit, as a share of the fit (7 algorithms, 20k rows);
 * 2. blob rewrite: BlobStore.write of a present blob (byte comparison) vs the old sha256 + stat;
 * 3. user files: writeUserFile (temp, fsync, rename) vs writeFileSync;
 * 4. predict input: readTable + checkInputRows vs arquero fromCSV without checks (27,001 rows);
 * 5. file digest: streamed fileDigest vs sha256(readFileSync) on 256 MiB;
 * 6. dead runs at open: reapDeadRuns as a share of openWorkspace + close, 20,000 runs.
 * `--quick` shrinks every case (a smoke run, not figures). The exit code is 1 when a target is missed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Table from 'cli-table3';
import { blobRewriteRow, fileDigestRow, KiB, MiB, userFileRow } from './hardening-files.ts';
import { finiteModelRows } from './hardening-model.ts';
import { predictInputRow } from './hardening-predict.ts';
import { deadRunRow } from './hardening-store.ts';
import { ratioText, shown, type HardeningRow } from './hardening-timing.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const quick = args.includes('--quick');
const q = (full: number, small: number) => (quick ? small : full);
const progress = (what: string) => process.stderr.write(`${what}…\n`);

async function main(): Promise<HardeningRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'mlcycle-hardening-'));
  const rows: HardeningRow[] = [];
  try {
    progress('finite model (7 fits × 2)');
    rows.push(...await finiteModelRows({ rows: q(20_000, 2_000), fitReps: q(2, 1), checkReps: 5 }));
    progress('blob rewrite');
    rows.push(await blobRewriteRow(dir, { count: q(5000, 500), size: KiB, reps: q(7, 2) }));
    rows.push(await blobRewriteRow(dir, { count: q(200, 20), size: MiB, reps: q(5, 2) }));
    progress('user files');
    rows.push(await userFileRow(dir, { size: 4 * KiB, reps: q(30, 3) }));
    rows.push(await userFileRow(dir, { size: MiB, reps: q(15, 3) }));
    rows.push(await userFileRow(dir, { size: 32 * MiB, reps: q(5, 2) }));
    progress('predict input');
    rows.push(await predictInputRow(dir, { rows: q(27_001, 2_001), reps: q(7, 2) }));
    progress('file digest');
    rows.push(await fileDigestRow(dir, { size: q(256, 16) * MiB, reps: q(5, 2) }));
    progress('dead runs at open');
    rows.push(await deadRunRow(dir, { runs: q(20_000, 2_000), live: 4, reps: q(15, 3) }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

function print(rows: HardeningRow[]): void {
  const table = new Table({
    head: ['check', 'case', 'checked', 'unchecked/floor', 'ratio', 'target', 'verdict'],
    style: { head: [], border: [], compact: true },
  });
  for (const r of rows) {
    table.push([
      r.check, r.case, shown(r.checkedMs, r.unit, r.perItem), `${shown(r.uncheckedMs, r.unit, r.perItem)} ${r.against}`,
      ratioText(r.ratio, r.share), r.target, r.verdict,
    ]);
  }
  console.log(`issue-7 safety checks vs the unchecked path, best of N interleaved, ${process.version}${quick ? ' (--quick: not figures)' : ''}`);
  console.log(table.toString());
  for (const r of rows) if (r.note) console.log(`- ${r.note}`);
}

const t0 = performance.now();
const rows = await main();
if (json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
else {
  print(rows);
  console.log(`total ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
if (rows.some((r) => r.verdict === 'OVER')) process.exitCode = 1;
