import { useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import type { ZReport } from '../../../common/shift/z-report';
import { useApp } from '../app-context';
import type { ShiftRow } from '../db/schema';
import { describeError } from '../lane/errors';
import { zReportDocument, zReportRows } from './z-report-text';

/** A shift's Z report on screen, with printing through the host's printer. */
export function ZReportView({ shift, report }: { shift: ShiftRow; report: ZReport }) {
  const { t } = useTranslation();
  const { host, profile } = useApp();
  const [status, setStatus] = useState<string | null>(null);
  const rows = zReportRows(t, shift, report, profile.locale);
  const print = async () => {
    try {
      await host.printer.print({ document: zReportDocument(t, profile.name, shift.id, rows) });
      setStatus(t('till.printed'));
    } catch (e) {
      setStatus(describeError(t, e));
    }
  };
  return (
    <section className="z-report" aria-labelledby="z-title" data-testid="z-report">
      <h3 id="z-title">{t('z.title')}</h3>
      <table>
        <tbody>
          {rows.map((r) => (
            <tr
              key={r.key}
              data-testid={`z-${r.key}`}
              className={
                r.key === 'overShort' && (report.overShort ?? 0) !== 0 ? 'warn' : undefined
              }
            >
              <th scope="row">{r.label}</th>
              <td className="num">{r.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => void print()}>
        {t('till.print')}
      </button>
      {status && <p role="status">{status}</p>}
    </section>
  );
}
