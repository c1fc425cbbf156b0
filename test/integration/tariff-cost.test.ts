/**
 * Tariff and cost (I01–I06, TC_I_*_CS) and the California pricing extension against a real station
 * and the strict test CSMS: the texts and costs reach the host through tariffMessageCallback and
 * setRunningCostCallback, and the simulated screen (ChargePoint.screen()).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  AuthorizeResponse,
  MeterValuesRequest,
  MeterValueType,
  TransactionEventRequest,
} from '../../src/generated/ocpp-types.js';
import type { RunningCost, TariffMessage } from '../../src/tariff/tariff-types.js';
import { recorder } from './recorder.js';
import { answerUpdatedTariff } from './tariff-answers.js';
import {
  acceptedTxAnswer,
  assertClean,
  goOffline,
  energyReading,
  settle,
  startCharging,
  startTxHarness,
  TOKEN,
  txHost,
} from './transactions-helpers.js';

const TARIFF_ON = ['TariffCostCtrlr.Enabled[Tariff]=true'];
const COST_ON = ['TariffCostCtrlr.Enabled[Cost]=true'];

interface CostCall {
  cost: RunningCost;
  decimals: number;
  currency: string | undefined;
}

function uiHost() {
  const tariffs = recorder<TariffMessage>();
  const costs = recorder<CostCall>();
  const host = txHost({
    tariffMessageCallback: (message) => tariffs.push(message),
    setRunningCostCallback: (cost, decimals, currency) => costs.push({ cost, decimals, currency }),
  });
  return { tariffs, costs, host };
}

async function withUi(set: string[]) {
  const ui = uiHost();
  const h = await startTxHarness({ set, station: { callbacks: ui.host.callbacks } });
  return { ...ui, h };
}

test('I01.FR.03 (TC_I_07_CS step 2): the personalMessage of the AuthorizeResponse is shown as the driver’s tariff', async (t) => {
  const { h, tariffs } = await withUi(TARIFF_ON);
  t.after(() => h.close());
  const personalMessage = { format: 'UTF8' as const, language: 'en', content: '0.30 EUR/kWh' };
  h.csms.onCall('Authorize', (): AuthorizeResponse => ({ idTokenInfo: { status: 'Accepted', personalMessage } }));
  await startCharging(h);
  const tariff = await tariffs.waitFor((m) => m.kind === 'tariff', 'the tariff text');
  assert.deepEqual(tariff, { kind: 'tariff', message: [personalMessage], idToken: TOKEN });
  assert.deepEqual(h.station.screen().tariffCost.tariff, tariff);
  assertClean(h);
});

test('I04.FR.01: without a driver-specific tariff the TariffFallbackMessage is shown; nothing while Tariff is disabled', async (t) => {
  const { h, tariffs } = await withUi([...TARIFF_ON, 'TariffCostCtrlr.TariffFallbackMessage=Standard 0.35 EUR/kWh']);
  t.after(() => h.close());
  await startCharging(h);
  const fallback = await tariffs.waitFor((m) => m.kind === 'tariffFallback', 'the fallback tariff');
  assert.deepEqual(fallback.message, [{ format: 'UTF8', content: 'Standard 0.35 EUR/kWh' }]);
  assertClean(h);

  const off = await withUi([]);
  t.after(() => off.h.close());
  off.h.csms.onCall('Authorize', (): AuthorizeResponse => ({
    idTokenInfo: { status: 'Accepted', personalMessage: { format: 'UTF8', content: 'x' } },
  }));
  await startCharging(off.h);
  await settle(off.h);
  assert.deepEqual(off.tariffs.items, [], 'Tariff disabled: no text');
  assert.equal(off.h.station.screen().tariffCost.tariff, undefined);
});

test('I02.FR.02/03 (TC_I_01_CS): CostUpdated is answered and its running cost shown with Currency and NumberOfDecimalsForCostValues', async (t) => {
  const { h, costs } = await withUi([...COST_ON, 'TariffCostCtrlr.Currency=USD']);
  t.after(() => h.close());
  const transactionId = await startCharging(h);
  assert.deepEqual(await h.csms.call(h.identity, 'CostUpdated', { transactionId, totalCost: 1.25 }), {});
  const shown = await costs.waitFor((c) => c.cost.cost === 1.25, 'the running cost');
  assert.deepEqual(shown, { cost: { transactionId, cost: 1.25, state: 'Charging' }, decimals: 2, currency: 'USD' });
  // For a transaction the station does not know: answered, not shown.
  assert.deepEqual(await h.csms.call(h.identity, 'CostUpdated', { transactionId: 'other', totalCost: 9 }), {});
  assert.equal(costs.count((c) => c.cost.transactionId === 'other'), 0);
  assert.equal(h.station.screen().tariffCost.cost?.cost, 1.25);
  assertClean(h);
});

test('I02.FR.02: CostUpdated while Cost is disabled is answered and not shown', async (t) => {
  const { h, costs } = await withUi([]);
  t.after(() => h.close());
  const transactionId = await startCharging(h);
  assert.deepEqual(await h.csms.call(h.identity, 'CostUpdated', { transactionId, totalCost: 2 }), {});
  assert.deepEqual(costs.items, []);
  assertClean(h);
});

test('I02.FR.04, I06.FR.03, I03.FR.03 (TC_I_07_CS, TC_I_02_CS): running cost and updated tariff from TransactionEventResponses, final cost at the end', async (t) => {
  const { h, costs, tariffs } = await withUi([...COST_ON, ...TARIFF_ON]);
  t.after(() => h.close());
  const updated = { format: 'UTF8' as const, content: 'now 0.32 EUR/kWh' };
  h.csms.onCall('TransactionEvent', (call) => {
    const request = call.payload as TransactionEventRequest;
    const base = acceptedTxAnswer(request);
    if (request.eventType === 'Updated') return { ...base, totalCost: 0.5, updatedPersonalMessage: updated };
    if (request.eventType === 'Ended') return { ...base, totalCost: 4.75 };
    return base;
  });
  const transactionId = await startCharging(h);
  const running = await costs.waitFor((c) => c.cost.state === 'Charging', 'a running cost');
  assert.equal(running.cost.cost, 0.5);
  assert.deepEqual(running.cost.costMessages, [updated], 'with Cost enabled the text rides along');
  assert.equal(h.station.screen().tariffCost.tariff?.message[0]?.content, 'now 0.32 EUR/kWh');
  await h.station.onAuthorizationPresented(TOKEN, 1);
  const final = await costs.waitFor((c) => c.cost.state === 'Finished', 'the final cost');
  assert.deepEqual([final.cost.transactionId, final.cost.cost], [transactionId, 4.75]);
  assert.equal(h.station.screen().tariffCost.cost?.state, 'Finished');
  assert.equal(tariffs.count((m) => m.kind === 'updatedTariff'), 0, 'no separate text: it came with the cost');
  assertClean(h);
});

test('I06.FR.03: with Cost disabled an updatedPersonalMessage goes to tariffMessageCallback', async (t) => {
  const { h, tariffs, costs } = await withUi(TARIFF_ON);
  t.after(() => h.close());
  h.csms.onCall('TransactionEvent', (call) => {
    const request = call.payload as TransactionEventRequest;
    return request.eventType === 'Updated'
      ? { ...acceptedTxAnswer(request), totalCost: 1, updatedPersonalMessage: { format: 'ASCII', content: 'peak price' } }
      : acceptedTxAnswer(request);
  });
  const transactionId = await startCharging(h);
  const text = await tariffs.waitFor((m) => m.kind === 'updatedTariff', 'the updated tariff');
  assert.deepEqual(text, { kind: 'updatedTariff', message: [{ format: 'ASCII', content: 'peak price' }], transactionId });
  assert.deepEqual(costs.items, [], 'Cost disabled: no cost shown');
  assertClean(h);
});

test('I05.FR.02, I03.FR.03: a transaction ended offline shows the TotalCostFallbackMessage, not the late final cost', async (t) => {
  const { h, host, tariffs, costs } = await withUi([...COST_ON, 'TariffCostCtrlr.TotalCostFallbackMessage=Cost on your invoice']);
  t.after(() => h.close());
  h.csms.onCall('TransactionEvent', (call) => {
    const request = call.payload as TransactionEventRequest;
    return request.eventType === 'Ended' ? { ...acceptedTxAnswer(request), totalCost: 3 } : acceptedTxAnswer(request);
  });
  const transactionId = await startCharging(h);
  await goOffline(h, host);
  h.station.onSessionFinished(1, 1);
  const fallback = await tariffs.waitFor((m) => m.kind === 'totalCostFallback', 'the fallback total cost text');
  assert.deepEqual(fallback, { kind: 'totalCostFallback', message: [{ format: 'UTF8', content: 'Cost on your invoice' }], transactionId });
  h.station.connectWebsocket();
  await h.csms.waitForCall('TransactionEvent', (c) => (c.payload as TransactionEventRequest).eventType === 'Ended');
  await settle(h);
  assert.equal(costs.count((c) => c.cost.state === 'Finished'), 0, 'the late final cost is not shown');
  assert.equal(h.station.screen().tariffCost.totalCostFallback?.transactionId, transactionId);
  assertClean(h);
});

test('California pricing (CustomImplementationEnabled[org.openchargealliance.costmsg]): vendor data and QR code reach setRunningCostCallback', async (t) => {
  const { h, costs } = await withUi([
    ...COST_ON,
    'CustomizationCtrlr.CustomImplementationEnabled[org.openchargealliance.costmsg]=true',
    'DisplayMessageCtrlr.QRCodeDisplayCapable=true',
  ]);
  t.after(() => h.close());
  const transactionId = await startCharging(h);
  const customData = {
    vendorId: 'org.openchargealliance.costmsg',
    chargingPrice: { kWhPrice: 0.3, hourPrice: 0, flatFee: 0 },
    nextPeriod: { atTime: '2030-01-01T00:00:00Z', chargingPrice: { kWhPrice: 0.25 } },
    qrCodeText: 'https://pay.example/tx',
  };
  await h.csms.call(h.identity, 'CostUpdated', { transactionId, totalCost: 2.5, customData });
  const shown = await costs.waitFor((c) => c.cost.cost === 2.5, 'the running cost');
  const { vendorId: _vendorId, ...vendorData } = customData;
  assert.deepEqual(shown.cost.californiaPricing, vendorData);
  assert.equal(shown.cost.qrCodeText, 'https://pay.example/tx');
  assertClean(h);
});

function reading(wh: number, powerW: number): MeterValueType {
  const base = energyReading(wh);
  return { ...base, sampledValue: [...base.sampledValue, { value: powerW, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'W' } }] };
}

test('California pricing triggerMeterValue: MeterValues at atEnergykWh, when the power crosses atPowerkW, and at atTime; once each', async (t) => {
  const { h } = await withUi([...COST_ON, 'CustomizationCtrlr.CustomImplementationEnabled[org.openchargealliance.costmsg]=true']);
  t.after(() => h.close());
  const transactionId = await startCharging(h);
  const meterValues = () => h.csms.calls.filter((c) => c.action === 'MeterValues').map((c) => c.payload as MeterValuesRequest);
  h.station.onMeterValue(1, reading(100, 1000));
  const triggerMeterValue = { atEnergykWh: 0.5, atPowerkW: 5 };
  await h.csms.call(h.identity, 'CostUpdated', {
    transactionId,
    totalCost: 0.1,
    customData: { vendorId: 'org.openchargealliance.costmsg', triggerMeterValue },
  });
  h.station.onMeterValue(1, reading(400, 1000));
  await settle(h);
  assert.equal(meterValues().length, 0, 'below both triggers');
  h.station.onMeterValue(1, reading(600, 1000));
  const atEnergy = (await h.csms.waitForCall('MeterValues')).payload as MeterValuesRequest;
  assert.equal(atEnergy.evseId, 1);
  assert.equal(atEnergy.meterValue[0]?.sampledValue.find((v) => v.measurand === 'Energy.Active.Import.Register')?.value, 600);
  assert.equal(atEnergy.meterValue[0]?.sampledValue[0]?.context, 'Other');
  h.station.onMeterValue(1, reading(700, 7000));
  await h.csms.waitForCall('MeterValues');
  h.station.onMeterValue(1, reading(800, 1000));
  h.station.onMeterValue(1, reading(900, 8000));
  await settle(h);
  assert.equal(meterValues().length, 2, 'each trigger fires once');

  const atTime = new Date(h.station.clock.nowMs() + 1_000).toISOString();
  await h.csms.call(h.identity, 'CostUpdated', {
    transactionId,
    totalCost: 0.2,
    customData: { vendorId: 'org.openchargealliance.costmsg', triggerMeterValue: { atTime } },
  });
  await h.csms.waitForCall('MeterValues', undefined, 20_000);
  assert.equal(meterValues().length, 3);
  assertClean(h);
});

test('Multi-language (CustomImplementationEnabled[org.openchargealliance.multilanguage]): extra languages the screen supports are added', async (t) => {
  const { h, tariffs } = await withUi([
    ...TARIFF_ON,
    'CustomizationCtrlr.CustomImplementationEnabled[org.openchargealliance.multilanguage]=true',
  ]);
  t.after(() => h.close());
  answerUpdatedTariff(h, { format: 'UTF8', language: 'en_US', content: 'price 0.30' }, [
    { format: 'UTF8', language: 'de', content: 'Preis 0,30' },
    { format: 'UTF8', language: 'fr', content: 'prix 0,30' },
  ]);
  await startCharging(h);
  const text = await tariffs.waitFor((m) => m.kind === 'updatedTariff', 'the updated tariff');
  // DisplayMessageCtrlr.Language valuesList is en_US,de,nl: French is not shown.
  assert.deepEqual(text.message.map((m) => m.language), ['en_US', 'de']);
  assertClean(h);
});


test('I03.FR.05: with ParkingBayOccupancy in TxStopPoint the final cost is not shown (the driver has left)', async (t) => {
  const { h, costs } = await withUi([...COST_ON, 'TxCtrlr.TxStopPoint=EVConnected,ParkingBayOccupancy']);
  t.after(() => h.close());
  h.csms.onCall('TransactionEvent', (call) => {
    const request = call.payload as TransactionEventRequest;
    return request.eventType === 'Ended' ? { ...acceptedTxAnswer(request), totalCost: 7.5 } : acceptedTxAnswer(request);
  });
  const transactionId = await startCharging(h);
  h.station.onSessionFinished(1, 1);
  await h.csms.waitForCall('TransactionEvent', (c) => {
    const e = c.payload as TransactionEventRequest;
    return e.eventType === 'Ended' && e.transactionInfo.transactionId === transactionId;
  });
  await settle(h);
  assert.equal(costs.count((c) => c.cost.state === 'Finished'), 0, 'the final cost is not shown');
  assert.notEqual(h.station.screen().tariffCost.cost?.state, 'Finished');
  assertClean(h);
});

test('I01.FR.03: the personalMessage of a TransactionEventResponse’s idTokenInfo is shown as the driver’s tariff', async (t) => {
  const { h, tariffs } = await withUi(TARIFF_ON);
  t.after(() => h.close());
  h.csms.onCall('Authorize', (): AuthorizeResponse => ({ idTokenInfo: { status: 'Accepted' } }));
  const tariff = { format: 'UTF8' as const, language: 'en', content: '0.35 EUR/kWh for you' };
  h.csms.onCall('TransactionEvent', (call) => {
    const request = call.payload as TransactionEventRequest;
    const answer = acceptedTxAnswer(request);
    return request.idToken ? { ...answer, idTokenInfo: { status: 'Accepted', personalMessage: tariff } } : answer;
  });
  const transactionId = await startCharging(h);
  const shown = await tariffs.waitFor((m) => m.kind === 'tariff', 'the tariff of the TransactionEventResponse');
  assert.deepEqual(shown, { kind: 'tariff', message: [tariff], idToken: TOKEN, transactionId });
  assert.deepEqual(h.station.screen().tariffCost.tariff, shown);
  assertClean(h);
});
