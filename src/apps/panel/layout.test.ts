import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LauncherApp } from '../../abi/programs.ts';
import { barLayout, cpuPercent, matchApps, WORKSPACES } from './layout.ts';

const apps: LauncherApp[] = [
  { program: 'clock', title: 'Clock', keywords: 'time date' },
  { program: 'paint', title: 'Paint', keywords: 'draw picture' },
  { program: 'bench-window', title: 'Window benchmark', keywords: 'frames' },
];

describe('barLayout', () => {
  it('puts the launcher, workspaces, buttons, tray and clock left to right without overlap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 320, max: 4096 }), fc.integer({ min: 0, max: 64 }), (width, n) => {
        const L = barLayout(width, n);
        const spans = [L.launcher, ...L.workspaces, ...L.windows, L.tray, L.clock];
        for (let i = 1; i < spans.length; i++) {
          const a = spans[i - 1] ?? { x: 0, w: 0 };
          expect(spans[i]?.x).toBeGreaterThanOrEqual(a.x + a.w);
        }
        expect(L.workspaces).toHaveLength(WORKSPACES);
        expect(L.windows.length).toBeLessThanOrEqual(n);
        expect(L.clock.x + L.clock.w).toBe(width);
      }),
    );
  });

  it('gives every window a button while they fit', () => {
    expect(barLayout(1280, 3).windows).toHaveLength(3);
    expect(barLayout(1280, 3).windows[0]?.w).toBe(200);
    expect(barLayout(1280, 40).windows.length).toBeLessThan(40);
  });
});

describe('matchApps', () => {
  it('finds by title, program or keyword, every word, ignoring case', () => {
    expect(matchApps(apps, '').map((a) => a.program)).toEqual(['clock', 'paint', 'bench-window']);
    expect(matchApps(apps, 'TIME').map((a) => a.program)).toEqual(['clock']);
    expect(matchApps(apps, 'pic dra').map((a) => a.program)).toEqual(['paint']);
    expect(matchApps(apps, 'zzz')).toEqual([]);
  });

  it('ranks titles that start with the query first', () => {
    expect(matchApps(apps, 'w').map((a) => a.program)).toEqual(['bench-window', 'paint']);
  });
});

describe('cpuPercent', () => {
  const at = (t: number, cpu: number) => ({ at: t, cpuMs: cpu, memoryBytes: 0, processes: 1 });
  it('is CPU time over wall time over cores', () => {
    expect(cpuPercent(at(0, 0), at(1000, 500), 2)).toBe(25);
    expect(cpuPercent(at(0, 0), at(1000, 5000), 2)).toBe(100);
  });
  it('is null for samples out of order or a tree that shrank', () => {
    expect(cpuPercent(at(1000, 0), at(1000, 10), 2)).toBeNull();
    expect(cpuPercent(at(0, 100), at(1000, 50), 2)).toBeNull();
  });
});
