import { EventEmitter } from 'node:events';
import Emittery from 'emittery';
import { EventEmitter as EventEmitter3 } from 'eventemitter3';
import mittModule from 'mitt';
import { InProcessBackend, Signal, setBackend, type SignalLogger } from '../../src/signals/index.js';
import type { Contender } from '../lib/rounds.js';

/** The payload of every scenario: what `userCreated` carries in the reference app. */
export interface Payload {
  readonly id: number;
  readonly email: string;
  readonly name: string;
}

// mitt's types describe its CommonJS build (`exports.default`); its ESM build, which Node
// loads here, exports the function itself as the default.
const mitt = mittModule as unknown as typeof mittModule.default;

export type BenchReceiver = (payload: Payload) => unknown;

export const BASELINE = 'baseline';
export const SEND = 'signal.send';
/** The backend's dispatch alone: `send` without the payload check and the backend lookup. */
export const BACKEND_SEND = 'backend.send';
export const PEERS = ['node:events', 'eventemitter3', 'mitt', 'emittery'] as const;

/**
 * The floor for what `send` promises, written by hand: receivers in order, each awaited when
 * it returns a thenable, each failure caught and collected, inside an async function.
 */
export async function baselineSend(receivers: readonly BenchReceiver[], payload: Payload): Promise<Error[]> {
  const errors: Error[] = [];
  for (const receiver of receivers) {
    try {
      const result = receiver(payload);
      if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') await result;
    } catch (thrown) {
      errors.push(thrown instanceof Error ? thrown : new Error(String(thrown)));
    }
  }
  return errors;
}

/**
 * Every contender of one scenario, each holding its own copy of `receivers`. The signal gets
 * a backend of its own, installed by the returned `setup` before each of its rounds.
 *
 * Peers let a throwing listener escape `emit` (node:events, eventemitter3, mitt) or reject it
 * (emittery), so their runs catch it; the scenarios put the throwing receiver last so that
 * every contender still runs all of them.
 */
export function buildContenders(
  receivers: readonly BenchReceiver[],
  payload: Payload,
  logger: SignalLogger | undefined,
): { contenders: Contender[]; setup: () => void } {
  const backend = logger === undefined ? new InProcessBackend() : new InProcessBackend({ logger });
  const setup = (): void => void setBackend(backend);
  setup();
  const signal = new Signal<Payload>('bench.dispatch');
  for (const receiver of receivers) signal.connect(receiver);

  const contenders: Contender[] = [
    { name: BASELINE, awaited: true, run: () => baselineSend(receivers, payload) },
    { name: SEND, awaited: true, run: () => signal.send(payload) },
    { name: BACKEND_SEND, awaited: true, run: () => backend.send(signal, payload) },
    syncPeer('node:events', nodeEmit(receivers, payload)),
    syncPeer('eventemitter3', eventEmitter3Emit(receivers, payload)),
    syncPeer('mitt', mittEmit(receivers, payload)),
    { name: 'emittery', awaited: true, run: emitteryEmit(receivers, payload) },
  ];
  return { contenders, setup };
}

function syncPeer(name: string, emit: () => unknown): Contender {
  return {
    name,
    awaited: false,
    run: () => {
      try {
        emit();
      } catch {
        // The scenario's throwing receiver: caught so that the run goes on, as send's caller would.
      }
    },
  };
}

function nodeEmit(receivers: readonly BenchReceiver[], payload: Payload): () => unknown {
  const emitter = new EventEmitter();
  for (const receiver of receivers) emitter.on('event', receiver);
  return () => emitter.emit('event', payload);
}

function eventEmitter3Emit(receivers: readonly BenchReceiver[], payload: Payload): () => unknown {
  const emitter = new EventEmitter3();
  for (const receiver of receivers) emitter.on('event', receiver);
  return () => emitter.emit('event', payload);
}

function mittEmit(receivers: readonly BenchReceiver[], payload: Payload): () => unknown {
  const emitter = mitt<{ event: Payload }>();
  for (const receiver of receivers) emitter.on('event', receiver);
  return () => emitter.emit('event', payload);
}

function emitteryEmit(receivers: readonly BenchReceiver[], payload: Payload): () => Promise<unknown> {
  const emitter = new Emittery<{ event: Payload }>();
  // Emittery types listeners as returning void or a promise; ours return whatever they like.
  type EmitteryListener = (payload: Payload) => void | Promise<void>;
  for (const receiver of receivers) emitter.on('event', receiver as EmitteryListener);
  return () => emitter.emit('event', payload).catch(() => undefined);
}
