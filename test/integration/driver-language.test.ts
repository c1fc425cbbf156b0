/**
 * C01.FR.08–13 through the real station and the strict test CSMS: the languages the CSMS names in
 * idTokenInfo (language1, language2) choose which of the tariff texts the screen shows first, for
 * the token and then for its transaction. DisplayMessageCtrlr.Language's valuesList is en_US,de,nl.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuthorizeResponse, IdTokenInfoType } from '../../src/generated/ocpp-types.js';
import type { TariffMessage } from '../../src/tariff/tariff-types.js';
import { displayEvents } from '../../src/cli/run-ui-commands.js';
import { recorder } from './recorder.js';
import { answerUpdatedTariff, multiLanguageData } from './tariff-answers.js';
import { assertClean, startCharging, startTxHarness, txHost } from './transactions-helpers.js';

const MULTI_LANGUAGE = [
  'TariffCostCtrlr.Enabled[Tariff]=true',
  'CustomizationCtrlr.CustomImplementationEnabled[org.openchargealliance.multilanguage]=true',
];

/** The CSMS's tariff in English, with German and Dutch as the multi-language extras. */
function tariffAnswer(languages: Pick<IdTokenInfoType, 'language1' | 'language2'>): AuthorizeResponse {
  return {
    idTokenInfo: {
      status: 'Accepted',
      ...languages,
      personalMessage: { format: 'UTF8', language: 'en_US', content: '0.30 EUR/kWh' },
      customData: multiLanguageData('personalMessageExtra', [
        { format: 'UTF8', language: 'de', content: '0,30 EUR/kWh' },
        { format: 'UTF8', language: 'nl', content: '0,30 EUR per kWh' },
      ]),
    },
  };
}

async function stationAnswering(languages: Pick<IdTokenInfoType, 'language1' | 'language2'>) {
  const tariffs = recorder<TariffMessage>();
  const host = txHost({ tariffMessageCallback: (message) => tariffs.push(message) });
  const h = await startTxHarness({ set: MULTI_LANGUAGE, station: { callbacks: host.callbacks } });
  h.csms.onCall('Authorize', () => tariffAnswer(languages));
  return { h, tariffs };
}

const cases: Array<{
  title: string;
  languages: Pick<IdTokenInfoType, 'language1' | 'language2'>;
  first: string;
}> = [
  {
    title: 'C01.FR.08: language1 installed (de)',
    languages: { language1: 'de', language2: 'nl' },
    first: 'de',
  },
  {
    title: 'C01.FR.09: language1 not installed (fr), language2 is (nl)',
    languages: { language1: 'fr', language2: 'nl' },
    first: 'nl',
  },
  {
    title: 'C01.FR.13: neither installed (fr, es): English',
    languages: { language1: 'fr', language2: 'es' },
    first: 'en_US',
  },
];

for (const { title, languages, first } of cases) {
  test(`${title}: the driver's language is shown first, on the callback and the simulated screen`, async (t) => {
    const { h, tariffs } = await stationAnswering(languages);
    t.after(() => h.close());
    await startCharging(h);
    const tariff = await tariffs.waitFor((m) => m.kind === 'tariff', 'the tariff text');
    assert.equal(tariff.language, first);
    assert.equal(tariff.message[0]?.language, first);
    assert.equal(tariff.message.length, 3, 'every installed language is still offered');
    // The CLI's `display` shows the driver's language as the first tariff text (id -2).
    const screen = displayEvents(h.station.screen(), () => undefined).filter(
      (e) => e.type === 'display' && e.id === -2,
    );
    assert.equal(screen.length, 1);
    assert.equal((screen[0] as { language: string | null }).language, first);
    assertClean(h);
  });
}

test('C01.FR.10: without language1 the CSMS text keeps its place (no driver preference)', async (t) => {
  const { h, tariffs } = await stationAnswering({ language2: 'de' });
  t.after(() => h.close());
  await startCharging(h);
  const tariff = await tariffs.waitFor((m) => m.kind === 'tariff', 'the tariff text');
  assert.equal(tariff.language, undefined);
  assert.deepEqual(
    tariff.message.map((m) => m.language),
    ['en_US', 'de', 'nl'],
  );
  assertClean(h);
});

test("C01.FR.08: the token's language carries to its transaction: an updated tariff (I06) shows it first", async (t) => {
  const { h, tariffs } = await stationAnswering({ language1: 'nl' });
  t.after(() => h.close());
  answerUpdatedTariff(h, { format: 'UTF8', language: 'en_US', content: 'now 0.25 EUR/kWh' }, [
    { format: 'UTF8', language: 'de', content: 'jetzt 0,25 EUR/kWh' },
    { format: 'UTF8', language: 'nl', content: 'nu 0,25 EUR per kWh' },
  ]);
  await startCharging(h);
  const updated = await tariffs.waitFor((m) => m.kind === 'updatedTariff', 'the updated tariff');
  assert.equal(updated.language, 'nl');
  assert.deepEqual(
    updated.message.map((m) => m.language),
    ['nl', 'en_US', 'de'],
  );
  assertClean(h);
});
