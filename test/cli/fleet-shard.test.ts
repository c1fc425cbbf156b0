import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/cli-app.js';
import type { CliEvent } from '../../src/cli/cli-events.js';
import { parseCliOptions, type CliOptions } from '../../src/cli/cli-options.js';
import { fleetIdentity } from '../../src/cli/fleet-ids.js';
import { blockOf, parseShard, processRange, workerDbPath } from '../../src/cli/fleet-shard.js';
import { startTestCsms } from '../../src/testing/index.js';
import { waitFor } from '../../src/testing/wait-for.js';
import { parseMiniYaml } from './helpers/mini-yaml.js';
import { REPO_ROOT } from './helpers/cli-process.js';

/** How many times each station number 1..count is in the given ranges. */
function coverage(count: number, ranges: Array<{ first: number; last: number }>): number[] {
  const seen = new Array<number>(count + 1).fill(0);
  for (const { first, last } of ranges) for (let n = first; n <= last; n++) seen[n] = (seen[n] ?? 0) + 1;
  return seen.slice(1);
}

test('shards, and workers within a shard, cover the ids exactly once in contiguous blocks differing by at most one', () => {
  for (const count of [1, 2, 3, 7, 10, 97, 1000]) {
    for (let parts = 1; parts <= Math.min(count, 12); parts++) {
      const shards = Array.from({ length: parts }, (_, i) => processRange(count, { index: i, parts }));
      assert.deepEqual(coverage(count, shards), new Array<number>(count).fill(1), `${count} in ${parts}`);
      const sizes = shards.map((r) => r.last - r.first + 1);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1 && Math.min(...sizes) >= 1, `${sizes}`);
      // In index order, each block starts where the previous ended.
      shards.slice(1).forEach((r, i) => assert.equal(r.first, (shards[i] as { last: number }).last + 1));
      // Workers split a shard the same way: all blocks of all shards still cover each id once.
      const workers = shards.flatMap((r) => [0, 1, 2].map((w) => blockOf(r, w, 3)));
      assert.deepEqual(coverage(count, workers), new Array<number>(count).fill(1));
    }
  }
  assert.deepEqual(processRange(10_000, { index: 0, parts: 4 }), { first: 1, last: 2500 });
  assert.deepEqual(processRange(10_000, { index: 3, parts: 4 }), { first: 7501, last: 10_000 });
  assert.deepEqual(processRange(10, { index: 1, parts: 3 }), { first: 4, last: 6 });
});

test('--shard and --workers: values and precise option errors', () => {
  const run = (...argv: string[]): CliOptions => {
    const parsed = parseCliOptions(argv, '/tmp');
    assert.equal(parsed.kind, 'run');
    return (parsed as { options: CliOptions }).options;
  };
  assert.deepEqual(run('--count', '10', '--shard', '2/4').shard, { index: 2, parts: 4 });
  assert.deepEqual(run('--count', '10', '--shard', '0/1').shard, { index: 0, parts: 1 });
  assert.equal(run('--count', '10', '--workers', '3').workers, 3);
  assert.equal(run('--count', '10').workers, undefined);
  assert.deepEqual(parseShard(' 1 / 2 '), { index: 1, parts: 2 });

  const refused: Array<[string[], RegExp]> = [
    [['--count', '10', '--shard', '4/4'], /--shard "4\/4": the index is 0-based, from 0 to 3 for 4 shards/],
    [['--count', '10', '--shard', '0/0'], /--shard "0\/0": the shard count must be at least 1/],
    [['--count', '10', '--shard', 'a/2'], /--shard "a\/2": expected <index>\/<count> with whole numbers/],
    [['--count', '10', '--shard', '1'], /--shard "1": expected <index>\/<count>/],
    [['--count', '10', '--shard=-1/2'], /--shard "-1\/2": expected <index>\/<count>/],
    // An unexpanded Kubernetes variable (the manifest's env is missing) is named as it is.
    [['--count', '10', '--shard', '$(JOB_COMPLETION_INDEX)/4'], /--shard "\$\(JOB_COMPLETION_INDEX\)\/4": expected/],
    [['--count', '3', '--shard', '0/4'], /--shard "0\/4": 4 shards of --count 3: a shard would have no station/],
    [['--shard', '0/2'], /--shard "0\/2": needs --count/],
    [['--count', '10', '--workers', '0'], /--workers "0": expected a whole number from 1 to 256/],
    [['--count', '10', '--workers', 'two'], /--workers "two": expected a whole number/],
    [['--workers', '2'], /--workers "2": needs --count/],
    [['--count', '10', '--workers', '2', '--inspect'], /--inspect: not with --workers/],
    [['--count', '10', '--workers', '2', '--visualize'], /--visualize: not with --workers/],
  ];
  for (const [argv, message] of refused) assert.throws(() => parseCliOptions(argv, '/tmp'), message, argv.join(' '));
  assert.equal(workerDbPath('/d/fleet.db', 0, 2), '/d/fleet.w0-of-2.db');
  assert.equal(workerDbPath('/d/fleet', 1, 2), '/d/fleet.w1-of-2');
  assert.equal(workerDbPath(':memory:', 1, 2), ':memory:');
});

