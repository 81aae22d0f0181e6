import { describe, expect, it } from 'vitest';
import { decodeEscPos, paperText, runColumns } from '../../common/printer/escpos-decode';
import type { PrintDocument } from '../../common/printer/document';
import { displayWidth } from '../../common/printer/text-width';
import { drawerKickBytes, encodeEscPos } from './escpos-encode';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const ascii = (s: string) => Buffer.from(s, 'latin1').toString('hex');
const spaces = (n: number) => '20'.repeat(n);

/** A Korean receipt, small enough to spell out byte by byte (32 columns, 58 mm paper). */
const korean: PrintDocument = {
  title: 'receipt 01-000007',
  blocks: [
    { kind: 'text', text: '데모 마켓', align: 'center', bold: true },
    { kind: 'row', left: 'Milk', right: '₩3,500' },
    { kind: 'row', left: '합계', right: '₩3,500', bold: true },
    { kind: 'qr', data: 'http://x/r/ab' },
  ],
};

describe('ESC/POS encoding of a receipt (golden bytes)', () => {
  it('encodes a Korean receipt exactly: KS X 1001 in double-byte mode, aligned in columns', () => {
    const FS_ON = '1c26';
    const FS_OFF = '1c2e';
    const CP1252 = '1b7410';
    const WON = 'a3dc'; // ￦ in KS X 1001
    const expected = [
      '1b40', // ESC @ initialize
      '1c2e', // FS . double-byte mode off
      '1b4d00', // ESC M 0 font A
      // "데모 마켓" is 9 columns: 11 spaces before, 12 after, bold
      '1b4501',
      CP1252,
      spaces(11),
      FS_ON + 'b5a5b8f0' + FS_OFF, // 데모
      CP1252 + '20',
      FS_ON + 'b8b6c4cf' + FS_OFF, // 마켓
      CP1252 + spaces(12),
      '1b4500',
      '0a',
      // "Milk" + 21 spaces + "￦3,500" (2 + 5 columns) = 32
      ascii('Milk') + spaces(21),
      FS_ON + WON + FS_OFF,
      CP1252 + ascii('3,500'),
      '0a',
      // "합계" (4 columns) + 21 spaces + "￦3,500" = 32, bold
      '1b4501',
      FS_ON + 'c7d5b0e8' + FS_OFF,
      CP1252 + spaces(21),
      FS_ON + WON + FS_OFF,
      CP1252 + ascii('3,500'),
      '1b4500',
      '0a',
      // QR code model 2, module size 6, error level M, centred
      '1b6101',
      '1d286b04003141' + '3200',
      '1d286b03003143' + '06',
      '1d286b03003145' + '31',
      '1d286b1000315030' + ascii('http://x/r/ab'),
      '1d286b0300315130',
      '0a',
      '1b6100',
      // feed 4, partial cut
      '0a0a0a0a',
      '1d5601',
      '0a',
    ].join('');
    expect(hex(encodeEscPos(korean, { columns: 32 }))).toBe(expected);
  });

  it('encodes German labels and euros in Windows-1252', () => {
    const bytes = encodeEscPos(
      { title: 'de', blocks: [{ kind: 'row', left: 'Rückgeld', right: '1,50 €' }] },
      { columns: 32 },
    );
    // ü is 0xFC and € is 0x80 in Windows-1252 (ESC t 16)
    expect(hex(bytes)).toContain(
      '1b7410' + '52fc636b67656c64' + spaces(18) + '312c353020' + '80' + '0a',
    );
  });

  it('kicks the drawer with ESC p 0 (pin 2)', () => {
    expect(hex(drawerKickBytes({ columns: 42 }))).toBe('1b700019fa');
  });
});

describe('the emulated printer reads back what was encoded', () => {
  it('shows every line at the full width, Korean included, and the QR payload', () => {
    const receipt: PrintDocument = {
      title: 't',
      blocks: [
        { kind: 'text', text: '데모 마켓, 서울', align: 'center', bold: true, size: 2 },
        { kind: 'row', left: 'Bananas 1 lb', right: '₩1,200' },
        { kind: 'row', left: '부가세 포함 10%', right: '₩109' },
        { kind: 'row', left: '거스름돈', right: '₩8,800' },
        { kind: 'rule' },
        { kind: 'qr', data: 'https://cloud.example/r/0123' },
      ],
    };
    const paper = decodeEscPos(encodeEscPos(receipt, { columns: 42 }));
    expect(paper.unknown).toEqual([]);
    const lines = paper.items.filter((i) => i.kind === 'line' && i.runs.length > 0);
    for (const l of lines) {
      if (l.kind !== 'line') continue;
      const cols = l.runs.reduce((n, r) => n + runColumns(r) * r.scaleX, 0);
      expect(cols).toBe(42);
    }
    const text = paperText(paper);
    expect(text).toContain('부가세 포함 10%' + ' '.repeat(42 - 15 - 5) + '￦109');
    expect(displayWidth(text[1]!)).toBe(42);
    expect(text).toContain('[QR https://cloud.example/r/0123]');
    const kinds = paper.items.map((i) => i.kind);
    expect(kinds.indexOf('cut')).toBeGreaterThan(kinds.indexOf('qr'));
  });

  it('reads the drawer kick', () => {
    expect(decodeEscPos(drawerKickBytes({ columns: 42 })).items).toEqual([
      { kind: 'drawer-kick', pin: 2 },
    ]);
  });
});
