/**
 * A 53-bit digest of a text (cyrb53: two 32-bit multiply-xorshift lanes), to remember what was
 * written without keeping the text: a fleet station's EVSE snapshots are a few KB each, held for
 * the station's lifetime only to be compared with the next one (issue 9).
 *
 * Not cryptographic. Two different texts collide with a chance of about 2^-53 per comparison; a
 * collision skips the rewrite of a snapshot whose facts changed until its next change is written
 * (accepted: far below the chance of losing power between a change and its write).
 */

/**
 * @example
 * textDigest('{"a":1}') === textDigest('{"a":1}'); // true
 * textDigest('{"a":1}') === textDigest('{"a":2}'); // false (but for a 2^-53 chance)
 */
export function textDigest(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
