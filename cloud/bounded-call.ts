/** What an outside service's call becomes when it throws or does not answer in time. */
export interface Unavailable {
  readonly status: 'unavailable';
  readonly message: string;
}

/**
 * Runs a call to an outside service (a card processor, a wallet) so that a throw or a hang
 * becomes `unavailable` after `timeoutMs`, never an exception: the caller then asks again with
 * the same idempotency key.
 */
export async function boundedCall<T>(
  call: () => Promise<T>,
  timeoutMs: number,
): Promise<T | Unavailable> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      call(),
      new Promise<Unavailable>((resolve) => {
        timer = setTimeout(
          () => resolve({ status: 'unavailable', message: `no answer in ${timeoutMs} ms` }),
          timeoutMs,
        );
      }),
    ]);
  } catch (e) {
    return { status: 'unavailable', message: e instanceof Error ? e.message : String(e) };
  } finally {
    clearTimeout(timer);
  }
}
