import { describe, expect, it } from 'vitest';
import type { HostEvent } from './contract';
import { HOST_METHOD_NAMES, type HostMethod } from './methods';
import { createHostProxy } from './proxy';

describe('the host proxy, derived from the method table', () => {
  const calls: Array<[HostMethod, unknown]> = [];
  const host = createHostProxy(
    async (method, args) => {
      calls.push([method, args]);
      return `answer of ${method}`;
    },
    () => () => undefined,
  );

  it('has one function per table entry, at group.name, that sends that method and its argument', async () => {
    for (const method of HOST_METHOD_NAMES) {
      const [group, name] = method.includes('.') ? method.split('.') : [method, undefined];
      const holder = host as unknown as Record<string, unknown>;
      const fn = (
        name === undefined ? holder[group!] : (holder[group!] as Record<string, unknown>)[name]
      ) as (a?: unknown) => Promise<unknown>;
      expect(typeof fn, method).toBe('function');
      calls.length = 0;
      await expect(fn({ probe: method })).resolves.toBe(`answer of ${method}`);
      expect(calls).toEqual([[method, { probe: method }]]);
    }
  });

  it('exposes nothing the table does not declare, besides onEvent', () => {
    const exposed: string[] = [];
    for (const [key, value] of Object.entries(host)) {
      if (typeof value === 'function') exposed.push(key);
      else for (const member of Object.keys(value as object)) exposed.push(`${key}.${member}`);
    }
    expect(exposed.sort()).toEqual([...HOST_METHOD_NAMES, 'onEvent'].sort());
  });

  it('hands device events to the transport’s subscription', () => {
    const seen: HostEvent[] = [];
    let emit: ((e: HostEvent) => void) | undefined;
    const h = createHostProxy(
      async () => null,
      (listener) => {
        emit = listener;
        return () => (emit = undefined);
      },
    );
    const stop = h.onEvent((e) => seen.push(e));
    emit?.({ type: 'drawer', state: 'open' });
    stop();
    expect(seen).toEqual([{ type: 'drawer', state: 'open' }]);
    expect(emit).toBeUndefined();
  });
});
