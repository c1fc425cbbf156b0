/**
 * The package as a new user gets it: built into a temporary directory, packed with `npm pack`,
 * installed into an empty project (package-lock from the repository's, `npm ci --prefer-offline`:
 * from the npm cache that the repository's `npm ci` filled), type-checked there by strict tsc without
 * skipLibCheck, and the README's library example run against the package's own test CSMS
 * (`ocpp-station/testing`). Every `exports` subpath is imported, and every `files` entry must exist.
 *
 * better-sqlite3 is installed with `--ignore-scripts` and gets the native binary the repository's
 * install built (same version, from the same lock): its install script would try a prebuilt download
 * (no internet) and then compile from source (about a minute), on every run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access, copyFile, cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeConsumerProject } from './consumer-project.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CONSUMER_FIXTURE = path.join(REPO, 'test/package/consumer');
const requireFromRepo = createRequire(path.join(REPO, 'package.json'));
const TSC = requireFromRepo.resolve('typescript/bin/tsc');

/** Runs a command to completion; rejects with its output when it fails. Upper bound only: 5 min. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  return new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd, env, timeout: 300_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error)
          reject(
            new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`, {
              cause: error,
            }),
          );
        else resolve({ stdout, stderr });
      },
    );
  });
}

/** How long each step took, for the test's diagnostics. */
async function timed<T>(steps: string[], name: string, body: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await body();
  steps.push(`${name} ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

test(
  'packed and installed into an empty project: strict types compile and the README example runs',
  { timeout: 600_000 },
  async (t) => {
    const work = await mkdtemp(path.join(tmpdir(), 'ocpp-pack-'));
    t.after(() => rm(work, { recursive: true, force: true }));
    const stage = path.join(work, 'package');
    const consumer = path.join(work, 'consumer');
    await mkdir(stage);
    await mkdir(consumer);
    const steps: string[] = [];
    const pkg = JSON.parse(await readFile(path.join(REPO, 'package.json'), 'utf8')) as {
      name: string;
      files: string[];
    };

    // Build (tsconfig.build.json) into the staging copy, next to what `files` ships from the repository.
    await timed(steps, 'build', () =>
      run(
        process.execPath,
        [TSC, '-p', path.join(REPO, 'tsconfig.build.json'), '--outDir', path.join(stage, 'dist')],
        REPO,
      ),
    );
    await cp(path.join(REPO, 'package.json'), path.join(stage, 'package.json'));
    await cp(path.join(REPO, 'README.md'), path.join(stage, 'README.md'));
    for (const entry of pkg.files) {
      if (entry === 'dist') continue;
      await access(path.join(REPO, entry)).catch(() =>
        assert.fail(`package.json "files" lists '${entry}', which does not exist`),
      );
      await cp(path.join(REPO, entry), path.join(stage, entry), { recursive: true });
    }
    const { stdout: packed } = await timed(steps, 'npm pack', () =>
      run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], stage),
    );
    const [{ filename }] = JSON.parse(packed) as [{ filename: string }];
    const tarball = path.join(work, filename);

    // Install into an empty project, from the npm cache, without install scripts.
    const { specifiers } = await writeConsumerProject({ dir: consumer, repoRoot: REPO, tarball });
    await cp(CONSUMER_FIXTURE, consumer, { recursive: true });
    await timed(steps, 'npm ci', () =>
      run('npm', ['ci', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], consumer),
    );
    const installed = path.join(consumer, 'node_modules/better-sqlite3');
    const builtHere = path.dirname(requireFromRepo.resolve('better-sqlite3/package.json'));
    const version = async (dir: string) =>
      (JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
    assert.equal(await version(installed), await version(builtHere), 'better-sqlite3 versions differ');
    await mkdir(path.join(installed, 'build/Release'), { recursive: true });
    await copyFile(
      path.join(builtHere, 'build/Release/better_sqlite3.node'),
      path.join(installed, 'build/Release/better_sqlite3.node'),
    );

    // Strict tsc of the consumer (example, driver, every subpath) with the repository's TypeScript.
    await timed(steps, 'consumer tsc', () => run(process.execPath, [TSC, '-p', 'tsconfig.json'], consumer));

    const { stdout } = await timed(steps, 'example run', () =>
      run(process.execPath, [path.join(consumer, 'out/driver.js')], consumer),
    );
    t.diagnostic(steps.join(', '));
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as {
      exitCode: number | null;
      signal: string | null;
      stdout: string;
      stderr: string;
      calls: string[];
      validationFailures: unknown[];
      subpaths: Record<string, string[]>;
      visualizer: Record<string, string>;
    };
    assert.equal(
      result.exitCode,
      0,
      `the example failed (${result.signal ?? 'no signal'}):\n${result.stdout}\n${result.stderr}`,
    );
    assert.match(result.stdout, /token: started/);
    for (const action of [
      'BootNotification',
      'StatusNotification',
      'Authorize',
      'TransactionEvent:Started',
      'TransactionEvent:Ended',
    ]) {
      assert.ok(result.calls.includes(action), `the CSMS got no ${action}: ${result.calls.join(' ')}`);
    }
    assert.deepEqual(result.validationFailures, []);
    assert.deepEqual(Object.keys(result.subpaths), specifiers);
    assert.ok(result.subpaths[pkg.name]?.includes('ChargePoint'));
    assert.ok(result.subpaths[`${pkg.name}/testing`]?.includes('startTestCsms'));
    assert.ok(result.subpaths[`${pkg.name}/visualizer`]?.includes('startVisualizer'));
    assert.ok(result.subpaths[`${pkg.name}/visualizer`]?.includes('createChargePointSource'));
    // The page ships in the package (`files`: visualizer) and the built module serves it from there.
    for (const file of ['index.html', 'app.js', 'model.js', 'chart.js', 'timeline.js', 'style.css'])
      await access(path.join(consumer, 'node_modules', pkg.name, 'visualizer', file)).catch(() =>
        assert.fail(`the installed package has no visualizer/${file}`),
      );
    assert.deepEqual(result.visualizer, {
      'index.html': '200 text/html; charset=utf-8 body',
      'app.js': '200 text/javascript; charset=utf-8 body',
      'model.js': '200 text/javascript; charset=utf-8 body',
      'chart.js': '200 text/javascript; charset=utf-8 body',
      'timeline.js': '200 text/javascript; charset=utf-8 body',
      'style.css': '200 text/css; charset=utf-8 body',
    });
    for (const [specifier, names] of Object.entries(result.subpaths)) {
      assert.ok(names.length > 0, `${specifier} exports nothing`);
    }
  },
);
