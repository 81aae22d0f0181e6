import { useEffect, useState } from 'react';
import type { ScannerGuidance, ScannerStatus } from '../../../common/host/contract';
import { useApp } from '../app-context';

/** The palm scanner's live status and latest guidance, from the host's scanner events. */
export function useScanner(): { status: ScannerStatus | null; guidance: ScannerGuidance | null } {
  const { host, hostConnected } = useApp();
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
  return { status, guidance };
}
