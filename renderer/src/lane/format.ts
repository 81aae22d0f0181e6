import { formatMoney, money, type Money } from '../../../common/money';
import { useApp } from '../app-context';

/** Money formatting bound to the store's locale. */
export function useMoneyFormat(): (m: Money | number) => string {
  const { profile } = useApp();
  return (m) => formatMoney(typeof m === 'number' ? money(m, profile.currency) : m, profile.locale);
}
