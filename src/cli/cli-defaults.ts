/**
 * The CLI's defaults and limits (cli-options.ts): what an option is when not given, and the most it
 * may be.
 */

/** Station identity when `--id` is not given. */
export const DEFAULT_STATION_ID = 'CS-SIM-001';
/** Database file (relative to the directory the CLI was started from) when `--db` is not given. */
export const DEFAULT_DB_FILE = 'ocpp-station.db';
/**
 * `--inspect` without a URL: @statelyai/inspect's default, where its inspector server
 * (`createInspectorServer` of `@statelyai/inspect/server`, docs/inspector.md) listens.
 */
export const DEFAULT_INSPECT_URL = 'ws://localhost:8080';

/** Most stations one process runs (`--count`). */
export const MAX_COUNT = 100_000;
/** Most worker threads (`--workers`): far beyond any core count a fleet would use. */
export const MAX_WORKERS = 256;
