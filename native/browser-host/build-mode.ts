import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BUILD_MODE_META } from '../../common/build-mode';

/** The Vite mode a renderer build in `staticDir` was made with, or null if it does not say. */
export async function buildModeOf(staticDir: string): Promise<string | null> {
  const html = await readFile(join(staticDir, 'index.html'), 'utf8');
  const m = new RegExp(`<meta name="${BUILD_MODE_META}" content="([a-z-]+)"`).exec(html);
  return m ? m[1]! : null;
}
