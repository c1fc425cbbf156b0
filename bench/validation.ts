/**
 * Schema validation figures:
 * - startup: compiling the 128 official schemas with ajv at runtime (the baseline) vs importing the
 *   precompiled module src/generated/validators.ts (transpiled to plain JS first, as in dist/);
 * - throughput: validations/s of BootNotificationRequest and of a TransactionEventRequest with meter
 *   values, through validateRequest() vs an ajv validator compiled at runtime from the same schema.
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import draft06MetaSchema from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import ts from 'typescript';
import { requestValidators } from '../src/generated/validators.js';
import { validateRequest } from '../src/validation/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function loadSchemaObjects(): Promise<Array<{ name: string; schema: object }>> {
  const files = (await readdir(path.join(root, 'schemas')))
    .filter((f) => /(Request|Response)\.json$/.test(f))
    .sort();
  return Promise.all(
    files.map(async (f) => ({
      name: f.replace(/\.json$/, ''),
      schema: JSON.parse(await readFile(path.join(root, 'schemas', f), 'utf8')) as object,
    })),
  );
}

/** What a station without precompiled code does at startup: a fresh ajv compiling every schema. */
function compileAllAtRuntime(
  schemas: Array<{ name: string; schema: object }>,
): Map<string, (data: unknown) => boolean> {
  const ajv = new Ajv({ strict: false, allErrors: false });
  ajv.addMetaSchema(draft06MetaSchema);
  addFormatsModule.default(ajv, ['date-time', 'uri']);
  return new Map(schemas.map(({ name, schema }) => [name, ajv.compile(schema)]));
}

/** validators.ts as the plain ES module tsc emits, with its bare imports resolved to absolute URLs. */
async function precompiledModuleSource(): Promise<string> {
  const source = await readFile(path.join(root, 'src/generated/validators.ts'), 'utf8');
  const js = ts.transpileModule(source, {
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: false,
    },
  }).outputText;
  return js.replace(
    /from '((?:ajv|ajv-formats)\/[^']+)'/g,
    (_m, specifier: string) => `from '${import.meta.resolve(specifier)}'`,
  );
}

function opsPerSecond(fn: () => void, minMs = 400): number {
  for (let i = 0; i < 10_000; i++) fn(); // warm up the JIT
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 10_000; i++) fn();
    n += 10_000;
    elapsed = performance.now() - start;
  }
  return (n / elapsed) * 1000;
}

const boot = {
  reason: 'PowerUp',
  chargingStation: {
    model: 'SingleSocketCharger',
    vendorName: 'VendorX',
    serialNumber: 'SN-000123',
    firmwareVersion: '1.4.2',
    modem: { iccid: '89310410106543789301', imsi: '310150123456789' },
  },
};
const at = '2025-03-14T09:26:53.589Z';
const phases = ['L1', 'L2', 'L3'] as const;
const txWithMeterValues = {
  eventType: 'Updated',
  timestamp: at,
  triggerReason: 'MeterValuePeriodic',
  seqNo: 17,
  offline: false,
  transactionInfo: { transactionId: '9a8b7c6d-0000-4000-8000-123456789abc', chargingState: 'Charging' },
  evse: { id: 1, connectorId: 1 },
  meterValue: [
    {
      timestamp: at,
      sampledValue: [
        {
          value: 15234.5,
          measurand: 'Energy.Active.Import.Register',
          context: 'Sample.Periodic',
          unitOfMeasure: { unit: 'Wh' },
        },
        {
          value: 10950,
          measurand: 'Power.Active.Import',
          context: 'Sample.Periodic',
          unitOfMeasure: { unit: 'W' },
        },
        ...phases.map((phase) => ({
          value: 15.9,
          measurand: 'Current.Import',
          phase,
          context: 'Sample.Periodic',
        })),
        ...phases.map((phase) => ({
          value: 229.8,
          measurand: 'Voltage',
          phase: `${phase}-N`,
          context: 'Sample.Periodic',
        })),
        { value: 64, measurand: 'SoC', context: 'Sample.Periodic', location: 'EV' },
      ],
    },
  ],
};

const fmt = (n: number, digits = 1): string => n.toLocaleString('en-US', { maximumFractionDigits: digits });

/** Prints startup and throughput figures for schema validation. */
export async function run(): Promise<void> {
  const schemas = await loadSchemaObjects();
  const rounds = 7;

  const compileMs: number[] = [];
  let runtimeValidators = compileAllAtRuntime(schemas);
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    runtimeValidators = compileAllAtRuntime(schemas);
    compileMs.push(performance.now() - start);
  }

  const source = await precompiledModuleSource();
  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-bench-validators-'));
  const importMs: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      // A distinct file and text per round: neither the module cache nor V8's code cache helps.
      const file = path.join(dir, `validators-${i}.mjs`);
      await writeFile(file, `${source}\n// round ${i}\n`);
      const start = performance.now();
      const module = (await import(pathToFileURL(file).href)) as {
        requestValidators: Record<string, unknown>;
      };
      importMs.push(performance.now() - start);
      if (Object.keys(module.requestValidators).length !== 64)
        throw new Error('precompiled module is incomplete');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  const compile = median(compileMs);
  const load = median(importMs);
  console.log(`startup, ${schemas.length} schemas (median of ${rounds} rounds)`);
  console.log(`  ajv compile at runtime (baseline)   ${fmt(compile)} ms`);
  console.log(`  import precompiled module           ${fmt(load)} ms   (${fmt(compile / load)}x faster)`);
  const generatedBytes = (await readFile(path.join(root, 'src/generated/validators.ts'))).length;
  console.log(
    `  src/generated/validators.ts         ${fmt(generatedBytes / 1024, 0)} KiB (${fmt(Buffer.byteLength(source) / 1024, 0)} KiB as emitted JS)`,
  );

  console.log('\nthroughput, validations/s');
  for (const [action, payload] of [
    ['BootNotification', boot],
    ['TransactionEvent', txWithMeterValues],
  ] as const) {
    const reference = runtimeValidators.get(`${action}Request`);
    if (reference === undefined || !reference(payload) || validateRequest(action, payload) !== null) {
      throw new Error(`bench payload ${action}Request is not valid`);
    }
    const baseline = opsPerSecond(() => reference(payload));
    const precompiled = requestValidators[action];
    const bare = opsPerSecond(() => precompiled(payload));
    const ours = opsPerSecond(() => validateRequest(action, payload));
    console.log(`  ${action}Request`);
    console.log(`    ajv compiled at runtime (baseline)  ${fmt(baseline, 0)}/s`);
    console.log(
      `    precompiled validator alone         ${fmt(bare, 0)}/s   (${fmt(bare / baseline, 2)}x baseline)`,
    );
    console.log(
      `    validateRequest (precompiled)       ${fmt(ours, 0)}/s   (${fmt(ours / baseline, 2)}x baseline)`,
    );
  }
}
