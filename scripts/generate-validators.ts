/**
 * Generates `src/generated/validators/<Action>.ts` (ajv *standalone* validation code for the request
 * and response schemas of one OCPP 2.0.1 action, 64 actions, 128 schemas) and
 * `src/generated/validators.ts` (the maps of all of them, each action's module loaded on its first
 * validation), so that the station validates every message without compiling a schema at startup,
 * and a start loads only the validators of the actions it uses (issue 9, cold start).
 *
 * How the schemas are fed to ajv (docs/validation.md explains why):
 * - draft-06: the schemas declare `http://json-schema.org/draft-06/schema#`, so ajv gets that meta schema.
 * - The vendor keywords `javaType` and `comment` are declared as annotation keywords; the annotations
 *   `description`, `javaType` and `comment` are dropped before compiling (they never affect validity
 *   and would otherwise be embedded in the generated code).
 * - Every schema repeats the shared definitions (CustomDataType, IdTokenType, ...). They are merged
 *   (a structural difference between two copies stops the generator, see mergeDefinitions) and each
 *   becomes a schema of its own, `urn:ocpp201:definition:<Name>`; ajv inlines the small ones and
 *   compiles the others once, called by every message that refers to them.
 * - ajv strict mode stays on, except for two known quirks of the official schemas, which are
 *   tolerated by message text and nothing else: `additionalItems` next to a non-array `items` (a
 *   no-op in draft-06) and `additionalProperties` on string enum definitions (a no-op for strings).
 * - ajv emits CommonJS `require(...)` for its runtime helpers even in ESM mode; those become ESM imports.
 */
import { Ajv, type Options } from 'ajv';
import standaloneCodeModule from 'ajv/dist/standalone/index.js';
import addFormatsModule from 'ajv-formats';
import draft06MetaSchema from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import { loadMessageSchemas, mergeDefinitions, type Schema } from './generate-types.js';

const standaloneCode = standaloneCodeModule.default;
const addFormats = addFormatsModule.default;

/** `$id` prefix of the shared definitions once they are split out of the message schemas. */
export const DEFINITION_ID_PREFIX = 'urn:ocpp201:definition:';
const DRAFT_06 = 'http://json-schema.org/draft-06/schema#';
/** Annotation keywords: they describe, never constrain, so the compiled code does not need them. */
const ANNOTATIONS = new Set(['description', 'javaType', 'comment']);
/** Strict-mode findings that are known, harmless quirks of the official OCPP 2.0.1 schemas. */
const TOLERATED_STRICT_WARNINGS = [
  /^strict mode: "additionalItems" is ignored when "items" is not an array of schemas/,
  /^strict mode: missing type "object" for keyword "additionalProperties" at "[\w:]+EnumType#?" \(strictTypes\)$/,
];
/** The only modules the generated code may import: ajv's runtime helpers and ajv-formats' format checks. */
const ALLOWED_RUNTIME_MODULE = /^(ajv\/dist\/runtime\/[\w-]+|ajv-formats\/dist\/formats)$/;

/** Copy of a schema without annotations, walking only schema positions (a property may be called `type`). */
function stripAnnotations(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(stripAnnotations);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key)) continue;
    if (key === 'properties' || key === 'definitions') {
      out[key] = Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([name, sub]) => [name, stripAnnotations(sub)]),
      );
    } else if (key === 'items' || key === 'additionalItems' || key === 'additionalProperties') {
      out[key] = stripAnnotations(value);
    } else {
      out[key] = value; // enum values, required lists, numbers: data, not schemas
    }
  }
  return out;
}

/** Points local `#/definitions/X` references at the split-out definition schemas. */
function retargetRefs<T>(schema: T): T {
  return JSON.parse(
    JSON.stringify(schema).replace(/"\$ref":"#\/definitions\/(\w+)"/g, `"$ref":"${DEFINITION_ID_PREFIX}$1"`),
  ) as T;
}

