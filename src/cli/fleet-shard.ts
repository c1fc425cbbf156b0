/**
 * How a CLI fleet is split: `--shard i/n` (this process's share of `--count N`, so n machines run
 * one fleet with no coordinator) and `--workers W` (that share over W worker threads, one SQLite
 * file each). Both split the same way: contiguous blocks of station numbers whose sizes differ by
 * at most one, block `i` (0-based, like Kubernetes' JOB_COMPLETION_INDEX) holding the numbers
 * `floor(i*N/n)+1 .. floor((i+1)*N/n)`.
 */
import path from 'node:path';

/** A `--shard` value: block `index` (0-based) of `parts`. */
export interface ShardSpec {
  index: number;
  parts: number;
}

/** Station numbers `first..last` (1-based, inclusive) of a fleet; empty when `last < first`. */
export interface StationRange {
  first: number;
  last: number;
}

/**
 * A bad `--shard` or `--workers` value; the message names the option and the value.
 *
 * @example
 * try { parseShard('3/3'); } catch (e) { if (e instanceof ShardError) console.error(e.message); }
 */
export class ShardError extends Error {
  override readonly name = 'ShardError';
}

const SHARD = /^\s*(\d+)\s*\/\s*(\d+)\s*$/;

/**
 * Parses `--shard i/n` (0 ≤ i < n, n ≥ 1, both whole numbers written in decimal digits). Throws a
 * {@link ShardError} naming the value and what is wrong.
 *
 * @example
 * parseShard('2/4'); // { index: 2, parts: 4 }
 * parseShard('4/4'); // throws: --shard "4/4": the index is 0-based, from 0 to 3 ...
 */
export function parseShard(text: string): ShardSpec {
  const match = SHARD.exec(text);
  if (match === null) {
    throw new ShardError(
      `--shard ${JSON.stringify(text)}: expected <index>/<count> with whole numbers, e.g. 0/4 (the index is 0-based, as Kubernetes' JOB_COMPLETION_INDEX)`,
    );
  }
  const index = Number(match[1]);
  const parts = Number(match[2]);
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(parts)) {
    throw new ShardError(`--shard ${JSON.stringify(text)}: the numbers are too large`);
  }
  if (parts === 0) throw new ShardError(`--shard ${JSON.stringify(text)}: the shard count must be at least 1`);
  if (index >= parts) {
    throw new ShardError(
      `--shard ${JSON.stringify(text)}: the index is 0-based, from 0 to ${parts - 1} for ${parts} shards`,
    );
  }
  return { index, parts };
}

/**
 * Block `index` of `parts` over the station numbers `range` (contiguous; sizes differ by at most one;
 * the blocks in index order cover the range exactly once).
 *
 * @example
 * blockOf({ first: 1, last: 10 }, 0, 3); // { first: 1, last: 3 }
 * blockOf({ first: 1, last: 10 }, 2, 3); // { first: 7, last: 10 }
 */
export function blockOf(range: StationRange, index: number, parts: number): StationRange {
  const size = Math.max(0, range.last - range.first + 1);
  return {
    first: range.first + Math.floor((index * size) / parts),
    last: range.first + Math.floor(((index + 1) * size) / parts) - 1,
  };
}

/**
 * The station numbers this process runs: all of `1..count`, or its `--shard` block.
 *
 * @example
 * processRange(1000, { index: 1, parts: 4 }); // { first: 251, last: 500 }
 * processRange(6, undefined); // { first: 1, last: 6 }
 */
export function processRange(count: number, shard: ShardSpec | undefined): StationRange {
  const all = { first: 1, last: count };
  return shard === undefined ? all : blockOf(all, shard.index, shard.parts);
}

/**
 * The SQLite file of worker `index` (0-based) of `workers`: `--db` with `.w<index>-of-<workers>`
 * inserted before its extension (`fleet.db` → `fleet.w0-of-2.db`, `data/fleet` →
 * `data/fleet.w1-of-2`). `:memory:` stays in memory (one private database per worker). The worker
 * count is part of the name because it decides which stations a file holds.
 *
 * @example
 * workerDbPath('/tmp/fleet.db', 1, 4); // '/tmp/fleet.w1-of-4.db'
 */
export function workerDbPath(dbPath: string, index: number, workers: number): string {
  if (dbPath === ':memory:') return dbPath;
  const ext = path.extname(dbPath);
  return `${dbPath.slice(0, dbPath.length - ext.length)}.w${index}-of-${workers}${ext}`;
}
