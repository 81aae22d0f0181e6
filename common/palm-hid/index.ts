/** palm-hid/1 codec: framing, assembly, messages, verification. Runtime-neutral. */
export * from './bytes';
export * from './constants';
export * from './errors';
export * from './framing';
export * from './messages';
export * from './verify';
