import Table from 'cli-table3';

/**
 * A compact table (no rule between rows) for stderr. Colours only on a terminal: cli-table3 paints
 * headers red by default, which would leave escape codes in logs.
 */
export function createTable(head: string[], stream: NodeJS.WritableStream): InstanceType<typeof Table> {
  const tty = Boolean((stream as NodeJS.WriteStream).isTTY);
  return new Table({
    head,
    style: { head: tty ? ['cyan'] : [], border: tty ? ['grey'] : [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
}
