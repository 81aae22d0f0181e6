import { useEffect, useMemo, useState } from 'react';
import type { ScannerGuidance, ScannerStatus, TerminalHost } from '../../../common/host/contract';

/** The palm scanner's live status and latest guidance, from the host's scanner events. */
export function useScanner(
  host: TerminalHost,
  hostConnected: boolean,
): { status: ScannerStatus | null; guidance: ScannerGuidance | null } {
  const [status, setStatus] = useState<ScannerStatus | null>(null);
  const [guidance, setGuidance] = useState<ScannerGuidance | null>(null);
  useEffect(() => {
    if (!hostConnected) return;
    let live = true;
    host.scanner.status().then(
      (s) => live && setStatus(s),
      () => live && setStatus(null),
    );
    const off = host.onEvent((e) => {
      if (e.type !== 'scanner') return;
      if (e.event.kind === 'status') {
        setStatus(e.event.status);
        if (e.event.status.state !== 'capturing') setGuidance(null);
      } else if (e.event.kind === 'guidance') setGuidance(e.event.guidance);
    });
    return () => {
      live = false;
      off();
    };
  }, [host, hostConnected]);
  // One object per change: the terminal re-renders only when the scanner's state did.
  return useMemo(() => ({ status, guidance }), [status, guidance]);
}
