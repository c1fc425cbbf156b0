/**
 * The start reads through statements prepared once (src/store/start-statements.ts) give the rows
 * the Kysely queries give; a Kysely instance not created by openStationDatabase keeps Kysely.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KyselyPlugin } from 'kysely';
import { loadAvailability, saveAvailability } from '../../src/store/availability.js';
import { kyselyHandle } from '../../src/store/sqlite-handle.js';
import { startRows } from '../../src/store/start-statements.js';
import { tempDatabase } from '../helpers/temp-db.js';

const NOW = '2024-01-01T00:00:00.000Z';

test('issue 9: a start read gives the same rows natively and through Kysely (and a plugin still sees it)', async (t) => {
  const store = await tempDatabase();
  t.after(() => store.close());
  await saveAvailability(
    store.db,
    'CS-1',
    { evseId: 1, connectorId: 0, operational: 'Inoperative', scheduled: null },
    NOW,
  );
  await saveAvailability(
    store.db,
    'CS-2',
    { evseId: 2, connectorId: 1, operational: 'Operative', scheduled: 'Inoperative' },
    NOW,
  );
  assert.notEqual(kyselyHandle(store.db), undefined);
  let seen = 0;
  const counting: KyselyPlugin = {
    transformQuery: (args) => {
      seen += 1;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  const withPlugin = store.db.withPlugin(counting);
  assert.equal(kyselyHandle(withPlugin), undefined);
  const portable = () =>
    store.db.selectFrom('availability').selectAll().where('station_id', '=', 'CS-1').execute();
  assert.deepEqual(await startRows(store.db, 'availability', ['CS-1'], portable), await portable());
  assert.deepEqual(await loadAvailability(withPlugin, 'CS-1'), await loadAvailability(store.db, 'CS-1'));
  assert.deepEqual(await loadAvailability(store.db, 'CS-1'), [
    { evseId: 1, connectorId: 0, operational: 'Inoperative', scheduled: null },
  ]);
  assert.equal(seen, 1);
});
