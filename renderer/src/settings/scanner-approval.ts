import type { ScannerStatus } from '../../../common/host/contract';
import type { StaffMember } from '../../../common/staff';
import type { ScannerKeyApproval } from '../../../common/sync/protocol';
import type { TerminalDatabase } from '../db/database';
import { CloudClient, SyncError, type FetchLike, type Signer } from '../sync/client';
import { loadIdentity } from '../sync/identity';

/**
 * Approving a palm scanner's key: the store cloud is the authority (it checks the manager's own
 * passcode and records the key for the store, where payment authorization will look for it), and
 * only after it has answered does the lane ask its host to pin the key. Offline, nothing is
 * approved: `CloudNeeded` says why.
 */
export class CloudNeeded extends Error {
  constructor(
    readonly reason: 'not-connected' | 'unreachable' | 'refused',
    message: string,
  ) {
    super(message);
    this.name = 'CloudNeeded';
  }
}

export interface ScannerApprovalInput {
  readonly db: TerminalDatabase;
  /** HostInfo.cloud.url; the lane's provisioned cloud when null. */
  readonly cloudUrl: string | null;
  readonly status: ScannerStatus;
  readonly manager: StaffMember;
  readonly passcode: string;
  readonly fetch?: FetchLike;
}

/** The cloud's approval, or null when the passcode (or person) is wrong. */
export async function approveScannerOnCloud(
  o: ScannerApprovalInput,
): Promise<ScannerKeyApproval | null> {
  const identity = await loadIdentity(o.db);
  if (!identity)
    throw new CloudNeeded('not-connected', 'this lane is not connected to a store cloud');
  if (!o.status.serial || !o.status.publicKey || !o.status.model)
    throw new CloudNeeded('refused', 'the scanner did not report its serial, model and key');
  const client = new CloudClient({
    baseUrl: o.cloudUrl ?? identity.cloudUrl,
    ...(o.fetch ? { fetch: o.fetch } : {}),
  });
  const signer: Signer = {
    terminalId: identity.terminalId,
    privateKey: identity.privateKey,
    clockOffsetMs: 0,
  };
  const body = {
    serial: o.status.serial,
    model: o.status.model,
    publicKey: o.status.publicKey,
    staffId: o.manager.id,
    passcode: o.passcode,
  };
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.approveScannerKey(signer, body);
    } catch (e) {
      if (!(e instanceof SyncError)) throw e;
      if (e.code === 'STAFF_CREDENTIAL_INVALID') return null;
      // A lane whose clock is off signs with the cloud's time, once (as the sync engine does).
      if (e.code === 'AUTH_EXPIRED' && e.body.serverTime && attempt === 0) {
        signer.clockOffsetMs = Date.parse(e.body.serverTime) - Date.now() || 1;
        continue;
      }
      if (e.code === 'NETWORK' || e.status >= 500) throw new CloudNeeded('unreachable', e.message);
      throw new CloudNeeded('refused', e.message);
    }
  }
}
