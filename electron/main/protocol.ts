import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { contentSecurityPolicy, ISOLATION_HEADERS } from '../../common/csp';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = 'app://terminal';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/**
 * Serves the built renderer on app://terminal with the same headers as browser mode (CSP and
 * cross-origin isolation), which file:// URLs cannot carry. Paths never escape the root.
 */
export async function serveAppFile(
  root: string,
  requestUrl: string,
  connectSrc: string[],
): Promise<Response> {
  const url = new URL(requestUrl);
  if (url.host !== 'terminal') return new Response('Not found', { status: 404 });
  const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
  const path = normalize(join(root, rel));
  if (!path.startsWith(normalize(root) + sep)) return new Response('Forbidden', { status: 403 });
  try {
    const body = await readFile(path);
    return new Response(body, {
      headers: {
        'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream',
        'Content-Security-Policy': contentSecurityPolicy(connectSrc),
        'X-Content-Type-Options': 'nosniff',
        ...ISOLATION_HEADERS,
      },
    });
  } catch {
    return new Response('Not found', { status: 404 });
  }
}
