import i18next from 'i18next';
import { eReceiptToken, eReceiptUrl } from '../../../common/e-receipt';
import type { PrintDocument } from '../../../common/printer/document';
import type { Sale } from '../../../common/sale';
import type { AppServices } from '../app-context';
import { languageOf } from '../i18n';
import { loadIdentity } from '../sync/identity';
import { receiptDocument, type Translate } from './receipt-text';

/**
 * Prints any document (a receipt, a Z report, a reprint) on the lane's receipt printer. The host
 * lays it out and encodes ESC/POS; this rejects with the host's reason (PAPER_OUT, COVER_OPEN,
 * DEVICE_OFFLINE, …) for `describePrintProblem` — the caller's record is already saved.
 */
export function printDocument(
  app: Pick<AppServices, 'host'>,
  document: PrintDocument,
): Promise<void> {
  return app.host.printer.print({ document });
}

/** Translations in a locale's language, whatever language the lane's screen is in. */
export function translatorFor(locale: string): Translate {
  return i18next.getFixedT(languageOf(locale)) as unknown as Translate;
}

/** A sale's receipt, in the store's language, with the e-receipt QR once the lane has a cloud. */
export async function printReceipt(
  app: Pick<AppServices, 'host' | 'db' | 'profile'>,
  sale: Sale,
): Promise<void> {
  const identity = await loadIdentity(app.db).catch(() => null);
  const url = identity
    ? eReceiptUrl(identity.cloudUrl, await eReceiptToken(identity.storeId, sale.id))
    : null;
  const document = receiptDocument(sale, {
    profile: app.profile,
    t: translatorFor(sale.locale),
    eReceiptUrl: url,
  });
  return printDocument(app, document);
}
