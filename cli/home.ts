// The one resolveHome, core's: its small module, not core/index.ts, because every command resolves
// its home and --help must stay light. It throws core's ValidationError, which main.ts maps to exit 2.
export { resolveHome } from '../core/engine/resolve-home.ts';
