import { requiredAge } from '../cart';
import { cardStates } from './card';
import {
  editCart,
  hasItems,
  initialContext,
  newSaleContext,
  pendingAgeLine,
  remaining,
  restoreDraft,
  SALE_LOCKED,
  usableDraft,
} from './context';
import { cashPart, partProblem, validPart } from './split';
import { palmStates } from './palm';
import { palmWith } from './palm-rules';
import { assignOn, checkout, emit, update } from './setup';
import { palmOffered, toCard, toCash, toPalm, toScanning, toWallet } from './targets';
import { startWallet, validCode, walletStates } from './wallet';
import type { CheckoutContext } from './types';

/**
 * The checkout as one state chart (XState v5, stepped only through the pure transition()):
 *
 *   loading → scanning{idle | ageCheck} → tender{cash | card{…} | palm{…}} → committing → receipt
 *                                                                              ↘ commitFailed
 *
 * Why XState rather than a hand-written reducer: the checkout is hierarchical (the tender's
 * branches share "switch tender / back" and override it where a payment is in flight), it has
 * eventless checks (an age check appears whenever a line needs one) and guarded choices, and
 * `snapshot.can(event)` tells the view which buttons work from the same definition. Those are
 * what a statechart library does well and a reducer would re-implement; transition() keeps it
 * pure, so commands come back as data and every path is testable in Node.
 */

type Ctx = { context: CheckoutContext };
const canTender = ({ context }: Ctx) => hasItems(context) && pendingAgeLine(context) === null;
const cartEdit = {
  actions: checkout.assign(({ context, event }) =>
    event.type === 'ADD_PRODUCT' || event.type === 'SET_QUANTITY' || event.type === 'VOID_LINE'
      ? { ...editCart(context, event), ...palmWith(context, { notice: null }), handBack: null }
      : {},
  ),
};
const locked = { actions: checkout.assign({ cartProblem: SALE_LOCKED }) };

