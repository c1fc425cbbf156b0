import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSetArgument } from '../../src/device-model/index.js';
import type { LoadedComponent } from '../../src/device-model/types.js';
import { feedsSmartChargingSettings, readSmartChargingSettings } from '../../src/smart-charging/smart-charging-settings.js';
import { exampleComponents, openExample, TWO_EVSES } from '../device-model/helpers.js';

async function settingsOf(options: { set?: string[]; edit?: (components: LoadedComponent[]) => void } = {}) {
  const components = await exampleComponents();
  options.edit?.(components);
  const { model, store } = await openExample({
    components,
    overrides: (options.set ?? []).map(parseSetArgument),
  });
  const warnings: string[] = [];
  const settings = readSmartChargingSettings(model, TWO_EVSES, (message) => warnings.push(message));
  await store.close();
  return { settings, warnings };
}

test('the example device model: 2 AC EVSEs of 22 kW, A and W, 230 V, limits of SmartChargingCtrlr', async () => {
  const { settings, warnings } = await settingsOf();
  assert.deepEqual(warnings, []);
  assert.equal(settings.supported, true);
  assert.deepEqual(settings.station, {
    // The example says ACPhaseSwitchingSupported and Phases3to1 are false.
    evses: [
      { id: 1, currentType: 'AC', supplyPhases: 3, maxPower: 22000, phaseSwitchingSupported: false },
      { id: 2, currentType: 'AC', supplyPhases: 3, maxPower: 22000, phaseSwitchingSupported: false },
    ],
    supplyVoltage: 230,
    supplyPhases: 3,
    supportedRateUnits: ['A', 'W'],
    maxStackLevel: 42,
    periodsPerSchedule: 42,
    phases3to1Supported: false,
  });
  assert.equal(settings.externalControlSignalsEnabled, true);
  assert.equal(settings.limitChangeSignificance, 42);
  assert.equal(settings.notifyChargingLimitWithSchedules, false);
  assert.equal(settings.persistTxProfiles, true);
  assert.equal(settings.persistExternalConstraints, true);
});

test('configured values: DC EVSE, phase switching, time zone, Entries maxLimit, disabled', async () => {
  const { settings, warnings } = await settingsOf({
    set: [
      'EVSE@1.SupplyPhases=0',
      'SmartChargingCtrlr.ACPhaseSwitchingSupported=true',
      'SmartChargingCtrlr.Phases3to1=true',
      'ClockCtrlr.TimeZone=Europe/Amsterdam',
      'SmartChargingCtrlr.RateUnit=W',
      'SmartChargingCtrlr.SupplyVoltage=120',
      'SmartChargingCtrlr.Enabled=false',
      'SmartChargingCtrlr.LimitChangeSignificance=2.5',
    ],
    edit: (components) => {
      const ctrlr = components.find((c) => c.name === 'SmartChargingCtrlr');
      const entries = ctrlr?.variables.find((v) => v.name === 'Entries');
      if (entries) entries.characteristics.maxLimit = 24;
    },
  });
  assert.deepEqual(warnings, []);
  assert.equal(settings.supported, false);
  assert.deepEqual(settings.station.evses[0], {
    id: 1,
    currentType: 'DC',
    supplyPhases: 3,
    phaseSwitchingSupported: true,
    maxPower: 22000,
  });
  assert.equal(settings.station.timeZone, 'Europe/Amsterdam');
  assert.deepEqual(settings.station.supportedRateUnits, ['W']);
  assert.equal(settings.station.supplyVoltage, 120);
  assert.equal(settings.station.maxInstalledProfiles, 24);
  assert.equal(settings.station.phases3to1Supported, true);
  assert.equal(settings.limitChangeSignificance, 2.5);
});

test('missing or unusable values are reported by variable name and replaced by defaults', async () => {
  const { settings, warnings } = await settingsOf({
    set: ['ClockCtrlr.TimeZone=Mars/Olympus', 'EVSE@2.SupplyPhases=1'],
    edit: (components) => {
      const evse2 = components.find((c) => c.name === 'EVSE' && c.evseId === 2);
      const power = evse2?.variables.find((v) => v.name === 'Power');
      if (power) delete power.characteristics.maxLimit;
    },
  });
  assert.equal(settings.station.timeZone, undefined);
  assert.deepEqual(settings.station.evses[1], {
    id: 2,
    currentType: 'AC',
    supplyPhases: 1,
    phaseSwitchingSupported: false,
    maxCurrent: 48,
  });
  assert.ok(
    warnings.some((w) => /ClockCtrlr\.TimeZone: "Mars\/Olympus" is not an IANA time zone/.test(w)),
    warnings.join('\n'),
  );
  assert.ok(
    warnings.some((w) => /EVSE\[evse 2\]\.Power has no maxLimit: its local limit is 48 A/.test(w)),
    warnings.join('\n'),
  );
});

