import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from '../i18n/use-translation';
import type { StaffMember, StaffRole } from '../../../common/staff';
import { recordStaffAction } from '../db/staff-audit';
import type { TerminalDatabase } from '../db/database';
import {
  THROTTLE_KEY,
  lockedFor,
  readThrottle,
  recordAttempt,
  triesLeft,
} from './credential-throttle';
import { checkOffline, laneStaff, withRole } from './staff';

export interface CredentialDialogProps {
  readonly db: TerminalDatabase;
  /** The dialog's title (default: manager approval). */
  readonly title?: string;
  /** What is being approved, in one sentence (shown under the title). */
  readonly purpose: string;
  /** Extra explanation (e.g. that the cloud checks it). */
  readonly note?: string;
  /** A short name for the audit when entry locks (e.g. "manager-view"). */
  readonly action: string;
  /** Who may approve: one role, or several (an attendant or a manager). */
  readonly role?: StaffRole | readonly StaffRole[];
  /**
   * Checks the passcode: true right, false wrong (counted against the lock). Throwing means it
   * could not be checked (the cloud is unreachable): the message is shown and nothing counted.
   * Default: the person's offline verifier from the store settings.
   */
  readonly check?: (member: StaffMember, passcode: string) => Promise<boolean>;
  /** The approved action itself; a thrown error is shown in the dialog. */
  readonly onApproved: (member: StaffMember) => void | Promise<void>;
  readonly onCancel: () => void;
}

function useNow(ms: number, active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms, active]);
  return now;
}

/**
 * The one dialog every privileged lane action asks through: pick the person, type their
 * passcode. Five wrong passcodes lock entry (credential-throttle.ts), across reloads. Before the
 * lane has the store's staff list it says how to get one; nothing opens without it.
 */
export function CredentialDialog(props: CredentialDialogProps) {
  const { db, role = 'manager' } = props;
  const { t } = useTranslation();
  const staff = useLiveQuery(() => laneStaff(db), [db]);
  const throttleRow = useLiveQuery(() => db.settings.get(THROTTLE_KEY), [db]);
  const throttle = readThrottle(throttleRow?.value);
  const [who, setWho] = useState('');
  const [passcode, setPasscode] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const now = useNow(1_000, throttle.lockedUntil > 0);
  const locked = lockedFor(throttle, now);
  const passcodeRef = useRef<HTMLInputElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);

  const roles: readonly StaffRole[] = typeof role === 'string' ? [role] : role;
  const people = staff ? roles.flatMap((r) => withRole(staff, r)) : [];
  const chosen = people.find((p) => p.id === who) ?? (people.length === 1 ? people[0] : undefined);

  useEffect(() => {
    if (staff === undefined) return;
    if (people.length > 0) passcodeRef.current?.focus();
    else cancelRef.current?.focus();
  }, [staff, people.length]);

  const lockText = (ms: number) =>
    ms >= 120_000
      ? t('staff.lockedMinutes', { minutes: Math.ceil(ms / 60_000) })
      : t('staff.lockedSeconds', { seconds: Math.ceil(ms / 1000) });

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    if (!chosen || busy || lockedFor(throttle, Date.now()) > 0) return;
    setBusy(true);
    setMessage(null);
    try {
      let ok: boolean;
      try {
        ok = await (props.check ?? checkOffline)(chosen, passcode);
      } catch (err) {
        setMessage(err instanceof Error ? err.message : String(err));
        return;
      }
      setPasscode('');
      const next = await recordAttempt(db, ok);
      if (ok) {
        try {
          await props.onApproved(chosen);
        } catch (err) {
          setMessage(err instanceof Error ? err.message : String(err));
        }
        return;
      }
      const lockMs = lockedFor(next, Date.now());
      if (lockMs > 0) {
        await recordStaffAction(db, 'credential.locked', null, {
          action: props.action,
          lockedMs: lockMs,
          lockouts: next.lockouts,
        });
        setMessage(lockText(lockMs));
      } else {
        setMessage(t('staff.wrong', { count: triesLeft(next) }));
        passcodeRef.current?.focus();
      }
    } finally {
      setBusy(false);
    }
  }

  const messageId = 'credential-message';
  const shown = locked > 0 ? lockText(locked) : message;
  return (
    <div className="modal-backdrop">
      <div
        className="modal credential-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="credential-title"
        aria-describedby="credential-purpose"
        data-testid="credential-dialog"
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            props.onCancel();
          }
        }}
      >
        <h2 id="credential-title">{props.title ?? t('staff.title')}</h2>
        <p id="credential-purpose">{props.purpose}</p>
        {props.note && <p className="muted small">{props.note}</p>}
        {staff === null || (staff !== undefined && people.length === 0) ? (
          <p className="error" data-testid="credential-no-staff">
            {staff === null ? t('staff.noStaff') : t('staff.noManagers')}
          </p>
        ) : (
          <form onSubmit={(e) => void submit(e)}>
            <label htmlFor="credential-staff">{t('staff.person')}</label>
            <select
              id="credential-staff"
              data-testid="credential-staff"
              value={chosen?.id ?? ''}
              onChange={(e) => setWho(e.target.value)}
            >
              {people.length > 1 && <option value="" />}
              {people.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} ({p.id})
                </option>
              ))}
            </select>
            <label htmlFor="credential-passcode">{t('staff.passcode')}</label>
            <input
              ref={passcodeRef}
              id="credential-passcode"
              data-testid="credential-passcode"
              type="password"
              inputMode="numeric"
              autoComplete="off"
              pattern="[0-9]*"
              maxLength={12}
              value={passcode}
              disabled={locked > 0}
              onChange={(e) => setPasscode(e.target.value.replace(/\D/g, ''))}
              aria-describedby={shown ? messageId : undefined}
            />
            <div className="actions">
              <button
                type="submit"
                className="primary"
                data-testid="credential-submit"
                disabled={busy || locked > 0 || !chosen || passcode.length < 8}
              >
                {busy ? t('staff.checking') : t('staff.approve')}
              </button>
              <button type="button" onClick={props.onCancel} data-testid="credential-cancel">
                {t('staff.cancel')}
              </button>
            </div>
          </form>
        )}
        {shown && (
          <p id={messageId} className="error" role="alert" data-testid="credential-message">
            {shown}
          </p>
        )}
        {(staff === null || (staff !== undefined && people.length === 0)) && (
          <div className="actions">
            <button
              ref={cancelRef}
              type="button"
              onClick={props.onCancel}
              data-testid="credential-cancel"
            >
              {t('staff.cancel')}
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
