/**
 * Event-driven waiting with a deadline, for tests and simulators: no polling loops, no sleeps, and a
 * failure message that names what was awaited.
 */

/**
 * Resolves with `probe()`'s first non-undefined value, re-checked whenever `target` dispatches a
 * 'change' event; rejects naming `what` after `timeoutMs`.
 *
 * @example
 * const changes = new EventTarget();
 * const ready = waitFor(changes, () => (queue.length > 0 ? queue[0] : undefined), 'a queued item', 1_000);
 * queue.push(item); changes.dispatchEvent(new Event('change'));
 */
export function waitFor<T>(
  target: EventTarget,
  probe: () => T | undefined,
  what: string,
  timeoutMs = 5_000,
): Promise<T> {
  const now = probe();
  if (now !== undefined) return Promise.resolve(now);
  return new Promise<T>((resolve, reject) => {
    const onChange = (): void => {
      const value = probe();
      if (value === undefined) return;
      clearTimeout(timer);
      target.removeEventListener('change', onChange);
      resolve(value);
    };
    const timer = setTimeout(() => {
      target.removeEventListener('change', onChange);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    target.addEventListener('change', onChange);
  });
}

/**
 * Resolves with the next value a subscribe-style source emits; rejects naming `what` after `timeoutMs`.
 *
 * @example
 * const event = await nextEvent((listener) => transport.on('close', listener), 'transport close', 2_000);
 */
export function nextEvent<T>(
  subscribe: (listener: (value: T) => void) => () => void,
  what: string,
  timeoutMs = 5_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      unsubscribe();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const unsubscribe = subscribe((value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Deferred: a source that emits synchronously inside subscribe() has not returned unsubscribe yet.
      queueMicrotask(() => unsubscribe());
      resolve(value);
    });
  });
}
