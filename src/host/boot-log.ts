// The boot log as the host keeps it: entries on the page's own performance timeline,
// a performance mark per entry, and the <ol> that shows them.
// Layer: host (main thread).
import type { BootLogEntry } from '../abi/automation.ts';
import type { BootEvent } from '../abi/boot.ts';

export class BootLog {
  readonly #entries: BootLogEntry[] = [];
  readonly #list: HTMLOListElement | null;

  constructor(list: HTMLOListElement | null) {
    this.#list = list;
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
    this.#render(entry, at);
    return entry;
  }

  #render(entry: BootLogEntry, index: number): void {
    if (!this.#list) return;
    const item = document.createElement('li');
    item.className = `level-${entry.level}`;
    item.dataset['source'] = entry.source;
    const time = document.createElement('time');
    time.textContent = `${entry.t.toFixed(1).padStart(7)} ms`;
    const source = document.createElement('span');
    source.className = 'source';
    source.textContent = entry.source;
    const message = document.createElement('span');
    message.className = 'message';
    message.textContent = entry.message;
    item.append(time, source, message);
    this.#list.insertBefore(item, this.#list.children[index] ?? null);
  }
}
