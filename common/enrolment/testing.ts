import { createPopulation } from '../palm/population';
import type { LaneCapture } from './types';

/** Captures from the seed-1 population (the emulator's), for tests of the enrolment flow. */
const pop = createPopulation({ seed: 1 });

export function laneCapture(
  identity: number,
  o: { quality?: number; liveness?: number; seed?: number } = {},
): LaneCapture {
  const quality = o.quality ?? 90;
  return {
    template: pop.capture(identity, quality, o.seed ?? 1),
    quality,
    liveness: o.liveness ?? 95,
    signed: `signed-${identity}-${o.seed ?? 1}`,
    scannerSerial: 'EMU-1',
  };
}
