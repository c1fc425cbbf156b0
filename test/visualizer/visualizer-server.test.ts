/**
 * The visualizer's server without a browser: the page's files, the websocket protocol (charts,
 * stations, numbered events, history for a page opened later), what it refuses (other hosts and
 * origins, paths outside the page), and a real ChargePoint reporting through the source adapter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import WebSocket from 'ws';
import { ChargePoint } from '../../src/charge-point.js';
import { startTestCsms, waitFor } from '../../src/testing/index.js';
import {
  createChargePointSource,
  createEventHub,
  startVisualizer,
  StationHistory,
  type NumberedEvent,
  type PageMessage,
} from '../../src/visualizer/index.js';

const WAIT_MS = 60_000;

function get(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; type: string; csp: string; body: string }>((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type']),
          csp: String(res.headers['content-security-policy']),
          body,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** A page's websocket: every message it got, and a wait on them. */
async function openPage(url: string, origin?: string) {
  const messages: PageMessage[] = [];
  const changes = new EventTarget();
  const socket = new WebSocket(`${url.replace('http', 'ws')}ws`, origin === undefined ? {} : { origin });
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as PageMessage);
    changes.dispatchEvent(new Event('change'));
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const events = (station: string): NumberedEvent[] =>
    messages.flatMap((m) => (m.type === 'events' && m.station === station ? m.events : []));
  return {
    socket,
    messages,
    events,
    until: <T>(probe: () => T | undefined, what: string) => waitFor(changes, probe, what, WAIT_MS),
  };
}