export const checkoutMachine = checkout.createMachine({
  id: 'checkout',
  context: ({ input }) => initialContext(input),
  initial: 'loading',
  on: {
    // Outside scanning the sale is locked: an edit is refused with the reason, not lost silently.
    ADD_PRODUCT: locked,
    SET_QUANTITY: locked,
    VOID_LINE: locked,
    SCANNER_STATUS: { actions: assignOn('SCANNER_STATUS', (_c, e) => ({ scannerState: e.state })) },
    // A pause outlives leaving the palm tender: it ends only when its timer fires.
    TIMER_FIRED: {
      guard: ({ event }) => event.timer === 'palm-pause',
      actions: update((c) => palmWith(c, { paused: false })),
    },
  },
  states: {
    loading: {
      entry: emit(() => ({ type: 'draft.load' })),
      on: {
        DRAFT_LOADED: [
          {
            guard: ({ context, event }) =>
              usableDraft(context, event.draft) && Boolean(event.draft.pendingPalmPaymentId),
            target: 'tender.palm.cancelling',
            actions: assignOn('DRAFT_LOADED', (c, e) => restoreDraft(c, e.draft!)),
          },
          {
            guard: ({ context, event }) =>
              usableDraft(context, event.draft) && Boolean(event.draft.pendingWalletPaymentId),
            target: 'tender.wallet.cancelling',
            actions: assignOn('DRAFT_LOADED', (c, e) => restoreDraft(c, e.draft!)),
          },
          {
            guard: ({ context, event }) =>
              usableDraft(context, event.draft) && Boolean(event.draft.pendingCardPaymentId),
            target: 'tender.card.resuming',
            actions: assignOn('DRAFT_LOADED', (c, e) => restoreDraft(c, e.draft!)),
          },
          // Cash already tendered toward the sale: back to the cash panel with what is left due.
          {
            guard: ({ context, event }) =>
              usableDraft(context, event.draft) && (event.draft.paidCash?.length ?? 0) > 0,
            target: 'tender.cash',
            actions: assignOn('DRAFT_LOADED', (c, e) => restoreDraft(c, e.draft!)),
          },
          {
            guard: ({ context, event }) => usableDraft(context, event.draft),
            target: 'scanning',
            actions: assignOn('DRAFT_LOADED', (c, e) => restoreDraft(c, e.draft!)),
          },
          { target: 'scanning' },
        ],
      },
    },
    scanning: {
      initial: 'idle',
      entry: update(() => ({ due: null })),
      on: {
        ADD_PRODUCT: cartEdit,
        SET_QUANTITY: cartEdit,
        VOID_LINE: cartEdit,
        // A kiosk's abandoned basket: nothing is paid or in flight while scanning, so the sale
        // can be set aside (the view logs it) and a fresh one started.
        SUSPEND_SALE: {
          target: '.idle',
          actions: assignOn('SUSPEND_SALE', (c, e) => newSaleContext(c, e.saleId, e.startedAt)),
        },
        AGE_VERIFIED: {
          actions: assignOn('AGE_VERIFIED', (c, e) => ({
            palmAgeVerifiedFor: Math.max(c.palmAgeVerifiedFor, Math.trunc(e.age) || 0),
          })),
        },
        // Palm may be chosen with an ID check pending: an age-verified shopper's record covers it.
        PAY_PALM: { ...toPalm, guard: ({ context }) => hasItems(context) && palmOffered(context) },
      },
      states: {
        idle: {
          always: { guard: ({ context }) => pendingAgeLine(context) !== null, target: 'ageCheck' },
          on: {
            PAY_CASH: { ...toCash, guard: canTender },
            PAY_CARD: { ...toCard, guard: canTender },
            PAY_WALLET: { ...toWallet, guard: canTender },
            // The shopper's wallet code scanned into the sale's scan field: pay the sale with it.
            WALLET_CODE: {
              guard: (a) => canTender(a) && validCode(a),
              target: '#checkout.tender.wallet.authorizing',
              actions: startWallet,
            },
          },
        },
        /** An active line needs an ID check; the sale cannot be tendered by cash or card. */
        ageCheck: {
          always: { guard: ({ context }) => pendingAgeLine(context) === null, target: 'idle' },
          on: {
            CONFIRM_AGE: {
              actions: update((c) => ({
                ageCheckedFor: Math.max(c.ageCheckedFor, pendingAgeLine(c)?.minimumAge ?? 0),
              })),
            },
            REFUSE_AGE: {
              actions: checkout.assign(({ context }) => {
                const line = pendingAgeLine(context);
                return line ? editCart(context, { type: 'VOID_LINE', lineId: line.lineId }) : {};
              }),
            },
          },
        },
      },
    },
    tender: {
      // The cart is locked from here on, so the amount due is fixed once.
      entry: update((c) => ({ due: remaining(c), cartProblem: null, handBack: null })),
      // Always entered through a branch (PAY_CASH / PAY_CARD / PAY_PALM, or a resumed card).
      initial: 'cash',
      states: {
        cash: {
          on: {
            CASH_GIVEN: [
              {
                guard: ({ context, event }) =>
                  context.due !== null &&
                  event.given.currency === context.due.currency &&
                  Number.isSafeInteger(event.given.amount) &&
                  event.given.amount >= context.due.amount,
                target: '#checkout.committing',
                actions: assignOn('CASH_GIVEN', (c, e) => ({
                  cashProblem: null,
                  commitProblem: null,
                  tenders: [
                    ...c.paid,
                    {
                      kind: 'cash',
                      amount: c.due!,
                      given: e.given,
                      change: { amount: e.given.amount - c.due!.amount, currency: c.due!.currency },
                    },
                  ],
                })),
              },
              {
                actions: assignOn('CASH_GIVEN', (c, e) => ({
                  cashProblem:
                    c.due && e.given.currency !== c.due.currency
                      ? { code: 'CURRENCY_MISMATCH', message: 'Cash is in another currency' }
                      : {
                          code: 'CASH_TOO_LOW',
                          message: 'Cash given is less than the amount due',
                          details: { given: e.given.amount, total: c.due?.amount ?? 0 },
                        },
                })),
              },
            ],
            // Part of the sale in cash (split tender): the rest stays due for the next tender.
            CASH_PART: [
              { guard: validPart, actions: cashPart },
              {
                actions: assignOn('CASH_PART', (c, e) => ({
                  cashProblem: partProblem(c, e.given),
                })),
              },
            ],
            PAY_CARD: toCard,
            PAY_PALM: toPalm,
            PAY_WALLET: toWallet,
            BACK: toScanning,
          },
        },
        card: cardStates,
        palm: palmStates,
        wallet: walletStates,
      },
    },
    committing: {
      entry: emit((c) =>
        c.tenders
          ? {
              type: 'sale.commit',
              saleId: c.saleId,
              startedAt: c.startedAt,
              cart: c.cart,
              tenders: c.tenders,
              ageCheckedFor: c.ageCheckedFor,
              palmAgeVerifiedFor: Math.min(c.palmAgeVerifiedFor, requiredAge(c.cart)),
            }
          : null,
      ),
      on: {
        SALE_COMMITTED: {
          guard: ({ context, event }) => event.sale.id === context.saleId,
          target: 'receipt',
          actions: [
            assignOn('SALE_COMMITTED', (_c, e) => ({
              receipt: { sale: e.sale, printed: false, printProblem: null, drawerProblem: null },
            })),
            emit(() => ({ type: 'sync.nudge' })),
            emit((c) =>
              c.tenders?.some((t) => t.kind === 'cash') ? { type: 'drawer.open' } : null,
            ),
          ],
        },
        COMMIT_FAILED: [
          // Nothing was charged: back to the cash panel with the reason.
          {
            guard: ({ context }) => context.tenders?.every((t) => t.kind === 'cash') ?? true,
            target: 'tender.cash',
            actions: assignOn('COMMIT_FAILED', (_c, e) => ({
              cashProblem: e.problem,
              tenders: null,
            })),
          },
          // A card or palm payment was taken: the sale must be written; only retrying is offered.
          {
            target: 'commitFailed',
            actions: assignOn('COMMIT_FAILED', (_c, e) => ({ commitProblem: e.problem })),
          },
        ],
      },
    },
    commitFailed: {
      on: { COMMIT_RETRY: { target: 'committing' } },
    },
    receipt: {
      on: {
        PRINT: {
          actions: emit((c) =>
            c.receipt ? { type: 'receipt.print', sale: c.receipt.sale } : null,
          ),
        },
        PRINTED: {
          actions: update((c) =>
            c.receipt ? { receipt: { ...c.receipt, printed: true, printProblem: null } } : {},
          ),
        },
        PRINT_FAILED: {
          actions: assignOn('PRINT_FAILED', (c, e) =>
            c.receipt ? { receipt: { ...c.receipt, printed: false, printProblem: e.problem } } : {},
          ),
        },
        DRAWER_FAILED: {
          actions: assignOn('DRAWER_FAILED', (c, e) =>
            c.receipt ? { receipt: { ...c.receipt, drawerProblem: e.problem } } : {},
          ),
        },
        NEW_SALE: {
          target: 'scanning',
          actions: [
            emit(() => ({ type: 'timer.clear', timer: 'palm-pause' })),
            assignOn('NEW_SALE', (c, e) => newSaleContext(c, e.saleId, e.startedAt)),
          ],
        },
      },
    },
  },
});

export type CheckoutMachine = typeof checkoutMachine;
