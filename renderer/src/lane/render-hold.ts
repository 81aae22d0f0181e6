/**
 * Holding back a store's change notifications while it passes through states faster than a
 * screen shows them. A stored palm payment goes matched → authorizing → committing → receipt in
 * a few tens of ms; rendering each state costs the page's main thread several ms that the next
 * step's IndexedDB and worker callbacks then wait behind, for frames nobody reads. While
 * `defer()` holds, one notification goes out after `holdMs` at the latest (an authorization that
 * takes long still shows it is under way); any other change (a key, a click, the receipt) is
 * passed on at once, with whatever was held: the view never lags the cashier's own input. React
 * reads the newest snapshot when it renders, so no state is lost, only renders of states already
 * replaced.
 */
type Subscribe = (listener: () => void) => () => void;

export function holdWhile(subscribe: Subscribe, defer: () => boolean, holdMs = 100): Subscribe {
  return (listener) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fire = () => {
      clearTimeout(timer);
      timer = undefined;
      listener();
    };
    const off = subscribe(() => {
      if (!defer()) return fire();
      timer ??= setTimeout(fire, holdMs);
    });
    return () => {
      clearTimeout(timer);
      off();
    };
  };
}

/**
 * Calls `fn` once what was just rendered has been painted: the next frame paints it, and the
 * task after that frame runs after the paint. Call it from a layout effect (before the paint).
 * Returns a cancel function.
 */
export function afterPaint(fn: () => void): () => void {
  let t: ReturnType<typeof setTimeout> | undefined;
  const f = requestAnimationFrame(() => (t = setTimeout(fn, 0)));
  return () => {
    cancelAnimationFrame(f);
    clearTimeout(t);
  };
}
