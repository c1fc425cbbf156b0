/**
 * Test helper: counts the SQLite transactions run on a better-sqlite3 handle, by wrapping its
 * `transaction` factory. Statements and transaction functions are made per handle at first use
 * (src/store/native-statements.ts), so install it before the first write.
 */
import type SQLite from 'better-sqlite3';

/**
 * Returns a function giving the number of transactions run since the call (those whose first
 * argument `counts` accepts, when given).
 *
 * @example
 * const transactions = countTransactions(sqlite);
 * await model.set(ref, '300', 'host');
 * assert.equal(transactions(), 1);
 */
export function countTransactions(
  sqlite: SQLite.Database,
  counts?: (first: unknown) => boolean,
): () => number {
  let count = 0;
  const transaction = sqlite.transaction.bind(sqlite);
  sqlite.transaction = ((fn: (...args: never[]) => unknown) => {
    const run = transaction(fn);
    return (...args: never[]) => {
      if (counts === undefined || counts((args as unknown[])[0])) count++;
      return run(...args);
    };
  }) as typeof sqlite.transaction;
  return () => count;
}