test('serves the page, its scripts and the charts with a CSP that allows this server only; nothing else', async (t) => {
  const visualizer = await startVisualizer();
  t.after(() => visualizer.close());
  assert.match(visualizer.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const page = await get(visualizer.url);
  assert.equal(page.status, 200);
  assert.match(page.type, /^text\/html/);
  assert.match(page.body, /<script type="module" src="app.js">/);
  assert.match(page.csp, /default-src 'none'; script-src 'self'/);
  for (const file of ['app.js', 'chart.js', 'model.js', 'timeline.js']) {
    const asset = await get(`${visualizer.url}${file}`);
    assert.equal(asset.status, 200, file);
    assert.match(asset.type, /^text\/javascript/);
  }
  assert.match((await get(`${visualizer.url}style.css`)).type, /^text\/css/);
  const charts = JSON.parse((await get(`${visualizer.url}machines.json`)).body) as Record<
    string,
    { machine: string }
  >;
  assert.deepEqual(Object.keys(charts), [
    'station',
    'connection',
    'boot',
    'evse',
    'connector',
    'transaction',
    'reservation',
  ]);
  assert.equal((await get(`${visualizer.url}../package.json`)).status, 404);
  assert.equal((await get(`${visualizer.url}%2e%2e/package.json`)).status, 404);
  assert.equal((await get(`${visualizer.url}nothing.js`)).status, 404);
  // DNS rebinding: a request for another host name is refused.
  assert.equal((await get(visualizer.url, { host: 'evil.example:80' })).status, 403);
});

test('a websocket from another origin is refused', async (t) => {
  const visualizer = await startVisualizer();
  t.after(() => visualizer.close());
  await assert.rejects(openPage(visualizer.url, 'http://evil.example'), /403/);
  const same = await openPage(visualizer.url, visualizer.url.slice(0, -1));
  same.socket.close();
});

test("pages get the charts, the stations, each station's events numbered; a page opened later gets the history", async (t) => {
  const visualizer = await startVisualizer();
  t.after(() => visualizer.close());
  const first = await openPage(visualizer.url);
  t.after(() => first.socket.close());
  const hello = await first.until(() => first.messages.find((m) => m.type === 'hello'), 'hello');
  assert.ok(hello.type === 'hello');
  assert.deepEqual(hello.stations, []);
  assert.ok(hello.machines.transaction);

  const hub = createEventHub();
  const detach = visualizer.attach('CS-1', hub);
  assert.throws(() => visualizer.attach('CS-1', hub), /station "CS-1" is attached already/);
  await first.until(
    () => first.messages.find((m) => m.type === 'stations' && m.stations.includes('CS-1')),
    'CS-1 listed',
  );
  hub.emit({
    type: 'frame',
    direction: 'out',
    frame: [2, 'a', 'Heartbeat', {}],
    time: '2026-01-01T00:00:00.000Z',
  });
  hub.emit({
    type: 'state',
    actor: 'boot',
    machine: 'boot',
    value: 'registering',
    event: 'connection.up',
    status: 'active',
    time: '2026-01-01T00:00:00.001Z',
  });
  const live = await first.until(
    () => (first.events('CS-1').length === 2 ? first.events('CS-1') : undefined),
    'two events',
  );
  assert.deepEqual(
    live.map((e) => [e.seq, e.type]),
    [
      [1, 'frame'],
      [2, 'state'],
    ],
  );

  const later = await openPage(visualizer.url);
  t.after(() => later.socket.close());
  const history = await later.until(
    () => (later.events('CS-1').length === 2 ? later.events('CS-1') : undefined),
    'the history',
  );
  assert.deepEqual(history, live);

  detach();
  await first.until(
    () => first.messages.find((m) => m.type === 'stations' && m.stations.length === 0),
    'CS-1 gone',
  );
  hub.emit({ type: 'frame', direction: 'in', frame: [3, 'a', {}], time: '2026-01-01T00:00:01.000Z' });
  assert.equal(first.events('CS-1').length, 2, 'a detached station sends nothing');
});

test('the history is bounded and keeps the latest state of every running actor', () => {
  const history = new StationHistory(4);
  const time = '2026-01-01T00:00:00.000Z';
  history.add({
    type: 'state',
    actor: 'boot',
    machine: 'boot',
    value: 'registering',
    event: 'x',
    status: 'active',
    time,
  });
  history.add({
    type: 'state',
    actor: 'transaction:t',
    machine: 'transaction',
    value: 'ended',
    event: 'x',
    status: 'done',
    time,
  });
  for (let i = 0; i < 4; i += 1)
    history.add({ type: 'frame', direction: 'out', frame: [2, `${i}`, 'Heartbeat', {}], time });
  const kept = history.all();
  assert.ok(kept.length <= 5);
  assert.deepEqual(kept[0], {
    type: 'state',
    actor: 'boot',
    machine: 'boot',
    value: 'registering',
    event: 'x',
    status: 'active',
    time,
    seq: 1,
  });
  assert.ok(
    !kept.some((e) => e.type === 'state' && e.actor === 'transaction:t'),
    'a finished actor is not kept',
  );
  assert.equal(kept.at(-1)?.seq, 6);
  assert.throws(() => new StationHistory(1), /maxEventsPerStation must be an integer >= 2/);
});

test("a ChargePoint reports its frames and its actors' states through the source adapter", async (t) => {
  const csms = await startTestCsms();
  t.after(() => csms.close());
  const visualizer = await startVisualizer();
  t.after(() => visualizer.close());
  const page = await openPage(visualizer.url);
  t.after(() => page.socket.close());
  const source = createChargePointSource();
  visualizer.attach('CS-VIS', source);
  const station = new ChargePoint({
    stationId: 'CS-VIS',
    evses: [{ id: 1, connectors: [{ id: 1 }] }],
    database: ':memory:',
    csmsUrl: csms.url,
  });
  // The public event stream: its frames make the timeline, its state events the charts.
  station.subscribe(source.stationEvent);
  await station.start();
  t.after(() => station.stop());
  const latest = (actor: string) =>
    page
      .events('CS-VIS')
      .filter((e) => e.type === 'state' && e.actor === actor)
      .at(-1);
  await page.until(
    () =>
      latest('boot')?.type === 'state' &&
      JSON.stringify((latest('boot') as { value: unknown }).value) === '{"accepted":"idle"}'
        ? true
        : undefined,
    'boot accepted',
  );
  station.onSessionStarted(1, 1);
  const connector = await page.until(() => {
    const e = latest('connector:1:1');
    return e?.type === 'state' && (e.value as { status?: string }).status === 'Occupied' ? e : undefined;
  }, 'connector:1:1 Occupied');
  assert.equal(connector.type === 'state' && connector.event, 'hw.plugged');
  const events = page.events('CS-VIS');
  const actors = new Set(events.flatMap((e) => (e.type === 'state' ? [`${e.actor} ${e.machine}`] : [])));
  for (const expected of [
    'station station',
    'connection connection',
    'boot boot',
    'evse:1 evse',
    'connector:1:1 connector',
  ])
    assert.ok(actors.has(expected), `${expected} in ${[...actors].join(', ')}`);
  assert.ok(
    [...actors].some((a) => /^transaction:\S+ transaction$/.test(a)),
    'a transaction actor (the session)',
  );
  const boot = events.find(
    (e) => e.type === 'frame' && Array.isArray(e.frame) && e.frame[2] === 'BootNotification',
  );
  assert.ok(boot?.type === 'frame' && boot.direction === 'out');
  assert.deepEqual(
    events.map((e) => e.seq),
    events.map((_, i) => i + 1),
    'numbered in order, none lost',
  );
  // Only value changes are reported: no two consecutive events of an actor carry the same value.
  const seen = new Map<string, string>();
  for (const e of events) {
    if (e.type !== 'state') continue;
    const key = `${JSON.stringify(e.value)} ${e.status}`;
    assert.notEqual(seen.get(e.actor), key, `${e.actor} repeated ${key}`);
    seen.set(e.actor, key);
  }
});
