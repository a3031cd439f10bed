import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    // One file at a time: ring, kernel and watchdog tests run real threads that spin,
    // and CI machines have two cores.
    fileParallelism: false,
  },
});