function createGeneratorAjv(): Ajv {
  const strictFailure = (message: unknown): never => {
    throw new Error(`schemas/: ${String(message)}`);
  };
  const options: Options = {
    code: { source: true, esm: true, lines: true },
    strict: true,
    // 'log' routes these two checks through the logger below, which lets only the known quirks pass.
    strictSchema: 'log',
    strictTypes: 'log',
    allErrors: false,
    // ajv's default: definitions without references of their own are inlined into their callers; the
    // others are compiled once and shared. Not inlining at all made the file 22% smaller but TransactionEvent
    // validation ~17% slower (bench/validation.ts).
    inlineRefs: true,
    logger: {
      log: () => undefined,
      warn: (message: unknown) => {
        const tolerated = TOLERATED_STRICT_WARNINGS.some((pattern) => pattern.test(String(message)));
        if (!tolerated) strictFailure(message);
      },
      error: strictFailure,
    },
  };
  const ajv = new Ajv(options);
  ajv.addMetaSchema(draft06MetaSchema);
  ajv.addKeyword({ keyword: 'javaType', schemaType: 'string' });
  ajv.addKeyword({ keyword: 'comment', schemaType: 'string' });
  addFormats(ajv, ['date-time', 'uri']);
  return ajv;
}

/**
 * Replaces ajv's `require("m")` by a default import of the CommonJS module `m` (same value).
 *
 * @example
 * const { imports, body } = toEsmImports(standaloneCode(ajv, validate));
 */
export function toEsmImports(code: string): { imports: string[]; body: string } {
  const names = new Map<string, string>();
  const body = code.replace(/require\("([^"]+)"\)/g, (_match, specifier: string) => {
    if (!ALLOWED_RUNTIME_MODULE.test(specifier)) {
      throw new Error(`generated validator code requires an unexpected module: ${specifier}`);
    }
    let name = names.get(specifier);
    if (name === undefined) {
      name = `runtime${names.size}`;
      names.set(specifier, name);
    }
    return name;
  });
  const imports = [...names].map(([specifier, name]) => `import ${name} from '${specifier}.js';`);
  return { imports, body };
}

const HEADER = [
  '// @ts-nocheck',
  '/* eslint-disable */',
  '// Generated by `npm run generate` (scripts/generate-validators.ts) from schemas/*.json (OCPP 2.0.1):',
  '// ajv standalone code, draft-06, formats from ajv-formats. Do not edit.',
];

/**
 * Replaces ajv's `require("m")` by `helpers["m"]`: an action's module imports nothing, its
 * `create(helpers)` gets ajv's runtime helpers from validators.ts, which imports them once.
 * (Imported in the action's module, a CommonJS default import would differ between Node.js and
 * tsx, which compiles a `require`d ES module to CommonJS with other interop.)
 *
 * @example
 * const { helpers, body } = toHelperLookups(standaloneCode(ajv, ids));
 */
export function toHelperLookups(code: string): { helpers: string[]; body: string } {
  const helpers = new Set<string>();
  const body = code.replace(/require\("([^"]+)"\)/g, (_match, specifier: string) => {
    if (!ALLOWED_RUNTIME_MODULE.test(specifier)) {
      throw new Error(`generated validator code requires an unexpected module: ${specifier}`);
    }
    helpers.add(specifier);
    return `helpers[${JSON.stringify(specifier)}]`;
  });
  return { helpers: [...helpers], body };
}

