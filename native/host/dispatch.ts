import { HostError } from '../../common/host/contract';
import { checkHostArgs, HOST_METHODS, isHostMethod } from '../../common/host/methods';
import type { RpcErrorBody } from '../../common/host/rpc';
import type { TerminalHostService } from './terminal-host-service';

export type DispatchResult = { ok: true; result: unknown } | { ok: false; error: RpcErrorBody };

/**
 * Validate one call (method name, argument schema, emulator gate) and run it. Both shells funnel
 * every request through here, so a call refused in one is refused in the other.
 */
export async function dispatchHostCall(
  service: TerminalHostService,
  method: unknown,
  args: unknown,
): Promise<DispatchResult> {
  if (!isHostMethod(method)) {
    return {
      ok: false,
      error: {
        code: 'UNKNOWN_METHOD',
        message: `Unknown host method ${String(method).slice(0, 64)}`,
      },
    };
  }
  const checked = checkHostArgs(method, args);
  if (!checked.ok) return { ok: false, error: { code: 'BAD_REQUEST', message: checked.message } };
  if (HOST_METHODS[method].emulatorOnly && !service.emulatorControls) {
    return {
      ok: false,
      error: { code: 'NOT_ALLOWED', message: 'Emulator controls are disabled in this build' },
    };
  }
  try {
    // The schema has checked the arguments, so they have the handler's argument type.
    const handler = service.handlers[method] as (args: unknown) => Promise<unknown>;
    return { ok: true, result: (await handler(checked.value)) ?? null };
  } catch (e) {
    if (e instanceof HostError) return { ok: false, error: { code: e.code, message: e.message } };
    return {
      ok: false,
      error: { code: 'INTERNAL', message: e instanceof Error ? e.message : 'Internal error' },
    };
  }
}
