import { describe, expect, it } from 'vitest';
import { scrubText } from './scrub';

describe('scrubText', () => {
  it('removes card and phone numbers, e-mail addresses, provisioning codes and tokens', () => {
    const s = scrubText(
      'card 4242 4242 4242 4242 for ana@example.com, +49 170 1234567, code K7QM-2D9X-PLW4, token=e2e-token-0123456789abcdef',
    );
    for (const secret of ['4242', 'ana@', '1234567', 'K7QM', '0123456789abcdef'])
      expect(s).not.toContain(secret);
  });

  it('keeps codes, counts and short numbers', () => {
    expect(scrubText('PAPER_OUT after 3 jobs on lane L01 (HTTP 503)')).toBe(
      'PAPER_OUT after 3 jobs on lane L01 (HTTP 503)',
    );
  });
});
