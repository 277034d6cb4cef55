import { parseModelUri } from '../../core/index.ts';
import type { ModelRegistry } from '../registry/model-registry.ts';
import { loadModel, type LoadModelOptions } from './load-model.ts';
import { probeRow, type ModelSlot } from './_model-slot.ts';

/** What the watcher needs: where the registry is, how to load, and where to say what it did. */
export interface AliasWatchOptions {
  home: string;
  intervalMs: number;
  load: Omit<LoadModelOptions, 'home'>;
  say: (message: string) => void;
  /** Called after a switch (metrics). */
  switched: (slot: ModelSlot) => void;
}

/**
 * Polls the registry for the version each moving reference (`models:/name@alias`, `models:/name`)
 * resolves to. When it moves, the new version is loaded in the background and must predict one
 * row inside its training data before the slot switches to it; requests in flight finish on the old
 * one. A version that fails is reported once and skipped until the reference moves again.
 * @example
 * const stop = watchAliases(slots, { home, intervalMs: 1000, load: {}, say: console.error, switched });
 * stop();
 */
export function watchAliases(slots: ModelSlot[], options: AliasWatchOptions): () => Promise<void> {
  const moving = slots.filter((s) => {
    const ref = parseModelUri(s.uri);
    return ref !== undefined && ref.version === undefined;
  });
  if (!moving.length) return async () => undefined;
  let registry: ModelRegistry | undefined;
  const failed = new Map<ModelSlot, number>();
  let busy: Promise<void> | undefined;
  let stopped = false;
  const poll = async () => {
    registry ??= (await import('../registry/model-registry.ts')).openModelRegistry(options.home);
    for (const slot of moving) {
      if (stopped) return;
      const now = slot.current.model.version;
      let target: number;
      try {
        target = registry.resolve(slot.uri).version;
      } catch (err) {
        if (failed.get(slot) !== -1) options.say(`watch ${slot.uri}: ${(err as Error).message}; still serving v${now}`);
        failed.set(slot, -1);
        continue;
      }
      if (target === now || failed.get(slot) === target) continue;
      try {
        const model = await loadModel(`models:/${slot.name}/${target}`, { ...options.load, home: options.home });
        const next = slot.prepare(model);
        await model.predict([probeRow(next)], { onInvalid: 'error' });
        if (stopped) return;
        slot.swap(next);
        failed.delete(slot);
        options.switched(slot);
        options.say(`switched ${slot.uri.slice('models:/'.length)} v${now} → v${target}`);
      } catch (err) {
        failed.set(slot, target);
        options.say(`${slot.uri} moved to v${target}, which failed to load or predict (${(err as Error).message}); still serving v${now}`);
      }
    }
  };
  const timer = setInterval(() => {
    if (busy) return;
    busy = poll().catch((err: Error) => options.say(`watching the registry failed: ${err.message}`)).finally(() => (busy = undefined));
  }, options.intervalMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await busy;
    registry?.close();
  };
}
