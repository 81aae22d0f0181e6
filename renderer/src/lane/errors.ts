import type { TFunction } from 'i18next';
import type { Problem } from '../../../common/checkout/types';
import { isDomainError } from '../../../common/errors';
import { HostError } from '../../../common/host/contract';

/** A refusal from the checkout machine, thrown to callers that report errors by catching. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
    this.name = 'ProblemError';
  }
}

/** A checkout problem in the cashier's language: its code's string, else the generic one. */
export function describeProblem(t: TFunction, p: Problem): string {
  if (p.code === 'DEVICE_NOT_RESPONDING' || p.code === 'TIMEOUT') return t('card.notResponding');
  if (p.code === 'TRANSPORT_CLOSED') return t('errors.hostDown');
  const text = t(`errors.${p.code}`, { ...p.details, defaultValue: '' });
  return text || t('errors.generic', { message: p.message });
}

/** Turns any thrown value into a sentence in the cashier's language. */
export function describeError(t: TFunction, e: unknown): string {
  if (e instanceof ProblemError) return describeProblem(t, e.problem);
  if (isDomainError(e)) {
    const key = `errors.${e.code}`;
    const text = t(key, { ...e.details, defaultValue: '' });
    return text || e.message;
  }
  if (e instanceof HostError) {
    if (e.code === 'DEVICE_NOT_RESPONDING' || e.code === 'TIMEOUT') return t('card.notResponding');
    if (e.code === 'TRANSPORT_CLOSED') return t('errors.hostDown');
    return t('errors.generic', { message: e.message });
  }
  return t('errors.generic', { message: e instanceof Error ? e.message : String(e) });
}

/** Why a document did not print, in the cashier's language; it always says the sale is saved. */
export function describePrintProblem(t: TFunction, p: Problem): string {
  switch (p.code) {
    case 'PAPER_OUT':
      return t('printer.paperOut');
    case 'COVER_OPEN':
      return t('printer.coverOpen');
    case 'DEVICE_OFFLINE':
    case 'TRANSPORT_CLOSED':
      return t('printer.offline');
    case 'DEVICE_NOT_RESPONDING':
    case 'TIMEOUT':
      return t('printer.notResponding');
    default:
      return t('printer.failed', { message: p.message });
  }
}
