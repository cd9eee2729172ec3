import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');

/** A code block of the guide preceded by `<!-- guide: <file>#<region> -->`. */
interface MarkedBlock {
  readonly file: string;
  readonly region: string;
  readonly code: string;
}

/** The lines without the indentation they share, trailing spaces and blank lines at either end. */
function normalized(code: string): string {
  const lines = code.split('\n').map((line) => line.trimEnd());
  while (lines[0] === '') lines.shift();
  while (lines.at(-1) === '') lines.pop();
  const indent = Math.min(...lines.filter((line) => line !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0));
  return lines.map((line) => line.slice(indent)).join('\n');
}

function markedBlocks(markdown: string): MarkedBlock[] {
  const marker = /<!-- guide: (\S+?)#(\S+) -->\n( *)```\w*\n([\s\S]*?)\n *```/g;
  return [...markdown.matchAll(marker)].map(([, file = '', region = '', , code = '']) => ({ file, region, code }));
}

/** What lies between `// #region guide:<name>` and the next `// #endregion` in `source`. */
function regionOf(source: string, name: string): string | undefined {
  const lines = source.split('\n');
  const start = lines.findIndex((line) => line.trim() === `// #region guide:${name}`);
  if (start === -1) return undefined;
  const end = lines.findIndex((line, index) => index > start && line.trim() === '// #endregion');
  return end === -1 ? undefined : lines.slice(start + 1, end).join('\n');
}

/** `file#region` for every guide region in the TypeScript files under `folder`. */
function regionsUnder(folder: string): string[] {
  const files = readdirSync(new URL(folder, root), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
  return files.flatMap((file) => {
    const path = join(folder, file);
    return [...read(path).matchAll(/^\s*\/\/ #region guide:(\S+)\s*$/gm)].map(([, name]) => `${path}#${name}`);
  });
}

describe('docs/guide.md', () => {
  const guide = read('docs/guide.md');
  const blocks = markedBlocks(guide);

  it('when a code block is marked with a source region, then it is that region of the code, as it compiles and is tested', () => {
    expect(blocks.length, 'marked blocks').to.be.at.least(10);
    for (const { file, region, code } of blocks) {
      const source = regionOf(read(file), region);
      expect(source, `${file} has no region guide:${region}`).to.be.a('string');
      expect(normalized(code), `${file}#${region}`).to.equal(normalized(source ?? ''));
    }
  });

  it('when a guide marker is written, then a code block follows it at once', () => {
    const markers = [...guide.matchAll(/<!-- guide:/g)].length;
    expect(blocks).to.have.length(markers);
  });

  it('when the code marks a region for the guide, then the guide shows it', () => {
    const shown = new Set(blocks.map(({ file, region }) => `${file}#${region}`));
    const marked = [...regionsUnder('src'), ...regionsUnder('test')];
    expect(marked.filter((region) => !shown.has(region))).to.deep.equal([]);
  });
});
