import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { PBKDF2_HASH_BYTES, PBKDF2_ITERATIONS, derivePasscodeHash } from '../common/staff';

/**
 * `npx tsx scripts/bench-passcode.ts`: what one guess at a staff passcode costs on one core
 * (PBKDF2-HMAC-SHA256, the iteration count common/staff.ts uses), through node:crypto (the
 * cloud) and Web Crypto (what a lane uses), and what that means for the smallest passcode space.
 */
const ROUNDS = Number(process.env.ROUNDS ?? 10);
const salt = randomBytes(16);

function perGuess(run: () => unknown): number {
  run(); // warm-up
  const t = performance.now();
  for (let i = 0; i < ROUNDS; i++) run();
  return (performance.now() - t) / ROUNDS;
}

const node = perGuess(() =>
  pbkdf2Sync('12345678', salt, PBKDF2_ITERATIONS, PBKDF2_HASH_BYTES, 'sha256'),
);
await derivePasscodeHash('12345678', new Uint8Array(salt), PBKDF2_ITERATIONS);
const t = performance.now();
for (let i = 0; i < ROUNDS; i++)
  await derivePasscodeHash('12345678', new Uint8Array(salt), PBKDF2_ITERATIONS);
const web = (performance.now() - t) / ROUNDS;

const days = (ms: number) => (1e8 * ms) / 1000 / 86_400;
console.log(`PBKDF2-HMAC-SHA256, ${PBKDF2_ITERATIONS} iterations, ${ROUNDS} rounds, one core:`);
console.log(
  `  node:crypto  ${node.toFixed(1)} ms a guess → 10^8 eight-digit passcodes in ${days(node).toFixed(0)} days`,
);
console.log(`  Web Crypto   ${web.toFixed(1)} ms a guess → ${days(web).toFixed(0)} days`);
