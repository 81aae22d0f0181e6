import { describe, expect, it } from 'vitest';
import type { EnrolProblem } from '../../../common/enrolment/types';
import { enrolmentStrings } from './enrolment-strings';

/** Every problem the enrolment flow can report: a Record, so a new one is a type error here. */
const PROBLEMS: Record<EnrolProblem, true> = {
  offline: true,
  'card-declined': true,
  'card-unavailable': true,
  'card-cancelled': true,
  'phone-empty': true,
  'phone-invalid': true,
  'phone-too-long': true,
  'capture-quality': true,
  'capture-liveness': true,
  'capture-format': true,
  'capture-inconsistent': true,
  'capture-device': true,
  'capture-timeout': true,
  'palm-too-many-tries': true,
  'cloud-unreachable': true,
  'cloud-refused': true,
  'captures-refused': true,
  'age-refused': true,
  'confirm-failed': true,
  'duplicate-other-palm': true,
};

describe('enrolment strings', () => {
  it.each(['en', 'de', 'ko'] as const)('%s has a message for every enrolment problem', (lang) => {
    const messages: Record<string, string> = enrolmentStrings[lang].enrol.problem;
    for (const p of Object.keys(PROBLEMS)) expect(messages[p], `${lang} ${p}`).toMatch(/\S/);
    expect(Object.keys(messages).sort()).toEqual(Object.keys(PROBLEMS).sort());
  });
});
