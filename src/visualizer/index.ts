/**
 * The offline visualizer (published as the package subpath `./visualizer`): a web page with the
 * live statecharts of a station's actors and its OCPP message timeline, served on 127.0.0.1 with
 * no internet needed; and the replay of a recorded `--json` log. See docs/visualizer.md.
 */
export {
  startVisualizer,
  PAGE_DIR,
  type Visualizer,
  type VisualizerOptions,
  type PageMessage,
} from './visualizer-server.js';
export {
  createChargePointSource,
  type ChargePointSource,
  type ChargePointSourceOptions,
} from './charge-point-source.js';
export {
  createEventHub,
  recordedSource,
  type FrameEvent,
  type StateEvent,
  type StateValueJson,
  type VisualizerEvent,
  type VisualizerSource,
} from './source.js';
export { loadRecording, parseRecording, RecordingError, type Recording } from './recording.js';
export {
  machineChart,
  eventLabel,
  type ChartState,
  type ChartTransition,
  type MachineChart,
} from './machine-graph.js';
export { PRODUCTION_MACHINES, productionCharts } from './production-machines.js';
export { StationHistory, type NumberedEvent } from './station-history.js';
