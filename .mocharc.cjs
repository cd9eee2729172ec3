/* global module, process */
// Mocha's configuration. `npm test` runs every suite; `npm test -- test/config.test.ts` (or
// `npx mocha test/config.test.ts`) runs that file alone: mocha adds the files named on the
// command line to a configured spec, so the default spec applies only when none is named.
const named = process.argv.slice(2).some((arg) => !arg.startsWith('-') && /\.[cm]?[jt]s$/.test(arg));

module.exports = {
  'node-option': ['import=tsx', 'no-warnings=ExperimentalWarning'],
  extension: ['ts'],
  ...(named ? {} : { spec: ['test/**/*.test.ts'] }),
  timeout: 15000,
  reporter: 'spec',
};
