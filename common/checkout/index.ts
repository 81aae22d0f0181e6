export type { Command, CommandType } from './commands';
export type { CheckoutEvent, CheckoutEventType, TimerId } from './checkout-events';
export type * from './ports';
export type * from './types';
export { DEFAULT_PALM_SETTINGS, PALM_BLOCKING } from './types';
export { cardInFlight, palmInFlight, pendingAgeLine, total } from './context';
export { checkoutMachine } from './machine';
export { startCheckout, stepCheckout, type CheckoutSnapshot, type CheckoutStep } from './step';
export {
  cardStep,
  checkoutPhase,
  palmStep,
  type CardStep,
  type CheckoutPhase,
  type PalmStep,
} from './phase';
