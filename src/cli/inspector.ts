/**
 * `--inspect [url]`: the Stately inspector (@statelyai/inspect) for the CLI's station. The package
 * is imported only when the option is given, so a plain start stays fast.
 */
import type { InspectionEvent, Observer } from 'xstate';

/** What the CLI keeps of the inspector: its observer for ChargePoint `inspect`, and its end. */
export interface CliInspector {
  inspect: Observer<InspectionEvent>;
  /** Sends what is still pending, then closes the websocket. */
  stop(): Promise<void>;
}

/**
 * Events held while the inspector's websocket is not open yet (the library keeps 200 by default,
 * fewer than the start-up of a station produces: the first actors would be lost).
 */
const MAX_DEFERRED_EVENTS = 100_000;

/**
 * Connects to the inspector's websocket at `url` (retried by the library every 5 s while nothing
 * listens there).
 *
 * @example
 * const inspector = await startInspector('ws://localhost:8080');
 * new ChargePoint({ ..., inspect: inspector.inspect });
 * await inspector.stop();
 */
export async function startInspector(url: string): Promise<CliInspector> {
  const { createWebSocketInspector } = await import('@statelyai/inspect');
  const inspector = createWebSocketInspector({ url, maxDeferredEvents: MAX_DEFERRED_EVENTS });
  return {
    inspect: inspector.inspect,
    async stop() {
      // The library hands each event to the socket in a setTimeout(0) of its own; a later one runs after them.
      await new Promise((resolve) => setTimeout(resolve, 0));
      inspector.stop();
    },
  };
}
