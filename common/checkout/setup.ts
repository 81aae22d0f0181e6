import { setup } from 'xstate';
import type { Command } from './commands';
import type { CheckoutEvent, CheckoutEventType } from './checkout-events';
import type { CheckoutContext, CheckoutInput } from './types';

/**
 * XState v5 set-up shared by the machine's modules. The machine is only ever stepped with the
 * pure `transition()`: the one action, `emit`, is never executed — transition() hands it back as
 * data and stepCheckout() turns it into the Command the driver runs.
 */
export const checkout = setup({
  types: {
    context: {} as CheckoutContext,
    events: {} as CheckoutEvent,
    input: {} as CheckoutInput,
  },
  actions: {
    emit: (_args: unknown, _command: Command | null) => undefined,
  },
});

type EventOf<T extends CheckoutEventType> = Extract<CheckoutEvent, { type: T }>;

/** Emit a command computed from the context (null: nothing to do). */
export function emit(fn: (context: CheckoutContext, event: CheckoutEvent) => Command | null) {
  return {
    type: 'emit' as const,
    params: ({ context, event }: { context: CheckoutContext; event: CheckoutEvent }) =>
      fn(context, event),
  };
}

/** Emit a command from an event of a known type (other events emit nothing). */
export function emitOn<T extends CheckoutEventType>(
  type: T,
  fn: (context: CheckoutContext, event: EventOf<T>) => Command | null,
) {
  return emit((context, event) => (event.type === type ? fn(context, event as EventOf<T>) : null));
}

/** Assign from an event of a known type (other events change nothing). */
export function assignOn<T extends CheckoutEventType>(
  type: T,
  fn: (context: CheckoutContext, event: EventOf<T>) => Partial<CheckoutContext>,
) {
  return checkout.assign(({ context, event }) =>
    event.type === type ? fn(context, event as EventOf<T>) : {},
  );
}

/** Assign from the context alone. */
export function update(fn: (context: CheckoutContext) => Partial<CheckoutContext>) {
  return checkout.assign(({ context }) => fn(context));
}
