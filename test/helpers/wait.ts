/**
 * Event-driven waiting for tests: re-checks `probe` whenever `target` dispatches 'change' and fails
 * with a message naming what was awaited if it has not happened within `timeoutMs`.
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

/** Resolves with the first emission of `event` by a subscribe-style source; fails after `timeoutMs`. */
export function nextEvent<T>(
  subscribe: (listener: (value: T) => void) => () => void,
  what: string,
  timeoutMs = 5_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const unsubscribe = subscribe((value) => {
      clearTimeout(timer);
      unsubscribe();
      resolve(value);
    });
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
  });
}
