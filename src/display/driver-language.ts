/**
 * The language a driver's messages are shown in (C01.FR.08–13): the CSMS names the driver's
 * preferred user-interface languages in idTokenInfo.language1 and language2; the station shows its
 * messages in the first of them it has messages in, else in English.
 *
 * "Has messages in a language" is read as: the language is in DisplayMessageCtrlr.Language's
 * valuesList (the languages the screen can show; docs/display.md). Tags are RFC 5646 (C01.FR.17);
 * the device model's list may use `_` (libocpp's `en_US`), so tags compare case-insensitively with
 * `_` as `-`, and a tag that names a region the station lacks matches its primary language
 * (`de-CH` finds `de`).
 */
import type { IdTokenInfoType, MessageContentType } from '../generated/ocpp-types.js';

function normalized(tag: string): string {
  return tag.trim().replace(/_/g, '-').toLowerCase();
}

function primary(tag: string): string {
  return normalized(tag).split('-')[0]!;
}

/**
 * The installed language that shows `tag`: the same tag, else one of the same primary language.
 *
 * @example
 * installedLanguage('de-CH', ['en_US', 'de']); // 'de'
 * installedLanguage('fr', ['en_US', 'de']); // undefined
 */
export function installedLanguage(tag: string, installed: readonly string[]): string | undefined {
  const wanted = normalized(tag);
  if (wanted === '') return undefined;
  return (
    installed.find((language) => normalized(language) === wanted) ??
    installed.find((language) => primary(language) === primary(wanted))
  );
}

/**
 * The installed language to show a driver's messages in, or undefined when the CSMS named none
 * (the station's own default applies).
 *
 * @example
 * driverLanguage({ status: 'Accepted', language1: 'fr', language2: 'de' }, ['en_US', 'de', 'nl']); // 'de'
 * driverLanguage({ status: 'Accepted', language1: 'fr' }, ['en_US', 'de', 'nl']); // 'en_US'
 */
export function driverLanguage(
  info: Pick<IdTokenInfoType, 'language1' | 'language2'>,
  installed: readonly string[],
): string | undefined {
  // C01.FR.10: language2 without language1 is not valid; without language1 there is no preference.
  if (info.language1 === undefined || info.language1 === '') return undefined;
  return (
    // C01.FR.08: language1 when the station has messages in it.
    installedLanguage(info.language1, installed) ??
    // C01.FR.09: else language2 when it has messages in that.
    (info.language2 === undefined ? undefined : installedLanguage(info.language2, installed)) ??
    // C01.FR.12/13: else English, the recommended fall-back.
    installedLanguage('en', installed)
  );
}

/**
 * The texts with those in `language` first (stable otherwise): the screen shows the first text it
 * can, so the driver's language wins over the CSMS's own choice of first text.
 *
 * @example
 * preferLanguage([{ format: 'UTF8', language: 'en', content: 'price' }, { format: 'UTF8', language: 'de', content: 'Preis' }], 'de')[0].content; // 'Preis'
 */
export function preferLanguage(
  texts: MessageContentType[],
  language: string | undefined,
): MessageContentType[] {
  if (language === undefined) return texts;
  const matches = (text: MessageContentType) =>
    text.language !== undefined && installedLanguage(text.language, [language]) !== undefined;
  const first = texts.filter(matches);
  if (first.length === 0 || first.length === texts.length) return texts;
  return [...first, ...texts.filter((text) => !matches(text))];
}
