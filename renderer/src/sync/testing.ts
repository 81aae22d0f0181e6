import type { TerminalDatabase } from '../db/database';
import { generateTerminalKeys, storeIdentity } from './identity';

/** Test support: gives `db` a provisioned lane's identity (a fresh key, cloud.test's store `s`). */
export async function provisionTestLane(
  db: TerminalDatabase,
  terminalId = 'term-1',
): Promise<void> {
  const keys = await generateTerminalKeys();
  await storeIdentity(db, {
    cloudUrl: 'http://cloud.test',
    terminalId,
    storeId: 's',
    storeName: 'S',
    deviceId: 'lane',
    laneCode: 'L1',
    privateKey: keys.privateKey,
    provisionedAt: new Date().toISOString(),
  });
}
