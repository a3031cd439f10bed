// A protection domain on a node worker thread, for kernel tests that run real domains
// in node: loads the scenario programs through tsx (a worker thread does not inherit
// the test runner's TypeScript loader) and runs the one named in workerData.
import { parentPort, workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { runScenario } = await tsImport('./scenarios.ts', import.meta.url);
runScenario(workerData.program, parentPort);
