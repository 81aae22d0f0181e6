import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import type { Product } from '../../../common/catalog';
import { useApp } from '../app-context';
import { useMoneyFormat } from '../lane/format';
import { pictureFor } from './pictures';

/**
 * "Look up item": things without a barcode (produce first), by picture within a category. A tap
 * adds one; the panel stays open for the next.
 */
export function LookupPanel({ onPick, onClose }: { onPick(p: Product): void; onClose(): void }) {
  const { t } = useTranslation();
  const { db } = useApp();
  const fmt = useMoneyFormat();
  const categories = useLiveQuery(
    async () => (await db.catalog.orderBy('category').uniqueKeys()).map(String),
    [db],
  );
  const [chosen, setChosen] = useState('Produce');
  const items = useLiveQuery(
    () => db.catalog.where('category').equals(chosen).sortBy('name'),
    [db, chosen],
  );
  const ordered = categories
    ? ['Produce', ...categories.filter((c) => c !== 'Produce')].filter((c) =>
        categories.includes(c),
      )
    : [];
  return (
    <section className="kiosk-lookup" aria-labelledby="lookup-title" data-testid="kiosk-lookup">
      <header>
        <h2 id="lookup-title">{t('kiosk.lookUpTitle')}</h2>
        <button type="button" className="kiosk-secondary" onClick={onClose}>
          {t('kiosk.closeLookUp')}
        </button>
      </header>
      <div role="tablist" aria-label={t('kiosk.category')} className="kiosk-categories">
        {ordered.map((c) => (
          <button
            key={c}
            type="button"
            role="tab"
            aria-selected={c === chosen}
            onClick={() => setChosen(c)}
          >
            {c}
          </button>
        ))}
      </div>
      <ul className="kiosk-tiles" role="tabpanel" aria-label={chosen}>
        {(items ?? []).map((p) => (
          <li key={p.id}>
            <button
              type="button"
              className="kiosk-tile"
              aria-label={t('kiosk.addItem', { name: p.name, price: fmt(p.price) })}
              onClick={() => onPick(p)}
            >
              <span className="pic" aria-hidden="true">
                {pictureFor(p.name)}
              </span>
              <span className="name">{p.name}</span>
              <span className="price">{fmt(p.price)}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
