// The boot log as the host keeps it: entries on the page's own performance timeline,
// a performance mark per entry, and the <ol> that shows them.
// Layer: host (main thread).
import type { BootLogEntry } from '../abi/automation.ts';
import type { BootEvent } from '../abi/boot.ts';

/**
 * Once the system has booted, new lines are drawn together at most this often. The
 * kernel logs every process's start and exit, and drawing the page for each line took
 * the main thread several milliseconds per spawn (paint, software-rendered here) on the
 * cores the workers need (ADR 0025).
 */
export const BOOT_LOG_DRAW_MS = 1000;

/** Schedules a callback: setTimeout on the page, a fake clock in tests. */
export type Later = (callback: () => void, ms: number) => void;

export class BootLog {
  readonly #entries: BootLogEntry[] = [];
  readonly #list: HTMLOListElement | null;
  readonly #later: Later;
  /** Entries not drawn yet (after boot); they are in #entries already. */
  readonly #undrawn: BootLogEntry[] = [];
  #booted = false;
  #drawing = false;

  constructor(list: HTMLOListElement | null, later: Later = (f, ms) => void setTimeout(f, ms)) {
    this.#list = list;
    this.#later = later;
  }

  /** Live, append-only view for `tessera.bootLog`. */
  get entries(): readonly BootLogEntry[] {
    return this.#entries;
  }

  /** Records an event from any thread; `at` is on the shared epoch. */
  add(event: BootEvent): BootLogEntry {
    const t = Math.max(0, event.at - performance.timeOrigin);
    const entry: BootLogEntry = { t, source: event.source, level: event.level, message: event.message };
    performance.mark(`tessera:${event.source}:${event.message}`, { startTime: t, detail: entry });
    // Events from different workers can arrive out of order; keep the log chronological.
    let at = this.#entries.length;
    while (at > 0 && (this.#entries[at - 1]?.t ?? 0) > t) at--;
    this.#entries.splice(at, 0, entry);
    if (!this.#booted) this.#render(entry, at);
    else if (this.#list) {
      this.#undrawn.push(entry);
      if (!this.#drawing) {
        this.#drawing = true;
        this.#later(() => this.#drawUndrawn(), BOOT_LOG_DRAW_MS);
      }
    }
    return entry;
  }

  /** Boot is over (ready or failed): from now on lines are drawn in batches (BOOT_LOG_DRAW_MS). */
  booted(): void {
    this.#booted = true;
  }

  /** Draws what waited, in log order: each goes where it stands among the drawn ones. */
  #drawUndrawn(): void {
    this.#drawing = false;
    const waiting = this.#undrawn.splice(0).map((e) => [this.#entries.lastIndexOf(e), e] as const);
    // In ascending order, every entry before one is drawn when it is: its index is its place.
    waiting.sort((a, b) => a[0] - b[0]);
    for (const [at, entry] of waiting) this.#render(entry, at);
  }

  #render(entry: BootLogEntry, index: number): void {
    if (!this.#list) return;
    const doc = this.#list.ownerDocument;
    const item = doc.createElement('li');
    item.className = `level-${entry.level}`;
    item.dataset['source'] = entry.source;
    const time = doc.createElement('time');
    time.textContent = `${entry.t.toFixed(1).padStart(7)} ms`;
    const source = doc.createElement('span');
    source.className = 'source';
    source.textContent = entry.source;
    const message = doc.createElement('span');
    message.className = 'message';
    message.textContent = entry.message;
    item.append(time, source, message);
    this.#list.insertBefore(item, this.#list.children[index] ?? null);
  }
}
