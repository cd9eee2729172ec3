import type { RedisClient } from './redis-connection.js';

/**
 * Trims `stream` (XTRIM MINID) up to the oldest entry that some consumer group still needs:
 * its oldest pending entry (delivered, not yet acknowledged, a retry waiting out its backoff
 * included) or, when none is pending, its last delivered one. Entries no group has read yet
 * come after that and stay. A stream without groups is left alone: a group created later
 * with `startFrom: 'beginning'` may want its history.
 *
 * @returns how many entries were removed.
 */
export async function trimAcknowledged(client: RedisClient, stream: string): Promise<number> {
  const groups = await client.xInfoGroups(stream);
  let oldestNeeded: string | undefined;
  for (const group of groups) {
    let needed = String(group['last-delivered-id']);
    if (Number(group.pending) > 0) {
      const { firstId } = await client.xPending(stream, String(group.name));
      if (firstId !== null) needed = olderOf(needed, String(firstId));
    }
    oldestNeeded = oldestNeeded === undefined ? needed : olderOf(oldestNeeded, needed);
  }
  if (oldestNeeded === undefined) return 0;
  return client.xTrim(stream, 'MINID', oldestNeeded);
}

/** The older of two stream ids (`<ms>-<seq>`). */
export function olderOf(a: string, b: string): string {
  const [aMs = 0n, aSeq = 0n] = a.split('-').map(BigInt);
  const [bMs = 0n, bSeq = 0n] = b.split('-').map(BigInt);
  return aMs < bMs || (aMs === bMs && aSeq <= bSeq) ? a : b;
}
