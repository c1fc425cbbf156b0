/**
 * Issue 11: every console command ends with its `command` event, in a fleet too: `quit` typed
 * before any station of the ramp has started is answered like any other command, then stops.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CliFleet } from '../../src/cli/cli-fleet.js';
import type { CliEventBody } from '../../src/cli/cli-events.js';
import { createStationClock } from '../../src/clock.js';
import { tempDatabase } from '../helpers/temp-db.js';

test('fleet: `quit` before any station started ends with its command event, then quits', async (t) => {
  const store = await tempDatabase();
  t.after(() => store.close());
  const events: Array<CliEventBody & { stationId?: string }> = [];
  let quits = 0;
  const fleet = await CliFleet.create({
    pattern: 'Q%02d',
    count: 2,
    rate: 1,
    store,
    // Never started, never dialled.
    csmsUrl: 'ws://127.0.0.1:9/ocpp',
    overrides: [],
    clock: createStationClock(),
    events: { emit: (event) => events.push(event) },
    human: false,
    onQuit: () => quits++,
    onFatal: (error) => assert.fail(String(error)),
    signingMeter: false,
    masterPassUi: false,
  });
  await fleet.submit('quit');
  assert.equal(quits, 1);
  assert.deepEqual(
    events.filter((e) => e.type === 'command'),
    [{ type: 'command', line: 'quit', command: 'quit', ok: true, message: 'quit' }],
  );
});
