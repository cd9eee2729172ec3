import { Signal } from '../signals/index.js';

export interface UserCreated {
  id: number;
  email: string;
  name: string;
}

export interface UserUpdated {
  id: number;
  /** The names of the fields whose value changed; empty when the patch changed nothing. */
  changes: string[];
}

export interface UserDeleted {
  id: number;
}

// #region guide:password-changed-signal
export interface UserPasswordChanged {
  id: number;
  /** The address at the time of the change: the notice goes there even if it changes next. */
  email: string;
}

/** Sent after a change of password is committed. */
export const userPasswordChanged = new Signal<UserPasswordChanged>('user.password_changed');
// #endregion

/** Sent after a user is committed. */
export const userCreated = new Signal<UserCreated>('user.created');
/** Sent after a user update is committed. */
export const userUpdated = new Signal<UserUpdated>('user.updated');
/** Sent after a user deletion is committed. */
export const userDeleted = new Signal<UserDeleted>('user.deleted');
