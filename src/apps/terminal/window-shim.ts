// @xterm/headless's browser build tests `"requestIdleCallback" in window` when it loads,
// and a worker has no `window`. Imported before it, this names the worker's global scope
// `window` so that test runs (and finds no requestIdleCallback: xterm then uses timeouts).
// Layer: apps.
const scope = globalThis as { window?: unknown };
scope.window ??= globalThis;
