/**
 * Loading the algorithms' WebAssembly SIMD kernels (the MLP's products, k-NN's distances): each is a
 * small module shipped as base64 in a generated TS file, so the cache key's code digest covers it.
 */

/** The slice of the WebAssembly API used here (tsconfig's lib has no DOM, and @types/node 20 does not declare it). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

/** What every kernel module exports besides its kernels. */
export interface SimdExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  heapBase(): number;
}

/**
 * A loader that instantiates the module once per thread, on first use, or returns null where this
 * runtime cannot run it (no WebAssembly, or no SIMD: `validate` rejects the module rather than a
 * try/catch around compiling it). Synchronous: the modules are a few kB, far below V8's limit for sync
 * compilation on the main thread.
 * @example
 * const load = simdLoader<Exports>(MLP_SIMD_WASM);
 * const ex = load(); if (ex) ex.gemm(…); else jsKernel(…);
 */
export function simdLoader<E extends SimdExports>(base64: string): () => E | null {
  let instance: E | null | undefined;
  return () => {
    if (instance !== undefined) return instance;
    instance = null;
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (!api) return instance;
    const bytes = Buffer.from(base64, 'base64');
    if (!api.validate(bytes)) return instance;
    instance = new api.Instance(new api.Module(bytes)).exports as E;
    return instance;
  };
}

/**
 * The first usable double of a module's memory (after its static data), 16-byte aligned.
 * @example
 * const base = heapStart(ex); // Float64Array index
 */
export function heapStart(ex: SimdExports): number {
  return Math.ceil(ex.heapBase() / 16) * 2;
}
