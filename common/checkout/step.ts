import {
  createEmptyActor,
  initialTransition,
  type AnyActorScope,
  type ExecutableActionsFrom,
  type SnapshotFrom,
} from 'xstate';
import type { Command } from './commands';
import { draftOf } from './context';
import type { CheckoutEvent } from './checkout-events';
import { checkoutMachine } from './machine';
import type { CheckoutDraft, CheckoutInput } from './types';

export type CheckoutSnapshot = SnapshotFrom<typeof checkoutMachine>;

export interface CheckoutStep {
  readonly snapshot: CheckoutSnapshot;
  /** In order: the machine's commands, then the draft write if the sale on disk changed. */
  readonly commands: readonly Command[];
}

/**
 * The draft is a projection of the context, so it is written by diffing rather than by every
 * transition remembering to: while the lane is loading, committing or on the receipt the draft
 * is left alone (completeSale deletes it in the sale's own transaction).
 */
function persisted(s: CheckoutSnapshot): CheckoutDraft | null | undefined {
  if (
    s.matches('loading') ||
    s.matches('committing') ||
    s.matches('commitFailed') ||
    s.matches('receipt')
  )
    return undefined;
  return draftOf(s.context);
}

const same = (a: CheckoutDraft | null, b: CheckoutDraft | null) =>
  JSON.stringify(a) === JSON.stringify(b);

function commandsOf(actions: readonly { type: string; params?: unknown }[]): Command[] {
  const out: Command[] = [];
  for (const a of actions) {
    if (a.type === 'emit' && a.params) out.push(a.params as Command);
    // No other action kinds exist: no delays, raises or invoked actors in this machine.
  }
  return out;
}

function draftCommands(prev: CheckoutSnapshot | null, next: CheckoutSnapshot): Command[] {
  const before = prev ? persisted(prev) : undefined;
  const after = persisted(next);
  if (before === undefined || after === undefined || same(before, after)) return [];
  return [after === null ? { type: 'draft.clear' } : { type: 'draft.save', draft: after }];
}

/** XState turns a throw inside the machine into an error snapshot; surface it as the throw. */
function healthy(s: CheckoutSnapshot): CheckoutSnapshot {
  if (s.status === 'error') throw s.error instanceof Error ? s.error : new Error(String(s.error));
  return s;
}

export function startCheckout(input: CheckoutInput): CheckoutStep {
  const [first, actions] = initialTransition(checkoutMachine, input);
  const snapshot = healthy(first);
  return { snapshot, commands: commandsOf(actions) };
}

type Action = ExecutableActionsFrom<typeof checkoutMachine>;

/**
 * The scope every step runs in, made once. xstate's `transition()` builds a fresh actor of the
 * machine for each call, and an actor's constructor computes the machine's initial state (here
 * without an input, which throws and is caught): two thirds of a step's ~140 µs, several steps
 * a payment, on the page's main thread. The machine invokes, spawns and delays nothing, so one
 * inert scope serves every step; it only collects the step's actions. Steps are synchronous,
 * so lanes sharing it never interleave.
 */
const collected: Action[] = [];
let scope: AnyActorScope | undefined;
function inertScope(): AnyActorScope {
  if (scope) return scope;
  const self = createEmptyActor();
  return (scope = {
    self,
    id: '',
    sessionId: '',
    logger: () => {},
    defer: () => {},
    emit: () => {},
    stopChild: () => {},
    system: self.system,
    actionExecutor: (a) => void collected.push(a as Action),
  });
}

/** One event in, the next snapshot and the commands to run out. Never runs anything itself. */
export function stepCheckout(snapshot: CheckoutSnapshot, event: CheckoutEvent): CheckoutStep {
  collected.length = 0;
  const after = checkoutMachine.transition(snapshot, event, inertScope());
  const actions = collected.splice(0);
  const next = healthy(after);
  return { snapshot: next, commands: [...commandsOf(actions), ...draftCommands(snapshot, next)] };
}
