import { parseArgs } from 'node:util';
import { BrokerBackend, type DeadLetterEntry, type DeadLetterFilter } from './signals/brokers/index.js';
import type { BaseSignalBackend } from './signals/index.js';

export const DEAD_LETTERS_USAGE = `Usage: npm run signals -- dead-letters <list|replay|purge> [filters] [--json]

  list     the dead letters, newest first (--limit N, default 20)
  replay   send them again to the receiver that failed, same message id, and remove them
  purge    remove them

Filters (every one given must match):
  --signal NAME      the signal, e.g. user.created
  --receiver NAME    the receiver that failed
  --error TEXT       a part of the error message, any case
  --message-id ID    the message id
  --id ID            a dead letter's id, as list shows it (repeatable)
  --all              replay or purge with no filter: every dead letter`;

/** A dead-letters command line, parsed. */
export interface DeadLetterCommand {
  readonly action: 'list' | 'replay' | 'purge';
  readonly filter: DeadLetterFilter;
  readonly limit: number;
  readonly json: boolean;
}

/** A command line that cannot be run: its message says why, and the usage follows it. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Parses the arguments after `dead-letters`.
 *
 * @throws UsageError for an unknown action or option, a bad `--limit`, or `replay`/`purge`
 *   with neither a filter nor `--all` (so that a typo never empties the dead letters).
 */
export function parseDeadLetterCommand(args: readonly string[]): DeadLetterCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        signal: { type: 'string' },
        receiver: { type: 'string' },
        error: { type: 'string' },
        'message-id': { type: 'string' },
        id: { type: 'string', multiple: true },
        limit: { type: 'string', default: '20' },
        all: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const [action, ...extra] = positionals;
  if (action !== 'list' && action !== 'replay' && action !== 'purge') throw new UsageError(`Unknown action '${action ?? ''}': use list, replay or purge`);
  if (extra.length > 0) throw new UsageError(`Unexpected argument '${extra.join(' ')}'`);
  for (const name of ['signal', 'receiver', 'error', 'message-id', 'id'] as const) {
    const given = values[name];
    // An empty text would match every dead letter: `--error "$UNSET"` must not purge them all.
    if ((Array.isArray(given) ? given : [given]).some((value) => value !== undefined && value.trim() === '')) throw new UsageError(`--${name} needs a value`);
  }
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a whole number from 1, not '${values.limit}'`);
  const filter: DeadLetterFilter = {
    ...(values.signal !== undefined && { signal: values.signal }),
    ...(values.receiver !== undefined && { receiver: values.receiver }),
    ...(values.error !== undefined && { error: values.error }),
    ...(values['message-id'] !== undefined && { messageId: values['message-id'] }),
    ...(values.id !== undefined && { ids: values.id }),
  };
  if (action !== 'list' && Object.keys(filter).length === 0 && !values.all) {
    throw new UsageError(`${action} needs a filter, or --all for every dead letter`);
  }
  return { action, filter, limit, json: values.json };
}

/**
 * Runs `command` on `backend` and returns what to print.
 *
 * @throws UsageError on a backend without dead letters (in-process, failures are only logged);
 *   the broker's error when it cannot be reached.
 */
export async function runDeadLetterCommand(backend: BaseSignalBackend, command: DeadLetterCommand): Promise<string> {
  if (!(backend instanceof BrokerBackend)) {
    throw new UsageError('Dead letters exist on a broker backend only (SIGNALS_BACKEND=redis or rabbitmq): in-process, a failed receiver is logged');
  }
  if (command.action === 'list') {
    const letters = await backend.listDeadLetters({ ...command.filter, limit: command.limit });
    return command.json ? JSON.stringify(letters, null, 2) : formatDeadLetters(letters, await backend.deadLetterCount());
  }
  if (command.action === 'replay') {
    const result = await backend.replayDeadLetters(command.filter);
    if (command.json) return JSON.stringify(result, null, 2);
    const skipped = result.skipped.map(({ id, reason }) => `  skipped ${id}: ${reason}`);
    return [`Replayed ${result.replayed} dead letter${result.replayed === 1 ? '' : 's'}`, ...skipped].join('\n');
  }
  const deleted = await backend.deleteDeadLetters(command.filter);
  return command.json ? JSON.stringify({ deleted }) : `Purged ${deleted} dead letter${deleted === 1 ? '' : 's'}`;
}

/** One block per dead letter: id, when, signal and receiver, attempts, error, payload. */
export function formatDeadLetters(letters: readonly DeadLetterEntry[], total: number): string {
  if (letters.length === 0) return total === 0 ? 'No dead letters' : `None of the ${total} dead letters match`;
  const blocks = letters.map((letter) => {
    const payload = letter.envelope === undefined ? `raw ${letter.raw ?? ''}` : `payload ${JSON.stringify(letter.envelope.payload)}`;
    return [
      `${letter.id}  ${letter.deadLetteredAt ?? '(time unknown)'}`,
      `  ${letter.signal} -> ${letter.receiver}, ${letter.attempts} attempt${letter.attempts === 1 ? '' : 's'}, message ${letter.messageId ?? '(none)'}`,
      `  ${letter.error.name}: ${letter.error.message}`,
      `  ${payload.length > 200 ? `${payload.slice(0, 199)}…` : payload}`,
    ].join('\n');
  });
  return [...blocks, '', `${letters.length} shown of ${total} dead letters`].join('\n');
}
