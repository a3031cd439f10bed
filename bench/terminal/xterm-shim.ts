// @xterm/headless tests `"requestIdleCallback" in window` when it loads, and a worker has
// no `window`: imported before it, this names the worker's global scope `window` (as
// src/apps/terminal/window-shim.ts does for the terminal app). Benchmark worker code.
const scope = globalThis as { window?: unknown };
scope.window ??= globalThis;
