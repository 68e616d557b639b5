import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Integration and e2e suites live in test/; a unit test may sit beside its module.
    include: ['test/**/*.test.ts', '{app,main,preload,renderer}/**/*.test.ts'],
    // Integration files mount, start processes and edit polkit rules; one at a time keeps
    // them from seeing each other's mounts and rules on a two-core machine.
    fileParallelism: false,
    testTimeout: 60_000,
    // The suites read the guided explanation that follows podman's one error line, which a
    // terminal gets by itself (main/cli/print.ts); a check of podman's plain output sets it to 0.
    env: { VOLUME_MANAGER_EXPLAIN: '1' },
    hookTimeout: 60_000,
  },
});
