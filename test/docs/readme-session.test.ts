import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import type { App } from '../../src/app.js';
import { describeAppOnEachDatabase } from '../support/test-app.js';

/** One `curl` of the README's session, and the line its comment says the terminal shows. */
interface SessionStep {
  readonly command: string;
  readonly method: string;
  readonly path: string;
  readonly headers: [string, string][];
  readonly data: string | undefined;
  /** The comment's first line, which must end with the status code; `…` stands for anything. */
  readonly shown: string;
}

const WRITE_OUT = ' %{http_code}\\n';

/** The words of a shell command line with single-quoted arguments (all the session uses). */
function shellWords(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2] ?? '');
}

/** Reads a command as curl would, for the options the session uses; any other option is an error. */
function parseCurl(command: string, shown: string): SessionStep {
  const [program, ...words] = shellWords(command);
  if (program !== 'curl') throw new Error(`Not a curl command: ${command}`);
  let method: string | undefined;
  let url: string | undefined;
  let data: string | undefined;
  const headers: [string, string][] = [];
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i] ?? '';
    if (word === '-sS') continue;
    if (!word.startsWith('-')) {
      url = word;
      continue;
    }
    const value = words[(i += 1)] ?? '';
    if (word === '-w') expect(value, `the -w of ${command}`).to.equal(WRITE_OUT);
    else if (word === '-X') method = value;
    else if (word === '-d') data = value;
    else if (word === '-H') headers.push(value.split(/:\s*/, 2) as [string, string]);
    else throw new Error(`An option the session test does not read: ${word} in ${command}`);
  }
  if (url === undefined) throw new Error(`No URL in ${command}`);
  const path = url.replace(/^localhost:3000/, '');
  return { command, method: method ?? (data === undefined ? 'GET' : 'POST'), path, headers, data, shown };
}

/** The steps of the first `sh` block under "## A session with curl" in README.md, in order. */
function readmeSession(): SessionStep[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.split('\n## A session with curl\n')[1] ?? '';
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const lines = block.replace(/\\\n\s*/g, '').split('\n');
  const steps: SessionStep[] = [];
  lines.forEach((line, index) => {
    if (!line.startsWith('curl ')) return;
    const shown = /^# ?(.*)$/.exec(lines[index + 1] ?? '')?.[1];
    if (shown === undefined) throw new Error(`No comment under: ${line}`);
    steps.push(parseCurl(line, shown));
  });
  return steps;
}

/** `shown` as a pattern: literal, except that `…` matches anything. */
function shownPattern(shown: string): RegExp {
  const literal = (part: string) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${shown.split('…').map(literal).join('.*')}$`);
}

/** What the terminal shows for `step`: the body, a space, the status code. */
async function run(app: App, step: SessionStep): Promise<string> {
  let call = request(app)[step.method.toLowerCase() as 'get' | 'post' | 'patch'](step.path);
  for (const [name, value] of step.headers) call = call.set(name, value);
  const response = await (step.data === undefined ? call : call.send(step.data));
  return `${response.text} ${response.status}`;
}

describe('the README session', () => {
  const steps = readmeSession();

  it('when read, then every command is followed by a comment that ends with its status code', () => {
    expect(steps.length).to.be.at.least(10);
    for (const step of steps) expect(step.shown, step.command).to.match(/(^| )\d{3}$/);
  });
});

describeAppOnEachDatabase('the README session, run twice', (t) => {
  it('when each command runs in order, then the terminal shows what its comment says, both times', async () => {
    for (const round of [1, 2]) {
      for (const step of readmeSession()) {
        const shown = await run(t().app, step);
        expect(shown, `round ${round}: ${step.command}`).to.match(shownPattern(step.shown));
      }
    }
  });
});
