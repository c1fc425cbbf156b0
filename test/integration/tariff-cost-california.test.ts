/**
 * California pricing "before, during and after a session" (issue 11) through the real station and
 * the strict test CSMS: the fallback texts of libocpp's TariffCostCtrlr variables in every language
 * the screen supports (TariffFallbackMessage[<language>], OfflineTariffFallbackMessage[<language>],
 * TotalCostFallbackMessage[<language>]) before and after, the CSMS's pricing data during; each
 * reaches tariffMessageCallback / setRunningCostCallback and the simulated screen (CLI `display`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TransactionEventRequest } from '../../src/generated/ocpp-types.js';
import type { RunningCost, TariffMessage } from '../../src/tariff/tariff-types.js';
import { recorder } from './recorder.js';
import {
  acceptedTxAnswer,
  assertClean,
  goOffline,
  settle,
  startCharging,
  startTxHarness,
  TOKEN,
  txHost,
} from './transactions-helpers.js';

const CALIFORNIA = [
  'TariffCostCtrlr.Enabled[Tariff]=true',
  'TariffCostCtrlr.Enabled[Cost]=true',
  'CustomizationCtrlr.CustomImplementationEnabled[org.openchargealliance.costmsg]=true',
  // DisplayMessageCtrlr.Language's valuesList is en_US,de,nl; the example has the en-US / en instances.
  'TariffCostCtrlr.TariffFallbackMessage=0.40 USD/kWh',
  'TariffCostCtrlr.TariffFallbackMessage[en-US]=Energy 0.40 USD/kWh, idle 0.10 USD/min after 10 min',
  'TariffCostCtrlr.OfflineTariffFallbackMessage[en]=Offline: 0.45 USD/kWh',
  'TariffCostCtrlr.TotalCostFallbackMessage=See your receipt',
  'TariffCostCtrlr.TotalCostFallbackMessage[en-US]=Your receipt will follow by e-mail',
];

async function californiaStation(extra: string[] = []) {
  const tariffs = recorder<TariffMessage>();
  const costs = recorder<RunningCost>();
  const host = txHost({
    tariffMessageCallback: (message) => tariffs.push(message),
    setRunningCostCallback: (cost) => costs.push(cost),
  });
  const h = await startTxHarness({ set: [...CALIFORNIA, ...extra], station: { callbacks: host.callbacks } });
  return { h, host, tariffs, costs };
}

test('California pricing before the session (I04.FR.01): the fallback tariff in every supported language; offline, the offline text', async (t) => {
  const { h, host, tariffs } = await californiaStation(['AuthCtrlr.OfflineTxForUnknownIdEnabled=true']);
  t.after(() => h.close());
  // Online, the CSMS accepts the token without a driver-specific tariff.
  await h.station.onAuthorizationPresented(TOKEN, 1);
  const online = await tariffs.waitFor((m) => m.kind === 'tariffFallback', 'the online fallback tariff');
  assert.deepEqual(online.message, [
    { format: 'UTF8', content: '0.40 USD/kWh' },
    { format: 'UTF8', language: 'en_US', content: 'Energy 0.40 USD/kWh, idle 0.10 USD/min after 10 min' },
  ]);
  assert.deepEqual(h.station.screen().tariffCost.tariff?.message, online.message);

  // Offline, an unknown token is accepted (OfflineTxForUnknownIdEnabled): the offline text is shown.
  await goOffline(h, host);
  const before = tariffs.items.length;
  await h.station.onAuthorizationPresented({ idToken: 'OFFLINE-1', type: 'ISO14443' }, 2);
  const offline = await tariffs.waitFor((m) => m.kind === 'tariffFallback' && tariffs.items.indexOf(m) >= before, 'the offline text');
  assert.deepEqual(offline.message, [{ format: 'UTF8', language: 'en_US', content: 'Offline: 0.45 USD/kWh' }]);
  h.station.connectWebsocket();
  await h.csms.waitForClient(h.identity);
  await settle(h);
  assertClean(h);
});

test('California pricing during and after: pricing data with the running cost, the final cost; offline the end shows the fallback in every language (I05.FR.02)', async (t) => {
  const { h, host, tariffs, costs } = await californiaStation();
  t.after(() => h.close());
  h.csms.onCall('TransactionEvent', (call) => {
    const request = call.payload as TransactionEventRequest;
    const answer = acceptedTxAnswer(request);
    if (request.eventType === 'Updated')
      return {
        ...answer,
        totalCost: 1.2,
        customData: { vendorId: 'org.openchargealliance.costmsg', idlePrice: { graceMinutes: 10, hourPrice: 6 } },
      };
    if (request.eventType === 'Ended') return { ...answer, totalCost: 3.4 };
    return answer;
  });
  // During: the running cost carries the whitepaper's pricing fields as the CSMS sent them.
  await startCharging(h);
  const running = await costs.waitFor((c) => c.state === 'Charging', 'the running cost');
  assert.deepEqual([running.cost, running.californiaPricing], [1.2, { idlePrice: { graceMinutes: 10, hourPrice: 6 } }]);
  // After, online: the final cost.
  await h.station.onAuthorizationPresented(TOKEN, 1);
  const final = await costs.waitFor((c) => c.state === 'Finished', 'the final cost');
  assert.equal(final.cost, 3.4);
  h.station.onSessionFinished(1, 1);
  await settle(h);

  // A second session ends offline: the total-cost fallback, in every language the screen supports.
  const transactionId = await startCharging(h);
  await goOffline(h, host);
  h.station.onSessionFinished(1, 1);
  const fallback = await tariffs.waitFor((m) => m.kind === 'totalCostFallback', 'the total cost fallback');
  assert.deepEqual(fallback, {
    kind: 'totalCostFallback',
    message: [
      { format: 'UTF8', content: 'See your receipt' },
      { format: 'UTF8', language: 'en_US', content: 'Your receipt will follow by e-mail' },
    ],
    transactionId,
  });
  h.station.connectWebsocket();
  await h.csms.waitForCall('TransactionEvent', (c) => {
    const e = c.payload as TransactionEventRequest;
    return e.eventType === 'Ended' && e.transactionInfo.transactionId === transactionId;
  });
  await settle(h);
  assert.equal(h.station.screen().tariffCost.totalCostFallback?.transactionId, transactionId);
  assertClean(h);
});
