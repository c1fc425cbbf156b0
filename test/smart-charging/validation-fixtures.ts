// Shared context and table runner of the validator tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChargingProfileType, ChargingSchedulePeriodType } from '../../src/generated/ocpp-types.js';
import {
  toSetChargingProfileResponse,
  validateChargingProfile,
  type ProfileValidationContext,
} from '../../src/smart-charging/index.js';
import { acEvse, assertSchemaValid, profile, station, T0 } from './fixtures.js';

/** EVSE 1: AC 3-phase with transaction tx-1; EVSE 2: AC 3-phase idle; EVSE 3: DC. */
export function context(extra: Partial<ProfileValidationContext> = {}): ProfileValidationContext {
  return {
    station: station({
      evses: [acEvse(1), acEvse(2), { id: 3, currentType: 'DC', supplyPhases: 3, maxPower: 50_000 }],
    }),
    profiles: [],
    transactions: [{ evseId: 1, transactionId: 'tx-1', startTime: T0 }],
    evseId: 1,
    origin: 'SetChargingProfile',
    now: T0,
    ...extra,
  };
}

export function txProfile(extra: Partial<ChargingProfileType> = {}): ChargingProfileType {
  return profile({ chargingProfilePurpose: 'TxProfile', transactionId: 'tx-1', ...extra });
}

export function withPeriods(
  list: ChargingSchedulePeriodType[],
  extra: Partial<ChargingProfileType> = {},
): ChargingProfileType {
  const p = profile(extra);
  p.chargingSchedule[0].chargingSchedulePeriod = list as [
    ChargingSchedulePeriodType,
    ...ChargingSchedulePeriodType[],
  ];
  return p;
}

export interface RejectionCase {
  name: string;
  profile: ChargingProfileType;
  context?: Partial<ProfileValidationContext>;
  reasonCode: string;
  requirement: string;
}

/** One test per case, named after its requirement: rejected with that requirement and reasonCode. */
export function testRejections(cases: RejectionCase[]): void {
  for (const c of cases) {
    test(`${c.requirement}: rejects ${c.name}`, () => {
      const result = validateChargingProfile(c.profile, context(c.context));
      assert.equal(result.status, 'Rejected', JSON.stringify(result));
      if (result.status !== 'Rejected') return;
      assert.equal(result.requirement, c.requirement, result.additionalInfo);
      assert.equal(result.reasonCode, c.reasonCode);
      assert.ok(result.additionalInfo !== undefined && result.additionalInfo.length > 0);
      const response = toSetChargingProfileResponse(result);
      assertSchemaValid('SetChargingProfileResponse', response);
      assert.equal(response.statusInfo?.reasonCode, c.reasonCode);
      assert.ok(response.statusInfo?.additionalInfo?.startsWith(c.requirement));
    });
  }
}
