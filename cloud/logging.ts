import type { FastifyServerOptions } from 'fastify';

/**
 * The cloud's request log (Fastify's pino), on by default. Secrets never reach it: credentials
 * travel in headers (authorization, cookie, x-palm-signature), which are redacted should any log
 * line carry them, and the logged URL has its query values and login-link tokens replaced.
 */
export interface CloudLogOptions {
  /** Where lines go (a pino destination, a file stream, a test's collector); default stdout. */
  readonly stream?: { write(line: string): unknown };
  /** A file to append to instead (the embedded cloud: its data directory). */
  readonly file?: string;
  readonly level?: string;
}

const REDACTED = '[redacted]';

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-palm-signature"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-palm-signature"]',
  '*.token',
  '*.passcode',
  '*.adminToken',
];

/** The URL as logged: query values and the token of a login link replaced. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = (q === -1 ? url : url.slice(0, q)).replace(
    /^(\/dashboard\/link\/)[^/?#]+/,
    `$1${REDACTED}`,
  );
  if (q === -1) return path;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((p) => {
      const eq = p.indexOf('=');
      return eq === -1 ? p : `${p.slice(0, eq)}=${REDACTED}`;
    });
  return `${path}?${params.join('&')}`;
}

export function loggerOptions(o: CloudLogOptions | false): FastifyServerOptions['logger'] {
  if (o === false) return false;
  return {
    level: o.level ?? 'info',
    ...(o.file ? { file: o.file } : o.stream ? { stream: o.stream } : {}),
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers: {
      // Method, URL (redacted) and address: never the headers.
      req: (req: { method?: string; url?: unknown; ip?: string }) => ({
        method: req.method,
        url: typeof req.url === 'string' ? redactUrl(req.url) : undefined,
        remoteAddress: req.ip,
      }),
    },
  };
}