test('the Kubernetes Indexed Job example: every index gives a command line the CLI accepts, and the shards cover the fleet once', async () => {
  const file = path.join(REPO_ROOT, 'docs/examples/k8s-fleet-job.yaml');
  const job = parseMiniYaml(await readFile(file, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.equal(job.apiVersion, 'batch/v1');
  assert.equal(job.kind, 'Job');
  const spec = job.spec;
  assert.equal(spec.completionMode, 'Indexed');
  const n = spec.completions as number;
  assert.ok(Number.isInteger(n) && n >= 2);
  assert.equal(spec.parallelism, n, 'every shard runs at once');
  const [container, ...others] = spec.template.spec.containers as Array<{ args: string[]; command?: string[] }>;
  assert.ok(container && others.length === 0);
  assert.equal(container.command, undefined, 'the image ENTRYPOINT is the CLI (docs/examples/fleet.Dockerfile)');
  const dockerfile = await readFile(path.join(REPO_ROOT, 'docs/examples/fleet.Dockerfile'), 'utf8');
  assert.match(dockerfile, /^ENTRYPOINT \["node", "dist\/src\/cli\/main\.js"\]$/m);
  const args = container.args;
  assert.ok(args.every((a) => typeof a === 'string'));
  assert.equal(args.filter((a) => a.includes('$(JOB_COMPLETION_INDEX)')).length, 1);
  assert.equal(args[args.indexOf('--shard') + 1], `$(JOB_COMPLETION_INDEX)/${n}`);

  const ranges = [];
  for (let index = 0; index < n; index++) {
    // What Kubernetes does: $(VAR) in args is replaced with the container's variable.
    const argv = args.map((a) => a.replaceAll('$(JOB_COMPLETION_INDEX)', String(index)));
    const parsed = parseCliOptions(argv, '/');
    assert.equal(parsed.kind, 'run');
    const { options } = parsed as { options: CliOptions };
    assert.deepEqual(options.shard, { index, parts: n });
    assert.ok(options.csmsUrl?.startsWith('ws'));
    ranges.push(processRange(options.count, options.shard));
    if (index === n - 1) {
      const count = options.count;
      assert.deepEqual(coverage(count, ranges), new Array<number>(count).fill(1), 'each station in one pod');
      // The ids documented in the manifest's comment and docs/fleet.md.
      assert.equal(fleetIdentity(options.stationId, count, (ranges[0] as { last: number }).last), 'CP02500');
    }
  }
});

test('--shard 1/2 of --count 4 runs only CP00003 and CP00004; the CSMS sees no other station', async () => {
  const csms = await startTestCsms();
  try {
    const db = path.join(await mkdtemp(path.join(tmpdir(), 'ocpp-shard-')), 'fleet.db');
    const stdin = new PassThrough();
    const out: string[] = [];
    const changes = new EventTarget();
    const events = () =>
      out
        .join('')
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as CliEvent);
    const done = runCli(['--json', '--csms', csms.url, '--count', '4', '--shard', '1/2', '--db', db], {
      stdin,
      stdout: { write: (t: string) => (out.push(t), changes.dispatchEvent(new Event('change'))) },
      stderr: { write: () => true },
      cwd: tmpdir(),
    });
    const accepted = () =>
      events()
        .filter((e) => e.type === 'registration' && e.status === 'Accepted')
        .map((e) => e.stationId);
    await waitFor(changes, () => (accepted().length === 2 ? true : undefined), 'two registrations', 60_000);
    assert.deepEqual(accepted().sort(), ['CP00003', 'CP00004']);
    stdin.write('@CP00001 plug 1\n');
    const answer = await waitFor(
      changes,
      () => events().find((e) => e.type === 'command' && e.line === '@CP00001 plug 1'),
      'the answer for a station of the other shard',
      60_000,
    );
    assert.ok(answer.type === 'command' && !answer.ok);
    assert.match(answer.message, /no station "CP00001" in this fleet \(CP00003 \.\. CP00004\)/);
    stdin.write('quit\n');
    assert.equal(await done, 0);
    const summary = events().find((e) => e.type === 'fleet');
    assert.ok(summary?.type === 'fleet');
    assert.deepEqual([summary.stations, summary.started, summary.booted], [2, 2, 2]);
    const boots = csms.calls.filter((c) => c.action === 'BootNotification').map((c) => c.identity);
    assert.deepEqual(boots.sort(), ['CP00003', 'CP00004']);
  } finally {
    await csms.close();
  }
});
