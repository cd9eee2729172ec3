// @ts-check
/**
 * Root hooks for the mutation runs only (`mochaOptions.require` in stryker.config.mjs).
 *
 * Stryker runs mocha without a timeout, so a mutant that leaves a request unanswered (an
 * emptied route handler) hangs until Stryker's own timeout, which then restarts the test
 * process. With a timeout per test, the test fails instead and the process goes on. Tests that
 * set their own timeout keep it.
 */
const TEST_TIMEOUT_MS = 5000;

export const mochaHooks = {
  /** @this {import('mocha').Context} */
  beforeEach() {
    const test = this.currentTest;
    if (test !== undefined && test.timeout() === 0) test.timeout(TEST_TIMEOUT_MS);
  },
};
