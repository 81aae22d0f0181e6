import { describe, expect, it } from 'vitest';
import { deletionRequestSchema } from '../../../common/sync/enrolment';
import { CUSTOMER_REF, lookupFromDecision, palmDeletionRequest } from './palm-deletion';

describe('deletion at the lane', () => {
  it('only an accept or step-up names a record; no match says not enrolled', () => {
    expect(lookupFromDecision({ kind: 'accept', templateId: 'enr_1' })).toEqual({
      kind: 'matched',
      templateId: 'enr_1',
    });
    expect(lookupFromDecision({ kind: 'step-up', templateId: 'enr_1' }).kind).toBe('matched');
    expect(lookupFromDecision({ kind: 'no-match', templateId: null }).kind).toBe('not-enrolled');
  });

  it('builds a request the cloud’s schema accepts, carrying only the signed bytes', () => {
    const capture = { signed: 'A'.repeat(40), scannerSerial: 'EMU-0001', template: [1, 2, 3] };
    const req = palmDeletionRequest('enr_1', capture, '0123');
    expect(deletionRequestSchema.safeParse(req).success).toBe(true);
    expect(JSON.stringify(req)).not.toContain('template"');
    expect(palmDeletionRequest('enr_1', capture, '12a4')).toBeNull();
    expect(palmDeletionRequest('enr_1', capture, '12345')).toBeNull();
  });

  it('a shopper ref is what the cloud issues', () => {
    expect(CUSTOMER_REF.test('cus_0a1b2c3d4e5f6a7b8c9d')).toBe(true);
    expect(CUSTOMER_REF.test('cus_<script>')).toBe(false);
  });
});
