/** One sample line of the Prometheus text format: `name{label="value",...} value`. */
export interface PrometheusSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** The samples of a scrape, comments left out. */
export function parsePrometheus(text: string): PrometheusSample[] {
  return text.split('\n').flatMap((line) => {
    const match = SAMPLE_LINE.exec(line);
    if (match === null || line.startsWith('#')) return [];
    const [, name = '', labelText = '', value = ''] = match;
    const labels = Object.fromEntries([...labelText.matchAll(LABEL)].map(([, key = '', raw = '']) => [key, raw.replace(/\\(.)/g, '$1')]));
    return [{ name, labels, value: Number(value) }];
  });
}

/**
 * The value of the one sample named `name` whose labels are exactly `labels`; `undefined` when the
 * scrape has none.
 */
export function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = JSON.stringify(Object.entries(labels).sort());
  const found = parsePrometheus(text).filter((sample) => sample.name === name && JSON.stringify(Object.entries(sample.labels).sort()) === wanted);
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} with labels ${wanted}`);
  return found[0]?.value;
}

/** The samples named `name`, whatever their labels. */
export function samplesNamed(text: string, name: string): PrometheusSample[] {
  return parsePrometheus(text).filter((sample) => sample.name === name);
}