/** The text of `src/generated/validators.ts`: typed maps whose entries load `./validators/<Action>.js` on first use. */
function indexModule(helpers: readonly string[]): string {
  const names = helpers.map((_specifier, i) => `runtime${i}`);
  return [
    '/* eslint-disable */',
    '// Generated by `npm run generate` (scripts/generate-validators.ts). Do not edit.',
    "import { createRequire } from 'node:module';",
    "import type { ErrorObject } from 'ajv';",
    ...helpers.map((specifier, i) => `import ${names[i]} from '${specifier}.js';`),
    "import { OCPP_ACTIONS, type OcppAction } from './ocpp-types.js';",
    '',
    '/** A precompiled validator: returns whether `data` is valid; after `false`, `errors` holds the first error. */',
    'export interface CompiledValidator {',
    '  (data: unknown): boolean;',
    '  errors?: ErrorObject[] | null;',
    '}',
    '',
    '/** What `create` of `./validators/<Action>.js` returns. */',
    'interface ActionValidators {',
    '  request: CompiledValidator;',
    '  response: CompiledValidator;',
    '}',
    '',
    '/** ajv runtime helpers by module name, for the generated code. */',
    `const helpers = { ${helpers.map((specifier, i) => `${JSON.stringify(specifier)}: ${names[i]}`).join(', ')} };`,
    '',
    '// Each action is a module of its own, loaded when the action is first validated (a boot uses a',
    '// handful of the 64): `require` of an ES module is synchronous (Node.js >= 20.19), so validation',
    '// stays synchronous. The snapshot build (scripts/build-snapshot.ts) imports them all instead.',
    'const load = createRequire(import.meta.url);',
    '',
    'function validatorMap(kind: keyof ActionValidators): Readonly<Record<OcppAction, CompiledValidator>> {',
    '  const map = {} as Record<OcppAction, CompiledValidator>;',
    '  for (const action of OCPP_ACTIONS) {',
    '    Object.defineProperty(map, action, {',
    '      enumerable: true,',
    '      configurable: true,',
    '      get() {',
    '        const module = load(`./validators/${action}.js`) as { create(h: typeof helpers): ActionValidators };',
    '        const validators = module.create(helpers);',
    '        // From now on a plain property: the hot path reads it without a call.',
    '        Object.defineProperty(requestValidators, action, { value: validators.request, enumerable: true });',
    '        Object.defineProperty(responseValidators, action, { value: validators.response, enumerable: true });',
    '        return validators[kind];',
    '      },',
    '    });',
    '  }',
    '  return map;',
    '}',
    '',
    '/** Validator of the request payload of each action. */',
    "export const requestValidators: Readonly<Record<OcppAction, CompiledValidator>> = validatorMap('request');",
    '',
    '/** Validator of the response payload of each action. */',
    "export const responseValidators: Readonly<Record<OcppAction, CompiledValidator>> = validatorMap('response');",
    '',
  ].join('\n');
}

/**
 * Returns the generated validator files for the message schemas in `schemaDir`, by path under
 * `src/generated/`: `validators.ts` and one `validators/<Action>.ts` per action.
 *
 * @example
 * const files = await generateValidators('schemas');
 * files['validators/BootNotification.ts']; // exports `request` and `response`
 */
export async function generateValidators(schemaDir: string): Promise<Record<string, string>> {
  const schemas = await loadMessageSchemas(schemaDir);
  const definitions = mergeDefinitions(schemas);
  const ajv = createGeneratorAjv();
  for (const [name, definition] of Object.entries(definitions)) {
    const schema = retargetRefs(stripAnnotations(definition) as Record<string, unknown>);
    ajv.addSchema({ $schema: DRAFT_06, $id: `${DEFINITION_ID_PREFIX}${name}`, ...schema });
  }
  const ids = new Map<string, string>();
  for (const [name, schema] of schemas) {
    const { definitions: _definitions, ...message } = stripAnnotations(schema) as Schema;
    if (typeof message.$id !== 'string' || message.$schema !== DRAFT_06) {
      throw new Error(`schemas/${name}.json: expected a draft-06 schema with an $id`);
    }
    ajv.addSchema(retargetRefs(message));
    ids.set(name, message.$id);
  }

  const actions = [...new Set([...schemas.keys()].map((n) => n.replace(/(Request|Response)$/, '')))].sort();
  const files: Record<string, string> = {};
  const allHelpers = new Set<string>();
  for (const action of actions) {
    const id = (suffix: 'Request' | 'Response'): string => {
      const found = ids.get(`${action}${suffix}`);
      if (found === undefined) throw new Error(`schemas/${action}${suffix}.json is missing`);
      return found;
    };
    // One module per action, with the definitions it refers to compiled into it.
    const standalone = standaloneCode(ajv, { request: id('Request'), response: id('Response') });
    const { helpers, body } = toHelperLookups(standalone.replace(/^"use strict";\n?/, ''));
    helpers.forEach((h) => allHelpers.add(h));
    // ajv exports `const request = validateN`; the module returns them from create() instead.
    const exported: Record<string, string> = {};
    const code = body.replace(
      /^export const (request|response) = (validate\d+);\n/gm,
      (_m, kind: string, fn: string) => {
        exported[kind] = fn;
        return '';
      },
    );
    if (exported.request === undefined || exported.response === undefined) {
      throw new Error(`${action}: ajv exported no request/response validator`);
    }
    files[`validators/${action}.ts`] = [
      ...HEADER,
      '',
      '/** The request and response validators of this action; `helpers`: ajv runtime helpers by module name. */',
      'export function create(helpers) {',
      code.trim(),
      `return { request: ${exported.request}, response: ${exported.response} };`,
      '}',
      '',
    ].join('\n');
  }
  files['validators.ts'] = indexModule([...allHelpers].sort());
  return files;
}
