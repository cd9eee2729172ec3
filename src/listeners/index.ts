import { registerOrderListeners, type OrderListenerDeps } from './order.listeners.js';
import { registerUserListeners, type UserListenerDeps } from './user.listeners.js';

export type ListenerDeps = UserListenerDeps & OrderListenerDeps;

/**
 * Connects every receiver of the app to its signal on the current backend.
 *
 * @returns a disposer that disconnects them all; safe to call twice.
 */
export function registerListeners(deps: ListenerDeps): () => void {
  const scopes = [...registerUserListeners(deps), ...registerOrderListeners(deps)];
  return () => scopes.forEach((scope) => scope.dispose());
}
