import { Signal, type AnySignal } from '../signals/index.js';
import * as orderSignals from './order.signals.js';
import * as userSignals from './user.signals.js';

/** Every signal the app declares, in declaration order: for listing the wiring, metrics and the dashboard. */
export const appSignals: readonly AnySignal[] = [...Object.values(userSignals), ...Object.values(orderSignals)].filter(
  (value): value is AnySignal => value instanceof Signal,
);
