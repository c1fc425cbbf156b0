/**
 * The visualizer page in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core):
 * a station boots against the strict test CSMS, a transaction runs, and the page shows the actors'
 * active states and the OCPP messages; a click on a message shows the transitions it caused; a
 * recorded `--json` log replays; and the page asks nothing of any host but its own 127.0.0.1.
 * Every wait is on a page condition, never a fixed sleep.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { access, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ChargePoint } from '../../src/charge-point.js';
import { startTestCsms } from '../../src/testing/index.js';
import { createChargePointSource, createEventHub, startVisualizer } from '../../src/visualizer/index.js';
import { REPO_ROOT, spawnCli } from '../cli/helpers/cli-process.js';

const CHROMIUM = '/usr/bin/chromium';
/** Upper bounds only (2 busy cores in CI): waits end as soon as the page shows the condition. */
const PAGE_WAIT_MS = 120_000;
const TEST_TIMEOUT_MS = 600_000;
const SCREENSHOT = path.join(REPO_ROOT, 'test-artifacts/visualizer.png');

let browser: Browser;

before(async () => {
  await access(CHROMIUM).catch(() =>
    assert.fail(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium; .ci/run does)`,
    ),
  );
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(() => browser?.close());

/** A page that records every URL it requests and fails the test on a script error. */
async function openPage(url: string) {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1100 } });
  page.setDefaultTimeout(PAGE_WAIT_MS);
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  return { page, requests, errors };
}

/** The chart section of an actor, and a state of it that must be active. */
const activeState = (page: Page, actor: string, stateId: string) =>
  page.locator(`details.actor[data-actor="${actor}"] [data-state-id="${stateId}"].active`);

const transactionSection = (page: Page) => page.locator('details.actor[data-machine="transaction"]');

function onlyLocal(requests: string[]) {
  assert.ok(requests.length > 0);
  for (const url of requests) {
    const { protocol, hostname } = new URL(url);
    assert.ok(['http:', 'ws:'].includes(protocol) && hostname === '127.0.0.1', `the page requested ${url}`);
  }
}

test(
  'library: a ChargePoint attached to startVisualizer; the page follows boot and a transaction',
  { timeout: TEST_TIMEOUT_MS },
  async (t) => {
    const csms = await startTestCsms();
    t.after(() => csms.close());
    const visualizer = await startVisualizer();
    t.after(() => visualizer.close());
    const source = createChargePointSource();
    visualizer.attach('CS-PAGE', source);
    const station = new ChargePoint({
      stationId: 'CS-PAGE',
      evses: [{ id: 1, connectors: [{ id: 1 }] }],
      database: ':memory:',
      csmsUrl: csms.url,
    });
    // The public event stream: its frames make the timeline, its state events the charts.
    station.subscribe(source.stationEvent);
    await station.start();
    t.after(() => station.stop());

    const { page, requests, errors } = await openPage(visualizer.url);
    t.after(() => page.close());
    await page.locator('#station-picker option[value="CS-PAGE"]').waitFor({ state: 'attached' });
    await activeState(page, 'boot', 'boot.accepted.idle').waitFor();
    await activeState(page, 'connection', 'connection.session.open').waitFor();
    await activeState(page, 'connector:1:1', 'connector.status.Available').waitFor();

    station.onSessionStarted(1, 1);
    await station.onAuthorizationPresented({ idToken: 'TOKEN-PAGE', type: 'ISO14443' });
    station.onChargingStateChanged(1, 'Charging');
    await activeState(page, 'connector:1:1', 'connector.status.Occupied').waitFor();
    await transactionSection(page)
      .locator('[data-state-id="transaction.transaction.chargingState.Charging"].active')
      .waitFor();
    await transactionSection(page)
      .locator('[data-state-id="transaction.transaction.authorization.authorized"].active')
      .waitFor();
    assert.equal(await page.locator('[data-state-id="connector.status.Available"].active').count(), 0);

    // The timeline: the boot and the transaction's messages, both directions.
    await page
      .locator('tr.message[data-action="BootNotification"][data-kind="CALL"][data-direction="out"]')
      .waitFor();
    await page
      .locator('tr.message[data-action="BootNotification"][data-kind="CALLRESULT"][data-direction="in"]')
      .waitFor();
    await page.locator('tr.message[data-action="TransactionEvent"][data-kind="CALL"]').first().waitFor();

    // The BootNotification's answer made the boot actor accepted.
    await page.locator('tr.message[data-action="BootNotification"][data-kind="CALLRESULT"]').click();
    await page.locator('#detail h3', { hasText: 'CALLRESULT BootNotification' }).waitFor();
    const bootChange = page.locator('#detail tr.caused-transition[data-actor="boot"]');
    await bootChange.waitFor();
    assert.equal(await bootChange.getAttribute('data-to'), 'accepted.idle');
    assert.equal(await bootChange.locator('td.from').textContent(), 'registering');

    // The answer to Authorize started the transaction.
    await page.locator('tr.message[data-action="Authorize"][data-kind="CALLRESULT"]').click();
    await page.locator('#detail tr.caused-transition[data-actor^="transaction:"]').first().waitFor();

    // Filters: by action, and by the actor a message moved.
    await page.selectOption('#filter-action', 'TransactionEvent');
    // Locators, not string predicates: Playwright evals a string predicate inside the page, which the
    // page's CSP (script-src 'self', no unsafe-eval) refuses whenever the first check fails.
    const rows = (selector: string) => page.locator(`#timeline-rows tr.message${selector}`).first();
    await rows(':not([data-action="TransactionEvent"])').waitFor({ state: 'detached' });
    await rows('[data-action="TransactionEvent"]').waitFor();
    await page.selectOption('#filter-action', '');
    await page.selectOption('#filter-actor', 'boot');
    await rows('[data-action="TransactionEvent"]').waitFor({ state: 'detached' });
    await rows('[data-action="BootNotification"]').waitFor();
    await page.selectOption('#filter-actor', '');
    await page.locator('tr.message[data-action="Authorize"][data-kind="CALLRESULT"]').click();

    // A fleet: a second station on the same page, chosen with the picker.
    const other = createEventHub();
    visualizer.attach('CS-FLEET-2', other);
    other.emit({
      type: 'state',
      actor: 'connector:1:1',
      machine: 'connector',
      value: { facts: 'tracking', status: 'Faulted', report: 'idle' },
      event: 'hw.faulted',
      status: 'active',
      time: new Date().toISOString(),
    });
    other.emit({
      type: 'frame',
      direction: 'out',
      frame: [2, 'e-1', 'DataTransfer', { vendorId: 'x' }],
      time: new Date().toISOString(),
    });
    other.emit({
      type: 'frame',
      direction: 'in',
      frame: [4, 'e-1', 'NotImplemented', 'no vendor x', {}],
      time: new Date().toISOString(),
    });
    await page.locator('#station-picker option[value="CS-FLEET-2"]').waitFor({ state: 'attached' });
    await page.selectOption('#station-picker', 'CS-FLEET-2');
    await activeState(page, 'connector:1:1', 'connector.status.Faulted').waitFor();
    // A CALLERROR: its action is its CALL's, its code is shown.
    const callError = page.locator('tr.message[data-kind="CALLERROR"][data-action="DataTransfer"]');
    await callError.waitFor();
    assert.equal(await callError.locator('td.summary').textContent(), 'NotImplemented');
    await callError.click();
    await page.locator('#detail pre.payload', { hasText: 'no vendor x' }).waitFor();
    // Of many ended transactions only the latest five keep a chart.
    for (let i = 1; i <= 7; i += 1) {
      const at = new Date().toISOString();
      const actor = `transaction:T${i}`;
      other.emit({
        type: 'state',
        actor,
        machine: 'transaction',
        value: { session: { evConnection: 'off' } },
        event: 'xstate.init',
        status: 'active',
        time: at,
      });
      other.emit({
        type: 'state',
        actor,
        machine: 'transaction',
        value: 'ended',
        event: 'xstate.done',
        status: 'done',
        time: at,
      });
    }
    await page.locator('details.actor[data-actor="transaction:T7"][data-status="done"]').waitFor();
    assert.equal(await transactionSection(page).count(), 5);
    assert.equal(await page.locator('details.actor[data-actor="transaction:T2"]').count(), 0);
    assert.equal(
      await page.locator('details.actor[data-actor^="evse:"]').count(),
      0,
      "CS-PAGE's actors are not shown for CS-FLEET-2",
    );
    await page.selectOption('#station-picker', 'CS-PAGE');
    await activeState(page, 'connector:1:1', 'connector.status.Occupied').waitFor();
    await page.locator('tr.message[data-action="Authorize"][data-kind="CALLRESULT"]').click();
    await page.locator('#detail tr.caused-transition[data-actor^="transaction:"]').first().waitFor();

    await mkdir(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    assert.deepEqual(errors, []);
    onlyLocal(requests);
  },
);

test(
  'CLI: --visualize shows the live station; its --json log replays with --replay and from the page',
  { timeout: TEST_TIMEOUT_MS },
  async (t) => {
    const cli = spawnCli(['--json', '--visualize', '--db', ':memory:', '--id', 'CS-CLI-PAGE']);
    t.after(() => cli.kill());
    const shown = await cli.waitFor('the visualizer URL', (e) => e.type === 'visualizer');
    assert.ok(shown.type === 'visualizer');
    assert.match(shown.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const live = await openPage(shown.url);
    t.after(() => live.page.close());
    await activeState(live.page, 'boot', 'boot.accepted.idle').waitFor();
    for (const line of ['plug 1', 'auth TOKEN-CLI', 'charge 1']) cli.send(line);
    await activeState(live.page, 'connector:1:1', 'connector.status.Occupied').waitFor();
    await transactionSection(live.page)
      .locator('[data-state-id="transaction.transaction.chargingState.Charging"].active')
      .waitFor();
    await live.page.locator('tr.message[data-action="TransactionEvent"]').first().waitFor();
    cli.send('quit');
    assert.deepEqual(await cli.exited, { code: 0, signal: null });
    assert.deepEqual(live.errors, []);
    onlyLocal(live.requests);

    // The `state` events are in the log, one per value change.
    const states = cli.events.filter((e) => e.type === 'state');
    assert.ok(
      states.some((e) => e.actor === 'connector:1:1' && JSON.stringify(e.value).includes('"Occupied"')),
    );
    const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-replay-'));
    const file = path.join(dir, 'session.jsonl');
    await writeFile(file, cli.events.map((e) => `${JSON.stringify(e)}\n`).join(''));

    const replay = spawnCli(['--json', '--replay', file]);
    t.after(() => replay.kill());
    const replayShown = await replay.waitFor('the replay URL', (e) => e.type === 'visualizer');
    assert.ok(replayShown.type === 'visualizer');
    assert.equal(replayShown.replay, file);
    const { page, requests, errors } = await openPage(replayShown.url);
    t.after(() => page.close());
    await page.locator('#station-picker option[value="CS-CLI-PAGE"]').waitFor({ state: 'attached' });
    // At the end of the recording the actors were stopped (quit) in the states they had.
    await activeState(page, 'connector:1:1', 'connector.status.Occupied').waitFor();
    await page.locator('details.actor[data-actor="connector:1:1"][data-status="stopped"]').waitFor();
    await transactionSection(page)
      .locator('[data-state-id="transaction.transaction.chargingState.Charging"].active')
      .waitFor();

    // Back in time: right after the BootNotification's answer no EV was plugged yet.
    await page.locator('tr.message[data-action="BootNotification"][data-kind="CALLRESULT"]').click();
    await page.locator('#detail button.show-states').click();
    await activeState(page, 'connector:1:1', 'connector.status.Available').waitFor();
    await activeState(page, 'boot', 'boot.accepted.idle').waitFor();
    assert.equal(await transactionSection(page).count(), 0, 'no transaction actor yet');
    assert.equal(await page.locator('#follow').isChecked(), false);
    // And forward again to the end.
    await page.locator('#follow').check();
    await activeState(page, 'connector:1:1', 'connector.status.Occupied').waitFor();

    // ▶ replay starts from the beginning and steps message by message.
    await page.locator('#play').click();
    await page.locator('#play', { hasText: 'pause' }).waitFor();
    await activeState(page, 'connector:1:1', 'connector.status.Available').waitFor();
    await page.locator('#play').click();
    await page.locator('#play', { hasText: 'replay' }).waitFor();

    // The same file opened in the page itself (no server involved in the parsing).
    await page.setInputFiles('#recording-file', file);
    await page.locator('#station-picker option', { hasText: '(recording)' }).waitFor({ state: 'attached' });
    await page.locator('#station-picker option:checked[value*="session.jsonl"]').waitFor({ state: 'attached' });
    await activeState(page, 'connector:1:1', 'connector.status.Occupied').waitFor();
    await page.locator('tr.message[data-action="TransactionEvent"]').first().waitFor();

    replay.send('quit');
    assert.deepEqual(await replay.exited, { code: 0, signal: null });
    assert.deepEqual(errors, []);
    onlyLocal(requests);
  },
);

test(
  'the page reconnects to a restarted server and shows the new run from its start',
  { timeout: TEST_TIMEOUT_MS },
  async (t) => {
    const first = await startVisualizer();
    const port = Number(new URL(first.url).port);
    const run1 = createEventHub();
    first.attach('CS-RESTART', run1);
    const state = (status: string) => ({
      type: 'state' as const,
      actor: 'connector:1:1',
      machine: 'connector',
      value: { facts: 'tracking', status, report: 'idle' },
      event: 'hw.plugged',
      status: 'active' as const,
      time: new Date().toISOString(),
    });
    run1.emit(state('Occupied'));
    const { page, errors } = await openPage(first.url);
    t.after(() => page.close());
    await activeState(page, 'connector:1:1', 'connector.status.Occupied').waitFor();
    await first.close();
    await page.locator('#connection-status.down').waitFor();

    // The same URL again: a new process would number its events from 1 again.
    const second = await startVisualizer({ port });
    t.after(() => second.close());
    const run2 = createEventHub();
    second.attach('CS-RESTART', run2);
    run2.emit(state('Available'));
    await page.locator('#connection-status.live').waitFor();
    await activeState(page, 'connector:1:1', 'connector.status.Available').waitFor();
    assert.deepEqual(errors, []);
  },
);

test(
  'CLI fleet: --count 3 --visualize lists every station in the picker; picking one shows its actors',
  { timeout: TEST_TIMEOUT_MS },
  async (t) => {
    const cli = spawnCli(['--json', '--visualize', '--db', ':memory:', '--count', '3', '--id', 'CS-PICK-%d']);
    t.after(() => cli.kill());
    const shown = await cli.waitFor('the visualizer URL', (e) => e.type === 'visualizer');
    assert.ok(shown.type === 'visualizer');
    const { page, requests, errors } = await openPage(shown.url);
    t.after(() => page.close());
    const picker = page.locator('#station-picker option');
    for (const id of ['CS-PICK-1', 'CS-PICK-2', 'CS-PICK-3'])
      await page.locator(`#station-picker option[value="${id}"]`).waitFor({ state: 'attached' });
    assert.deepEqual(
      await picker.evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value)),
      ['CS-PICK-1', 'CS-PICK-2', 'CS-PICK-3'],
    );
    cli.send('@CS-PICK-3 plug 1');
    await page.selectOption('#station-picker', 'CS-PICK-3');
    await activeState(page, 'connector:1:1', 'connector.status.Occupied').waitFor();
    await page.selectOption('#station-picker', 'CS-PICK-1');
    await activeState(page, 'connector:1:1', 'connector.status.Available').waitFor();
    cli.send('quit');
    assert.deepEqual(await cli.exited, { code: 0, signal: null });
    assert.deepEqual(errors, []);
    onlyLocal(requests);
  },
);
