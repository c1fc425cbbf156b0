/**
 * Work done once while the CLI's startup snapshot is built, so that the functions a boot runs are
 * compiled already: V8 compiles a function on its first call and keeps the bytecode in the
 * snapshot. Only pure work on the package's own files: nothing it computes is kept (a start reads
 * and validates its configuration again), only compiled code is.
 */
import {
  DummyDriver,
  Kysely,
  Migrator,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
} from 'kysely';
import { migrations } from '../../migrations/index.js';
import { DEFAULT_CONFIG_DIR } from '../charge-point-options.js';
import { loadComponentConfig } from '../device-model/load-component-config.js';
import { OCPP_ACTIONS } from '../generated/ocpp-types.js';
import { validateRequest, validateResponse } from '../validation/index.js';
import { parseCliOptions } from './cli-options.js';
import { DEFAULT_EVSES } from './simulated-station.js';

/**
 * Parses a typical command line, loads and validates the shipped component configuration, runs
 * every message validator once, and runs the migrations against a database that does nothing.
 *
 * @example
 * await warmUpForSnapshot(); // in snapshot-entry.ts, while building
 */
export async function warmUpForSnapshot(): Promise<void> {
  parseCliOptions(['--csms', 'ws://127.0.0.1:9000', '--id', 'CP1', '--db', 'station.db', '--json'], '/');
  // The component-config validator is one large function: its compilation was most of a
  // snapshot start's time in the device model (docs/fleet/cold-start.md).
  await loadComponentConfig(DEFAULT_CONFIG_DIR, DEFAULT_EVSES, { evseStructure: 'adapt' });
  for (const action of OCPP_ACTIONS) {
    validateRequest(action, {});
    validateResponse(action, {});
  }
  await migrateNothing();
}

/**
 * kysely's Migrator and every migration's schema building and SQL compiling, against kysely's
 * DummyDriver (every query answers no rows; better-sqlite3, a native addon, cannot load while the
 * snapshot is built): a new database's migrations were the largest part of a snapshot start.
 */
async function migrateNothing(): Promise<void> {
  const db = new Kysely<unknown>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (k) => new SqliteIntrospector(k),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  });
  try {
    await sql`SELECT name FROM sqlite_master`.execute(db);
    const { error } = await new Migrator({
      db,
      provider: { getMigrations: async () => migrations },
    }).migrateToLatest();
    // Only code is kept: a migration that needs rows the dummy does not give just warms up less.
    void error;
  } finally {
    await db.destroy();
  }
}
