/**
 * C01.FR.08–13: which installed language a driver's messages are shown in, from idTokenInfo's
 * language1 and language2 against DisplayMessageCtrlr.Language's valuesList.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { driverLanguage, installedLanguage, preferLanguage } from '../../src/display/driver-language.js';
import type { MessageContentType } from '../../src/generated/ocpp-types.js';

const INSTALLED = ['en_US', 'de', 'nl'];
const accepted = { status: 'Accepted' as const };

test('C01.FR.08: language1 when the station has messages in it (tags compare with _ as -, any case)', () => {
  assert.equal(driverLanguage({ ...accepted, language1: 'de', language2: 'nl' }, INSTALLED), 'de');
  assert.equal(driverLanguage({ ...accepted, language1: 'en-us' }, INSTALLED), 'en_US');
  // A region the station lacks falls to its primary language.
  assert.equal(driverLanguage({ ...accepted, language1: 'de-CH' }, INSTALLED), 'de');
});

test('C01.FR.09: language2 when language1 is not installed and language2 is', () => {
  assert.equal(driverLanguage({ ...accepted, language1: 'fr', language2: 'nl' }, INSTALLED), 'nl');
});

test('C01.FR.13: English when neither is installed; nothing when English is not installed either', () => {
  assert.equal(driverLanguage({ ...accepted, language1: 'fr', language2: 'es' }, INSTALLED), 'en_US');
  assert.equal(driverLanguage({ ...accepted, language1: 'fr' }, ['de', 'nl']), undefined);
});

test('C01.FR.10: without language1 the CSMS named no preference; a language2 alone is ignored', () => {
  assert.equal(driverLanguage({}, INSTALLED), undefined);
  assert.equal(driverLanguage({ ...accepted, language2: 'de' }, INSTALLED), undefined);
});

test('installedLanguage: an exact tag wins over one of the same primary language', () => {
  assert.equal(installedLanguage('en-GB', ['en_US', 'en-GB']), 'en-GB');
  assert.equal(installedLanguage('en', ['en_US', 'de']), 'en_US');
  assert.equal(installedLanguage('', INSTALLED), undefined);
});

test('preferLanguage: the texts in the driver language come first, the others keep their order', () => {
  const texts: MessageContentType[] = [
    { format: 'UTF8', content: 'no language' },
    { format: 'UTF8', language: 'en_US', content: 'price' },
    { format: 'UTF8', language: 'de', content: 'Preis' },
    { format: 'UTF8', language: 'nl', content: 'prijs' },
  ];
  assert.deepEqual(
    preferLanguage(texts, 'de').map((t) => t.content),
    ['Preis', 'no language', 'price', 'prijs'],
  );
  assert.equal(preferLanguage(texts, undefined), texts);
  assert.equal(preferLanguage(texts, 'fr'), texts);
});
