import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { CONFIG_VARIABLES, loadConfig, loadEnvFile } from '../src/config.js';

const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');

describe('.env.example', () => {
  it('lists every variable the app reads, and no other', () => {
    const listed = [...example.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]);
    expect([...listed].sort()).to.deep.equal([...CONFIG_VARIABLES].sort());
  });

  it('when copied to .env as it is, then the app runs with its defaults', () => {
    expect(loadConfig(parseEnv(example))).to.deep.equal(loadConfig({}));
  });
});

describe('loadEnvFile()', () => {
  const saved = { ...process.env };
  let folder = '';

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'env-file-'));
  });
  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it('when the file exists, then its variables are loaded, and those already set win', () => {
    const path = join(folder, '.env');
    writeFileSync(path, 'ENV_FILE_TEST_PORT=4321\nENV_FILE_TEST_HOST=0.0.0.0\n');
    process.env.ENV_FILE_TEST_HOST = '127.0.0.2';
    expect(loadEnvFile(path)).to.equal(true);
    expect(process.env.ENV_FILE_TEST_PORT).to.equal('4321');
    expect(process.env.ENV_FILE_TEST_HOST).to.equal('127.0.0.2');
  });

  it('when there is no file, then nothing happens', () => {
    expect(loadEnvFile(join(folder, '.env'))).to.equal(false);
  });
});

describe('loadEnvFile() by default', () => {
  const saved = { ...process.env };
  const folder = mkdtempSync(join(tmpdir(), 'env-default-'));
  const cwd = process.cwd();

  afterEach(() => {
    process.chdir(cwd);
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it("when NODE_ENV is test, then it reads .env.test and leaves the developer's .env alone", () => {
    writeFileSync(join(folder, '.env'), 'ENV_DEFAULT_TEST_BACKEND=redis\n');
    writeFileSync(join(folder, '.env.test'), 'ENV_DEFAULT_TEST_PORT=4000\n');
    process.chdir(folder);
    process.env.NODE_ENV = 'test';
    expect(loadEnvFile()).to.equal(true);
    expect(process.env.ENV_DEFAULT_TEST_BACKEND).to.equal(undefined);
    expect(process.env.ENV_DEFAULT_TEST_PORT).to.equal('4000');
  });

  it('when NODE_ENV is not test, then it reads .env', () => {
    writeFileSync(join(folder, '.env'), 'ENV_DEFAULT_TEST_BACKEND=redis\n');
    process.chdir(folder);
    process.env.NODE_ENV = 'development';
    expect(loadEnvFile()).to.equal(true);
    expect(process.env.ENV_DEFAULT_TEST_BACKEND).to.equal('redis');
  });
});