test('maxLimit is read from the device model directly: no report per read, not even for a variable without one', async () => {
  const components = await exampleComponents();
  const power = components
    .find((c) => c.name === 'EVSE' && c.evseId === 1)
    ?.variables.find((v) => v.name === 'Power');
  assert.ok(power);
  delete power.characteristics.maxLimit;
  const { model, store } = await openExample({ components });
  let reports = 0;
  const port = new Proxy(model, {
    get(target, key, receiver) {
      if (key === 'report') return () => (reports++, { data: [] });
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const warnings: string[] = [];
  const settings = readSmartChargingSettings(port, TWO_EVSES, (message) => warnings.push(message));
  await store.close();
  assert.equal(reports, 0);
  assert.deepEqual(warnings, [
    'EVSE[evse 1].Power has no maxLimit: its local limit is 48 A (SmartChargingCtrlr.CompositeScheduleDefaultLimitAmps or 48)',
  ]);
  // EVSE 1 without EVSE.Power maxLimit: no maxPower; EVSE 2 keeps its 22 kW.
  assert.equal(settings.station.evses[0]?.maxPower, undefined);
  assert.equal(settings.station.evses[1]?.maxPower, 22000);
});

test('feedsSmartChargingSettings: SmartChargingCtrlr but Entries, the electrical facts and the time zone (issue 9)', () => {
  const feeds = (component: string, variable: string, evseId?: number) =>
    feedsSmartChargingSettings(evseId === undefined ? { component, variable } : { component, evseId, variable });
  assert.equal(feeds('SmartChargingCtrlr', 'SupplyVoltage'), true);
  assert.equal(feeds('SmartChargingCtrlr', 'ACPhaseSwitchingSupported', 1), true);
  assert.equal(feeds('SmartChargingCtrlr', 'Entries'), false);
  assert.equal(feeds('ChargingStation', 'SupplyPhases'), true);
  assert.equal(feeds('ChargingStation', 'Power'), true);
  assert.equal(feeds('EVSE', 'SupplyPhases', 2), true);
  assert.equal(feeds('evse', 'phaserotation', 1), true);
  assert.equal(feeds('EVSE', 'Power', 1), true);
  assert.equal(feeds('ClockCtrlr', 'TimeZone'), true);
  assert.equal(feeds('EVSE', 'AvailabilityState', 1), false);
  assert.equal(feeds('ChargingStation', 'AvailabilityState'), false);
  assert.equal(feeds('ClockCtrlr', 'DateTime'), false);
  assert.equal(feeds('OCPPCommCtrlr', 'HeartbeatInterval'), false);
});

test('feedsSmartChargingSettings follows every variable readSmartChargingSettings reads (but the installed Entries), so no change that alters the settings is missed', async () => {
  const { model, store } = await openExample();
  const read: Array<{ component: string; variable: string }> = [];
  // Every lookup the settings make, through whichever DeviceModelPort method they use.
  const recording = new Proxy(model, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const [first] = args as [{ component?: unknown; variable?: unknown; componentVariable?: unknown } | undefined];
        if (typeof first?.component === 'string' && typeof first.variable === 'string')
          read.push({ component: first.component, variable: first.variable });
        if (Array.isArray(first?.componentVariable))
          for (const cv of first.componentVariable as Array<{ component: { name: string }; variable?: { name: string } }>)
            if (cv.variable) read.push({ component: cv.component.name, variable: cv.variable.name });
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  readSmartChargingSettings(recording, TWO_EVSES, () => undefined);
  await store.close();
  assert.ok(read.length > 10, `the settings read ${read.length} variables`);
  const missed = read.filter(
    (ref) =>
      !(ref.component === 'SmartChargingCtrlr' && ref.variable === 'Entries') && !feedsSmartChargingSettings(ref),
  );
  assert.deepEqual(missed, []);
});
