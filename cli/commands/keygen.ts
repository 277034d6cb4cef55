import { unlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../exit-codes.ts';

/** Where keygen resolves the name and writes its report; CliContext satisfies it. */
export interface KeygenIo {
  cwd?: string;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

/**
 * Registers `mlcycle keygen <name>`: makes an ed25519 key pair for signing bundles, `<name>.pem`
 * (private, mode 0600) and `<name>.pub.pem` (public), never over an existing file, and prints the
 * public key's fingerprint and how to use the pair.
 * @example
 * registerKeygen(program, ctx);   // mlcycle keygen keys/bundles
 */
export function registerKeygen(program: Command, io: KeygenIo = {}): void {
  program
    .command('keygen')
    .description('make an ed25519 key pair for signing bundles: <name>.pem (private) and <name>.pub.pem')
    .argument('<name>', 'path and base name of the two key files, e.g. keys/bundles')
    .option('--json', 'print { privateKey, publicKey, fingerprint } on stdout')
    .action(async (name: string, flags: { json?: boolean }) => {
      const base = resolve(io.cwd ?? process.cwd(), name.replace(/\.pem$/, ''));
      const privateFile = `${base}.pem`;
      const publicFile = `${base}.pub.pem`;
      const { generateSigningKeys, PUBLIC_KEY_ENV, SIGNING_KEY_ENV } = await import('../../plugins/exporters/bundle-io.ts');
      const keys = generateSigningKeys();
      const { writeUserFile } = await import('../../core/artifacts/user-file.ts');
      // Never over an existing key (overwrite: false), the private one 0600 from its first byte.
      const write = (file: string, text: string, mode: number) => {
        try {
          writeUserFile(file, text, { overwrite: false, mode });
        } catch (err) {
          throw new UsageError(`keygen: ${(err as Error).message}`, { cause: err });
        }
      };
      write(privateFile, keys.privatePem, 0o600);
      try {
        write(publicFile, keys.publicPem, 0o644);
      } catch (err) {
        unlinkSync(privateFile);
        throw err;
      }
      if (flags.json) {
        (io.stdout ?? process.stdout).write(`${JSON.stringify({ privateKey: privateFile, publicKey: publicFile, fingerprint: keys.fingerprint }, null, 2)}\n`);
        return;
      }
      (io.stderr ?? process.stderr).write(
        `wrote ${privateFile} (private: keep it secret) and ${publicFile}\n` +
          `fingerprint ${keys.fingerprint}\n` +
          `sign:   ${SIGNING_KEY_ENV}=${privateFile} mlcycle run …   (or exporters/bundle params.signingKey)\n` +
          `verify: ${PUBLIC_KEY_ENV}=${publicFile} mlcycle predict …\n`,
      );
    });
}
