// Installs the benchmarks' own dependencies (bench/package.json) when they are missing, so that
// `npm run bench…` works on a fresh clone while `npm install` at the root stays free of them.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const bench = new URL('.', import.meta.url).pathname;
if (!existsSync(new URL('node_modules/.package-lock.json', import.meta.url))) {
  process.stderr.write('Installing the benchmarks\' dependencies (bench/package.json)...\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: bench, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
