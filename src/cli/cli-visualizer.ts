/**
 * The CLI's side of the visualizer: `state` events from the station's actors (in every `--json`
 * log, so that any recording can be replayed), the page for `--visualize [port]` (one station, or
 * every station of a `--count` fleet), and `--replay`. The sources are fed by each ChargePoint's
 * public event stream (src/cli/simulated-station.ts).
 */
import path from 'node:path';
import type { StationClock } from '../clock.js';
import { createChargePointSource, type ChargePointSource } from '../visualizer/charge-point-source.js';
import type { Visualizer } from '../visualizer/visualizer-server.js';
import { withStationId, type CliEventSink } from './cli-events.js';

/** The station's source and, with `--visualize`, the page showing it. */
export interface CliObservation {
  source: ChargePointSource;
  visualizer: Visualizer | undefined;
  /** Stops the `state` events and closes the page's server. */
  close(): Promise<void>;
}

/**
 * Makes the source every ChargePoint of the CLI reports to; its actors' changes become `state`
 * events; with a port, starts the visualizer on 127.0.0.1 and reports its URL (`visualizer` event).
 *
 * @example
 * const observation = await observeStation({ stationId: 'CS-1', clock, events, visualizePort: 0 });
 * await SimulatedStation.create({ ...options, source: observation.source });
 */
export async function observeStation(options: {
  stationId: string;
  clock: StationClock;
  events: CliEventSink;
  visualizePort: number | undefined;
}): Promise<CliObservation> {
  const { events } = options;
  const source = createChargePointSource({
    onListenerError: (error) =>
      events.emit({
        type: 'error',
        message: `visualizer: ${error instanceof Error ? error.message : String(error)}`,
        fatal: false,
      }),
  });
  const unsubscribe = source.subscribe((event) => {
    if (event.type !== 'state') return;
    const { time: _time, ...body } = event;
    events.emit(body);
  });
  let visualizer: Visualizer | undefined;
  if (options.visualizePort !== undefined) {
    visualizer = await startPage(options.visualizePort);
    visualizer.attach(options.stationId, source);
    events.emit({ type: 'visualizer', url: visualizer.url });
  }
  return {
    source,
    visualizer,
    async close() {
      unsubscribe();
      await visualizer?.close();
    },
  };
}

/** `--count N --visualize [port]`: one page for the whole fleet. */
export interface CliFleetObservation {
  visualizer: Visualizer;
  /** The source of one station of the fleet, attached to the page under its station id. */
  sourceFor(stationId: string): ChargePointSource;
  /** Reports the page's URL (`visualizer` event): called once every station is attached. */
  announce(): void;
  /** Detaches every station and closes the page's server. */
  close(): Promise<void>;
}

/**
 * Starts the visualizer on 127.0.0.1 for a fleet; each station's source is attached under its
 * station id, so the page's station picker lists them all; `announce()` then reports the URL
 * (`visualizer` event), so a page opened at once shows every station.
 * (A fleet's `--json` log carries no `state` events: a recording replays one station.)
 *
 * @example
 * const observation = await observeFleet({ events, visualizePort: 0 });
 * await CliFleet.create({ ...options, sourceFor: observation.sourceFor });
 * observation.announce();
 */
export async function observeFleet(options: {
  events: CliEventSink;
  visualizePort: number;
}): Promise<CliFleetObservation> {
  const visualizer = await startPage(options.visualizePort);
  return {
    visualizer,
    announce: () => options.events.emit({ type: 'visualizer', url: visualizer.url }),
    sourceFor(stationId) {
      const source = createChargePointSource({
        onListenerError: (error) =>
          withStationId(options.events, stationId).emit({
            type: 'error',
            message: `visualizer: ${error instanceof Error ? error.message : String(error)}`,
            fatal: false,
          }),
      });
      visualizer.attach(stationId, source);
      return source;
    },
    close: () => visualizer.close(),
  };
}

/**
 * `--replay <file>`: the recording in the visualizer, no station. Errors name the file and line.
 *
 * @example
 * const visualizer = await replayRecording({ file: 'session.jsonl', port: 0, events });
 */
export async function replayRecording(options: {
  file: string;
  port: number;
  events: CliEventSink;
}): Promise<Visualizer> {
  // Imported when used: a CLI without --visualize/--replay does not load the page's server (cold
  // start, issue 9).
  const [{ loadRecording }, { recordedSource }] = await Promise.all([
    import('../visualizer/recording.js'),
    import('../visualizer/source.js'),
  ]);
  const recording = await loadRecording(options.file);
  const visualizer = await startPage(options.port);
  visualizer.attach(recording.stationId ?? path.basename(options.file), recordedSource(recording.events));
  options.events.emit({ type: 'visualizer', url: visualizer.url, replay: options.file });
  return visualizer;
}

async function startPage(port: number): Promise<Visualizer> {
  const { startVisualizer } = await import('../visualizer/visualizer-server.js');
  try {
    return await startVisualizer({ port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new Error(`--visualize ${port}: the port is in use (give another, or none for a free one)`, {
        cause: error,
      });
    throw error;
  }
}
