import type { RunEvent } from '../../core/index.ts';

/** Turns the run's event stream into human output on stderr. */
export interface Renderer {
  onEvent(event: RunEvent): void;
  /** Called once the run is done: finishes any live display before the summary is printed. */
  close(): Promise<void>;
}
