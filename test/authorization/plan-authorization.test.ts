/**
 * The lookup order of C10–C15 (planAuthorization), over a table of cases: every local-list and
 * cache status, online and offline, with the settings that change the answer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  planAuthorization,
  type AuthorizationFacts,
  type LocalKnowledge,
} from '../../src/authorization/authorize-token.js';
import type { AuthorizationStatusEnumType } from '../../src/generated/ocpp-types.js';

const BASE: AuthorizationFacts = {
  online: true,
  local: undefined,
  localPreAuthorize: true,
  localAuthorizeOffline: true,
  disableRemoteAuthorization: false,
  listDisablePostAuthorize: false,
  cacheDisablePostAuthorize: false,
  offlineTxForUnknownIdEnabled: false,
};

const known = (from: LocalKnowledge['from'], status: AuthorizationStatusEnumType): LocalKnowledge => ({
  from,
  info: { status, groupIdToken: { idToken: 'G1', type: 'Central' } },
});

/** 'ask' or the decided status and source. */
function outcome(facts: Partial<AuthorizationFacts>): string {
  const plan = planAuthorization({ ...BASE, ...facts });
  return plan.kind === 'ask' ? 'ask' : `${plan.verdict.idTokenInfo.status}/${plan.verdict.source}`;
}

const STATUSES: AuthorizationStatusEnumType[] = ['Accepted', 'Invalid', 'Blocked', 'Expired', 'Unknown'];

describe('planAuthorization: online', () => {
  it('C01.FR.01: an unknown token is asked of the CSMS', () => {
    assert.equal(outcome({}), 'ask');
  });
  for (const from of ['localList', 'cache'] as const) {
    it(`C12.FR.02 / C14.FR.02: Accepted in the ${from} starts at once with LocalPreAuthorize`, () => {
      assert.equal(outcome({ local: known(from, 'Accepted') }), 'Accepted/local');
    });
    it(`LocalPreAuthorize false: Accepted in the ${from} is still asked of the CSMS`, () => {
      assert.equal(outcome({ local: known(from, 'Accepted'), localPreAuthorize: false }), 'ask');
    });
    for (const status of STATUSES.filter((s) => s !== 'Accepted')) {
      it(`C10.FR.03 / C12.FR.05 / C14.FR.03: ${status} in the ${from} is checked with the CSMS`, () => {
        assert.equal(outcome({ local: known(from, status) }), 'ask');
      });
      it(`DisablePostAuthorize of the ${from}: ${status} stands without asking`, () => {
        const flag = from === 'localList' ? { listDisablePostAuthorize: true } : { cacheDisablePostAuthorize: true };
        assert.equal(outcome({ local: known(from, status), ...flag }), `${status}/local`);
      });
      it(`DisablePostAuthorize of the other store does not apply to the ${from} (${status})`, () => {
        const flag = from === 'localList' ? { cacheDisablePostAuthorize: true } : { listDisablePostAuthorize: true };
        assert.equal(outcome({ local: known(from, status), ...flag }), 'ask');
      });
    }
  }
  it('DisableRemoteAuthorization: a known token stands, an unknown one is Unknown (TC_E_52)', () => {
    assert.equal(outcome({ disableRemoteAuthorization: true }), 'Unknown/local');
    assert.equal(outcome({ disableRemoteAuthorization: true, local: known('cache', 'Blocked') }), 'Blocked/local');
    assert.equal(
      outcome({ disableRemoteAuthorization: true, localPreAuthorize: false, local: known('localList', 'Accepted') }),
      'Accepted/local',
    );
  });
  it('the local knowledge is returned whole (groupIdToken for C09)', () => {
    const plan = planAuthorization({ ...BASE, local: known('localList', 'Accepted') });
    assert.equal(plan.kind, 'decided');
    if (plan.kind === 'decided') assert.deepEqual(plan.verdict.idTokenInfo.groupIdToken, { idToken: 'G1', type: 'Central' });
  });
});

describe('planAuthorization: offline', () => {
  for (const from of ['localList', 'cache'] as const) {
    for (const status of STATUSES) {
      it(`C12 / C13.FR.03 / C14: ${status} in the ${from} decides offline (LocalAuthorizeOffline)`, () => {
        assert.equal(outcome({ online: false, local: known(from, status) }), `${status}/local`);
      });
      it(`C13.FR.06 note: ${status} in the ${from} is no unknown id, even with OfflineTxForUnknownIdEnabled`, () => {
        const expected = status === 'Accepted' ? 'Accepted/local' : `${status}/local`;
        assert.equal(outcome({ online: false, local: known(from, status), offlineTxForUnknownIdEnabled: true }), expected);
      });
    }
    it(`LocalAuthorizeOffline false: Accepted in the ${from} does not start offline`, () => {
      assert.equal(outcome({ online: false, local: known(from, 'Accepted'), localAuthorizeOffline: false }), 'Unknown/offline');
      assert.equal(
        outcome({ online: false, local: known(from, 'Accepted'), localAuthorizeOffline: false, offlineTxForUnknownIdEnabled: true }),
        'Unknown/offline',
      );
    });
  }
  it('C15.FR.08: an unknown token is Accepted offline with OfflineTxForUnknownIdEnabled', () => {
    assert.equal(outcome({ online: false, offlineTxForUnknownIdEnabled: true }), 'Accepted/offline');
  });
  it('C13.FR.02: without it, an unknown token is Unknown offline', () => {
    assert.equal(outcome({ online: false }), 'Unknown/offline');
  });
});

describe('planAuthorization: a local-list entry past its cacheExpiryDateTime (SupportsExpiryDateTime)', () => {
  it('C14.FR.05: online it is disregarded: the CSMS is asked', () => {
    assert.equal(outcome({ lapsedInList: true }), 'ask');
  });
  it('C13.FR.05/06: offline it is not authorized, even with OfflineTxForUnknownIdEnabled', () => {
    assert.equal(outcome({ online: false, lapsedInList: true }), 'Expired/offline');
    assert.equal(outcome({ online: false, lapsedInList: true, offlineTxForUnknownIdEnabled: true }), 'Expired/offline');
  });
  it('as if not listed: a cache entry of the token decides offline', () => {
    assert.equal(outcome({ online: false, lapsedInList: true, local: known('cache', 'Accepted') }), 'Accepted/local');
  });
});
