import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSetArgument } from '../../src/device-model/index.js';
import { bootNotificationRequest } from '../../src/runtime/boot-notification.js';
import { validateRequest } from '../../src/validation/index.js';
import { openExample } from '../device-model/helpers.js';

test('B01.FR.01/09: the request carries the reason and the InternalCtrlr identity of the station; it passes the schema', async (t) => {
  const { model, store } = await openExample();
  t.after(() => store.close());
  const request = bootNotificationRequest(model, 'Triggered');
  assert.equal(request.reason, 'Triggered');
  assert.equal(
    request.chargingStation.vendorName,
    model.get({ component: 'InternalCtrlr', variable: 'ChargePointVendor' }),
  );
  assert.equal(
    request.chargingStation.model,
    model.get({ component: 'InternalCtrlr', variable: 'ChargePointModel' }),
  );
  assert.equal(validateRequest('BootNotification', request), null);
});

test('modem identifiers are sent when configured, and empty optional fields are left out (Part 4 §4.1.5)', async (t) => {
  const { model, store } = await openExample({
    overrides: [
      parseSetArgument('InternalCtrlr.ICCID=8931440400012345678'),
      parseSetArgument('InternalCtrlr.FirmwareVersion='),
    ],
  });
  t.after(() => store.close());
  const request = bootNotificationRequest(model, 'PowerUp');
  assert.deepEqual(request.chargingStation.modem, { iccid: '8931440400012345678' });
  assert.equal('firmwareVersion' in request.chargingStation, false);
  assert.equal(validateRequest('BootNotification', request), null);
});
