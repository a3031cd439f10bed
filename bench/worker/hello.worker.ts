// The smallest module worker: says hello once, then idles. Benchmarks time its spawn
// (worker_spawn_ms) and keep a few resident as the bare idle baseline.
self.postMessage('hello');
