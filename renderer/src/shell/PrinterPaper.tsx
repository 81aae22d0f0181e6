import { encodeQR } from 'qr';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import type { PrintedJob, PrinterFault } from '../../../common/host/contract';
import {
  decodeEscPos,
  runColumns,
  type PaperItem,
  type PaperRun,
} from '../../../common/printer/escpos-decode';
import { useApp } from '../app-context';
import './printer-paper.css';

const FAULTS: readonly PrinterFault[] = ['none', 'paper-out', 'cover-open', 'offline'];
/** Dots per column in font A on 80 mm paper (512 dots / 42 columns), for the QR code's size. */
const DOTS_PER_COLUMN = 512 / 42;

/**
 * The emulated printer's paper: the last job it received, decoded from its ESC/POS bytes and
 * drawn the way the printer would — a fixed grid of columns where a Korean character takes two,
 * bold and double size as sent, the QR code from the payload the printer was given.
 */
export function PrinterPaper() {
  const { t } = useTranslation();
  const { host } = useApp();
  const [jobs, setJobs] = useState<readonly PrintedJob[]>([]);
  const [fault, setFault] = useState<PrinterFault>('none');
  useEffect(() => {
    let live = true;
    host.emulator
      .printedJobs()
      .then((j) => live && setJobs(j))
      .catch(() => undefined);
    const off = host.onEvent((e) => {
      if (e.type === 'printed') setJobs((old) => [...old.slice(-19), e.job]);
    });
    return () => {
      live = false;
      off();
    };
  }, [host]);
  const receipts = jobs.filter((j) => j.title !== 'drawer kick');
  const job = receipts.at(-1);
  return (
    <div className="printer-emulator" role="group" aria-label={t('printerEmulator.title')}>
      <label className="small">
        {t('printerEmulator.fault')}{' '}
        <select
          value={fault}
          data-testid="printer-fault"
          onChange={(e) => {
            const f = e.target.value as PrinterFault;
            setFault(f);
            void host.emulator.setPrinterFault({ fault: f });
          }}
        >
          {FAULTS.map((f) => (
            <option key={f} value={f}>
              {t(`printerEmulator.${f}`)}
            </option>
          ))}
        </select>
      </label>
      {job ? <Paper job={job} /> : <p className="small muted">{t('printerEmulator.empty')}</p>}
    </div>
  );
}

function Paper({ job }: { job: PrintedJob }) {
  const { t } = useTranslation();
  const bytes = useMemo(() => base64ToBytes(job.escpos), [job.escpos]);
  const paper = useMemo(() => decodeEscPos(bytes), [bytes]);
  return (
    <figure className="paper-wrap">
      <figcaption className="small muted">
        {t('printerEmulator.paper')} —{' '}
        {t('printerEmulator.job', { id: job.id, bytes: bytes.length })}
      </figcaption>
      <div className="paper" data-testid="printer-paper" data-job={job.id}>
        {paper.items.map((item, i) => (
          <PaperLine key={i} item={item} />
        ))}
      </div>
    </figure>
  );
}

function PaperLine({ item }: { item: PaperItem }) {
  const { t } = useTranslation();
  switch (item.kind) {
    case 'line': {
      const columns = item.runs.reduce((n, r) => n + runColumns(r) * r.scaleX, 0);
      return (
        <div
          className={`paper-line align-${item.align}`}
          data-testid="paper-line"
          data-columns={columns}
        >
          {item.runs.map((r, i) => (
            <Run key={i} run={r} />
          ))}
          {item.runs.length === 0 && ' '}
        </div>
      );
    }
    case 'qr':
      return <QrCode data={item.data} moduleSize={item.moduleSize} />;
    case 'cut':
      return <div className="paper-cut">✂ {t('printerEmulator.cut')}</div>;
    case 'drawer-kick':
      return (
        <div className="paper-note small muted">
          {t('printerEmulator.drawerKick', { pin: item.pin })}
        </div>
      );
  }
}

/** A run of text; double-byte characters each fill a two-column cell, whatever the font does. */
function Run({ run }: { run: PaperRun }) {
  const style = {
    fontWeight: run.bold ? 700 : 400,
    textDecoration: run.underline ? 'underline' : undefined,
    fontSize: `${run.scaleY}em`,
  };
  const cls = run.invert ? 'paper-run invert' : 'paper-run';
  if (!run.doubleByte) {
    return (
      <span
        className={cls}
        style={{ ...style, width: `${(runColumns(run) * run.scaleX) / run.scaleY}ch` }}
      >
        {run.text}
      </span>
    );
  }
  return (
    <span className={cls} style={style}>
      {[...run.text].map((ch, i) => (
        <span
          key={i}
          className="paper-wide"
          style={{ width: `${(2 * run.scaleX) / run.scaleY}ch` }}
        >
          {ch}
        </span>
      ))}
    </span>
  );
}

/** The QR code the printer would print, at its module size in printer dots. */
function QrCode({ data, moduleSize }: { data: string; moduleSize: number }) {
  // The quiet zone is the library's (two modules); the printer's own is about the same.
  const modules = useMemo(() => {
    try {
      return encodeQR(data, 'raw', { ecc: 'medium' });
    } catch {
      return null; // not encodable as a QR code: the printer would print nothing either
    }
  }, [data]);
  if (!modules) return <div className="paper-note">[QR {data}]</div>;
  const n = modules.length;
  let d = '';
  modules.forEach((row, y) =>
    row.forEach((on, x) => {
      if (on) d += `M${x} ${y}h1v1h-1z`;
    }),
  );
  const widthCh = (n * moduleSize) / DOTS_PER_COLUMN;
  return (
    <div className="paper-qr" data-testid="paper-qr" data-qr={data}>
      <svg
        viewBox={`0 0 ${n} ${n}`}
        style={{ width: `${widthCh}ch` }}
        role="img"
        aria-label={data}
        shapeRendering="crispEdges"
      >
        <path d={d} fill="#111" />
      </svg>
    </div>
  );
}

function base64ToBytes(b64: string): Uint8Array {
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}
