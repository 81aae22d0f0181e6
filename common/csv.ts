/**
 * One CSV cell: quoted when needed, and defused when it starts like a spreadsheet formula
 * (=, +, -, @, tab, CR), so opening an export in Excel cannot run anything (OWASP CSV injection).
 * Numbers the exporter formats itself go through `csvNumber`, which leaves a minus sign alone.
 */
export function csvCell(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A number the exporter produced (never user text): plain digits, an optional sign and point. */
export function csvNumber(value: string): string {
  if (!/^-?\d+(\.\d+)?$/.test(value)) throw new RangeError(`${value} is not a plain number`);
  return value;
}

/** RFC 4180 rows with CRLF line ends. */
export function csvRows(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.join(',')).join('\r\n') + '\r\n';
}
