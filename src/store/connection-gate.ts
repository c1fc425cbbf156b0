/**
 * Who holds Kysely's one SQLite connection, kept where our native statements can see it (issue 9,
 * boot storm). Work on the database's own better-sqlite3 handle must not run inside a Kysely
 * transaction in progress (its BEGIN is open on the same handle), so it used to take Kysely's
 * connection (`db.connection().execute(...)`): a mutex promise, a new Kysely instance and a chain
 * of async calls per write, more CPU than the write itself in a fleet's boot (~9 % of the profile).
 *
 * The database that openStationDatabase opens has a driver whose connection is handed out through
 * a {@link ConnectionGate}; {@link exclusive} runs synchronous native work at once when the gate is
 * free (nothing of Kysely's is in progress and nobody waits), and otherwise queues it behind the
 * holder and the earlier waiters, as Kysely's own lock did.
 */
import {
  SqliteDialect,
  type DatabaseConnection,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type SqliteDialectConfig,
} from 'kysely';
import type { Database } from './schema.js';

/** A FIFO lock on one connection: Kysely's queries and our native work take turns on it. */
export class ConnectionGate {
  /** True from a holder's acquire to its release, also while handing over to the next waiter. */
  held = false;
  private readonly waiters: Array<() => void> = [];

  /** Resolves once the caller holds the connection (in the order of the calls). */
  acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Hands the connection to the longest waiter, or frees it. */
  release(): void {
    const next = this.waiters.shift();
    if (next === undefined) this.held = false;
    else next();
  }
}

/** The gate of each Kysely instance openStationDatabase created (not a transaction's or a plugin's). */
const gates = new WeakMap<Kysely<Database>, ConnectionGate>();

/**
 * Kysely's SqliteDialect whose driver acquires and releases its connection through `gate`.
 *
 * @example
 * const gate = new ConnectionGate();
 * const db = new Kysely<Database>({ dialect: gatedSqliteDialect({ database }, gate) });
 * registerGate(db, gate);
 */
export function gatedSqliteDialect(config: SqliteDialectConfig, gate: ConnectionGate): SqliteDialect {
  return new (class extends SqliteDialect {
    override createDriver(): Driver {
      return new GatedDriver(super.createDriver(), gate);
    }
  })(config);
}

/**
 * Records the gate of `db` for {@link exclusive}.
 *
 * @example
 * registerGate(db, gate);
 */
export function registerGate(db: Kysely<Database>, gate: ConnectionGate): void {
  gates.set(db, gate);
}

/**
 * Runs synchronous `work` on the database's own handle while no Kysely query or transaction is in
 * progress: at once when the connection is free and nobody waits for it (the write is stored, and
 * readable, before this returns), else once Kysely's connection is ours. A `db` without a gate (a
 * host's own Kysely instance, a plugin's) always takes Kysely's connection. Rejects with what
 * `work` throws.
 *
 * @example
 * await exclusive(store.db, () => statement.run(rowId));
 */
export function exclusive<T>(db: Kysely<Database>, work: () => T): Promise<T> {
  const gate = gates.get(db);
  if (gate === undefined || gate.held) return db.connection().execute(async () => work());
  // Held while it runs: a Kysely query started by `work` itself would wait, not interleave.
  gate.held = true;
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error);
  } finally {
    gate.release();
  }
}

/** A driver whose connection is handed out through a gate; everything else is the inner driver's. */
class GatedDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly gate: ConnectionGate,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.gate.acquire();
    try {
      // Free: the gate lets one holder at a time through.
      return await this.inner.acquireConnection();
    } catch (error) {
      this.gate.release();
      throw error;
    }
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    try {
      await this.inner.releaseConnection(connection);
    } finally {
      this.gate.release();
    }
  }

  beginTransaction(connection: DatabaseConnection, settings: Parameters<Driver['beginTransaction']>[1]): Promise<void> {
    return this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.savepoint!(connection, name, compile);
  }

  rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.rollbackToSavepoint!(connection, name, compile);
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.releaseSavepoint!(connection, name, compile);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}
