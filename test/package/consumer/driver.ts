/**
 * Runs inside the temporary consumer project of test/package/pack-install.test.ts, compiled there
 * by strict tsc against the installed package: starts the package's own test CSMS (subpath
 * `ocpp-station/testing`), runs the README's library example (`example.js`, extracted from
 * README.md) against it as a child process, and prints one JSON line with what happened.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestCsms, type ReceivedCall } from 'ocpp-station/testing';
import { startVisualizer } from 'ocpp-station/visualizer';
import { subpathExports } from './subpaths.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const project = path.dirname(here);
const exampleTimeoutMs = Number(process.env.EXAMPLE_TIMEOUT_MS ?? 120_000);

const describe = (call: ReceivedCall): string => {
  const payload = call.payload as { eventType?: unknown };
  return call.action === 'TransactionEvent' ? `TransactionEvent:${String(payload.eventType)}` : call.action;
};

/** The visualizer of the installed package serves its page: HTTP status and type of each file. */
async function visualizerPage(): Promise<Record<string, string>> {
  const visualizer = await startVisualizer();
  try {
    const files: Record<string, string> = {};
    for (const file of ['', 'app.js', 'model.js', 'chart.js', 'timeline.js', 'style.css']) {
      const response = await fetch(`${visualizer.url}${file}`);
      const body = await response.text();
      files[file || 'index.html'] = `${response.status} ${response.headers.get('content-type') ?? ''} ${body.length > 0 ? 'body' : 'empty'}`;
    }
    return files;
  } finally {
    await visualizer.close();
  }
}

const csms = await startTestCsms();
try {
  const example = spawn(process.execPath, [path.join(here, 'example.js')], {
    cwd: project,
    env: { ...process.env, CSMS_URL: csms.url },
    stdio: ['ignore', 'pipe', 'pipe'],
    // An upper bound only: a hanging example is killed and reported, the example's own events end it.
    timeout: exampleTimeoutMs,
  });
  let stdout = '';
  let stderr = '';
  example.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  example.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [exitCode, signal] = (await once(example, 'close')) as [number | null, NodeJS.Signals | null];
  const result = {
    exitCode,
    signal,
    stdout,
    stderr,
    calls: csms.calls.map(describe),
    validationFailures: csms.validationFailures,
    visualizer: await visualizerPage(),
    subpaths: Object.fromEntries(subpathExports.map(([name, module]) => [name, Object.keys(module).sort()])),
  };
  console.log(JSON.stringify(result));
} finally {
  await csms.close();
}
