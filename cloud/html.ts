/** HTML helpers for the cloud's script-free pages (the dashboard). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const e = escapeHtml;

export const PAGE_STYLE = `body{font:15px system-ui,sans-serif;margin:2rem;color:#111;max-width:72rem}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #bbb;padding:.35rem .6rem;text-align:left;vertical-align:top}
tr.stale{background:#fff3cd}caption{text-align:left;font-weight:600}form.inline{display:inline;margin:0}
label{display:block;margin:.6rem 0 .2rem}input{font:inherit;padding:.3rem}button{font:inherit;padding:.3rem .8rem;margin:.2rem 0}
.notice{background:#e7f5e9;border:1px solid #7bc47f;padding:.5rem .8rem}.error{background:#fdecea;border:1px solid #e57373;padding:.5rem .8rem}
.code{font:700 2rem ui-monospace,monospace;letter-spacing:.1em}header{display:flex;gap:1rem;align-items:baseline;justify-content:space-between}`;

/** `refresh`: a meta refresh's content ("15", or "0;url=/dashboard/x"). */
export function layout(title: string, body: string, refresh?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${refresh ? `<meta http-equiv="refresh" content="${e(refresh)}">` : ''}
<title>${e(title)}</title><style>${PAGE_STYLE}</style></head><body>
${body}
</body></html>`;
}
