import { useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import { lineAmount, MAX_QUANTITY, type Cart } from '../../../common/cart';
import { useMoneyFormat } from './format';

interface Props {
  cart: Cart;
  editable: boolean;
  onQuantity(lineId: string, quantity: number): void;
  onVoid(lineId: string): void;
  onError(message: string | null): void;
}

export function CartView({ cart, editable, onQuantity, onVoid, onError }: Props) {
  const { t } = useTranslation();
  const fmt = useMoneyFormat();
  return (
    <section className="cart" aria-labelledby="cart-title">
      <h2 id="cart-title">{t('cart.title')}</h2>
      {cart.lines.length === 0 ? (
        <p className="muted empty">{t('cart.empty')}</p>
      ) : (
        <ol className="lines" aria-label={t('cart.title')}>
          {cart.lines.map((line) => (
            <li
              key={line.lineId}
              className={line.voided ? 'line voided' : 'line'}
              data-testid="cart-line"
            >
              <div className="line-name">
                <span className="name">{line.name}</span>
                {line.minimumAge > 0 && (
                  <span className="badge">{t('cart.ageRestricted', { age: line.minimumAge })}</span>
                )}
                {line.voided && <span className="badge void">{t('cart.voided')}</span>}
                <span className="muted small">
                  {t('cart.each', { price: fmt(line.unitPrice) })}
                </span>
              </div>
              {line.voided ? (
                <span className="qty-static">×{line.quantity}</span>
              ) : (
                <QuantityField
                  key={`${line.lineId}:${line.quantity}`}
                  label={t('cart.quantityFor', { name: line.name })}
                  quantity={line.quantity}
                  disabled={!editable}
                  onCommit={(q) => {
                    try {
                      onQuantity(line.lineId, q);
                      onError(null);
                      return true;
                    } catch (e) {
                      onError(t('errors.QUANTITY_OUT_OF_RANGE', { max: MAX_QUANTITY }));
                      void e;
                      return false;
                    }
                  }}
                />
              )}
              <span className="line-amount">{fmt(lineAmount(line))}</span>
              {!line.voided && (
                <button
                  type="button"
                  className="void"
                  disabled={!editable}
                  aria-label={t('cart.voidLine', { name: line.name })}
                  onClick={() => onVoid(line.lineId)}
                >
                  {t('cart.void')}
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** A quantity box that commits on Enter or blur and reverts (with the error shown) when invalid. */
function QuantityField(props: {
  label: string;
  quantity: number;
  disabled: boolean;
  onCommit(q: number): boolean;
}) {
  const [text, setText] = useState(String(props.quantity));
  const commit = () => {
    if (text === String(props.quantity)) return;
    const q = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
    if (!props.onCommit(q)) setText(String(props.quantity));
  };
  return (
    <input
      className="qty"
      inputMode="numeric"
      aria-label={props.label}
      value={text}
      disabled={props.disabled}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          commit();
          document.getElementById('scan-input')?.focus();
        } else if (e.key === 'Escape') {
          setText(String(props.quantity));
          document.getElementById('scan-input')?.focus();
        }
      }}
    />
  );
}
