import { useTranslation } from '../i18n/use-translation';
import { activeLines, lineAmount, type Cart } from '../../../common/cart';
import { useMoneyFormat } from '../lane/format';

interface Props {
  cart: Cart;
  editable: boolean;
  /** Lines with a removal waiting for an attendant. */
  removing: ReadonlySet<string>;
  onMore(lineId: string, quantity: number): void;
  onRemove(lineId: string): void;
}

/**
 * The shopper's basket: one row per item with touch targets of at least 44 px. Adding one more
 * is the shopper's; taking one off is a request an attendant approves (nothing leaves the bill
 * until then).
 */
export function KioskBasket({ cart, editable, removing, onMore, onRemove }: Props) {
  const { t } = useTranslation();
  const fmt = useMoneyFormat();
  const lines = activeLines(cart);
  return (
    <section className="kiosk-basket" aria-labelledby="basket-title">
      <h2 id="basket-title">{t('kiosk.basket')}</h2>
      {lines.length === 0 ? (
        <p className="kiosk-muted">{t('kiosk.basketEmpty')}</p>
      ) : (
        <ul>
          {lines.map((l) => (
            <li key={l.lineId} data-testid="kiosk-line">
              <span className="name">
                {l.name}
                {l.minimumAge > 0 && <span className="age"> {l.minimumAge}+</span>}
              </span>
              <span className="qty">{t('kiosk.quantity', { count: l.quantity })}</span>
              <span className="amount">{fmt(lineAmount(l))}</span>
              <button
                type="button"
                className="kiosk-icon"
                aria-label={t('kiosk.more', { name: l.name })}
                disabled={!editable}
                onClick={() => onMore(l.lineId, l.quantity + 1)}
              >
                +
              </button>
              <button
                type="button"
                className="kiosk-icon"
                aria-label={t('kiosk.remove', { name: l.name })}
                disabled={!editable || removing.has(l.lineId)}
                onClick={() => onRemove(l.lineId)}
              >
                −
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
