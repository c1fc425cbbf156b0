/**
 * The identity and the size of a stored idToken, shared by the Authorization Cache (C10) and the
 * Local Authorization List (D01).
 *
 * Identity: Part 2 §C.1.1 defines an IdToken as "a combination of a case insensitive string and a
 * type", so two tokens are the same when their types are equal and their idToken strings are equal
 * ignoring case (additionalInfo does not take part).
 *
 * Size: AuthCacheCtrlr.Storage and LocalAuthListCtrlr.Storage count "bytes currently used". This
 * station counts, for each entry, the UTF-8 length of the JSON of `{ idToken, idTokenInfo }` as it
 * is stored (an AuthorizationData element as the CSMS sends it in SendLocalList). Bookkeeping
 * (timestamps, use counts) is not counted: the measure depends only on what the CSMS said, so it
 * is the same on every station and easy for a CSMS to predict.
 */
import type { IdTokenInfoType, IdTokenType } from '../generated/ocpp-types.js';

/**
 * The key under which a token is stored: its type and its idToken in lower case.
 *
 * @example
 * idTokenKey({ idToken: 'AbC1', type: 'ISO14443' }); // 'ISO14443:abc1'
 * idTokenKey({ idToken: 'abc1', type: 'ISO14443' }) === idTokenKey({ idToken: 'ABC1', type: 'ISO14443' }); // true
 */
export function idTokenKey(idToken: IdTokenType): string {
  return `${idToken.type}:${idToken.idToken.toLowerCase()}`;
}

/**
 * Bytes an entry uses (AuthCacheCtrlr.Storage / LocalAuthListCtrlr.Storage): the UTF-8 length of
 * `JSON.stringify({ idToken, idTokenInfo })`.
 *
 * @example
 * entryBytes({ idToken: 'A', type: 'Local' }, { status: 'Accepted' });
 * // 78: {"idToken":{"idToken":"A","type":"Local"},"idTokenInfo":{"status":"Accepted"}}
 */
export function entryBytes(idToken: IdTokenType, idTokenInfo: IdTokenInfoType): number {
  return Buffer.byteLength(JSON.stringify({ idToken, idTokenInfo }), 'utf8');
}
