// conformance-peer: the other side of the kernel's conformance suite. The process name it
// was spawned with picks the scenario (src/workers/testing/scenarios.ts): well-behaved
// programs (echo, ring-echo, exit) and hostile ones (garbage, forger, flood, spin, ...).
// Layer: apps.
import { runScenario } from '../../workers/testing/scenarios.ts';

declare const self: DedicatedWorkerGlobalScope;

runScenario(self.name, self);
