import type { TFunction } from 'i18next';
import { isDomainError } from '../../../common/errors';
import { HostError } from '../../../common/host/contract';

/** Turns any thrown value into a sentence in the cashier's language. */
export function describeError(t: TFunction, e: unknown): string {
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
