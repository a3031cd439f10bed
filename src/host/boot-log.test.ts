// The boot log: every line is an entry at once, in time order; the page's list shows each
// line as it comes while booting, and afterwards draws what came in batches.
import { describe, expect, it } from 'vitest';
import { BOOT_LOG_DRAW_MS, BootLog } from './boot-log.ts';

/** Just the part of the DOM the log touches. */
class FakeElement {
  readonly children: FakeElement[] = [];
  readonly dataset: Record<string, string> = {};
  className = '';
  textContent = '';

  constructor(readonly ownerDocument: { createElement(tag: string): FakeElement }) {}

  append(...items: FakeElement[]): void {
    this.children.push(...items);
  }

  insertBefore(item: FakeElement, before: FakeElement | null): void {
    const at = before === null ? -1 : this.children.indexOf(before);
    if (at === -1) this.children.push(item);
    else this.children.splice(at, 0, item);
  }
}

function setup() {
  const doc = { createElement: (): FakeElement => new FakeElement(doc) };
  const list = new FakeElement(doc);
  const timers: { fn: () => void; ms: number }[] = [];
  const log = new BootLog(list as unknown as HTMLOListElement, (fn, ms) => void timers.push({ fn, ms }));
  const shown = (): string[] => list.children.map((li) => li.children[2]?.textContent ?? '');
  const add = (message: string, ms: number): void =>
    void log.add({ at: performance.timeOrigin + ms, source: 'kernel', level: 'info', message });
  return { log, timers, shown, add };
}

describe('BootLog', () => {
  it('draws each line as it comes while booting, in time order', () => {
    const { log, timers, shown, add } = setup();
    add('a', 1);
    add('c', 3);
    add('b', 2); // from another worker, later
    expect(shown()).toEqual(['a', 'b', 'c']);
    expect(log.entries.map((e) => e.message)).toEqual(['a', 'b', 'c']);
    expect(timers).toEqual([]);
  });

  it('after boot, keeps every entry at once and draws them together once', () => {
    const { log, timers, shown, add } = setup();
    add('a', 1);
    add('d', 4);
    log.booted();
    add('e', 5);
    add('b', 2); // goes between lines already drawn
    add('f', 6);
    expect(log.entries.map((e) => e.message)).toEqual(['a', 'b', 'd', 'e', 'f']);
    expect(shown()).toEqual(['a', 'd']);
    expect(timers.map((t) => t.ms)).toEqual([BOOT_LOG_DRAW_MS]);
    timers.shift()?.fn();
    expect(shown()).toEqual(['a', 'b', 'd', 'e', 'f']);
    add('g', 7);
    expect(timers).toHaveLength(1);
    timers.shift()?.fn();
    expect(shown()).toEqual(['a', 'b', 'd', 'e', 'f', 'g']);
  });
});
