/**
 * Generates `src/generated/validators.ts`: ajv *standalone* validation code for the 128 OCPP 2.0.1
 * message schemas, so that the station validates every message without compiling a schema at startup.
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

/**
 * Returns the text of `src/generated/validators.ts` for the message schemas in `schemaDir`.
 *
 * @example
 * await writeFile('src/generated/validators.ts', await generateValidators('schemas'));
 */
export async function generateValidators(schemaDir: string): Promise<string> {
  const schemas = await loadMessageSchemas(schemaDir);
  const definitions = mergeDefinitions(schemas);
  const ajv = createGeneratorAjv();
  for (const [name, definition] of Object.entries(definitions)) {
    const schema = retargetRefs(stripAnnotations(definition) as Record<string, unknown>);
    ajv.addSchema({ $schema: DRAFT_06, $id: `${DEFINITION_ID_PREFIX}${name}`, ...schema });
  }
  const exportIds: Record<string, string> = {};
  for (const [name, schema] of schemas) {
    const { definitions: _definitions, ...message } = stripAnnotations(schema) as Schema;
    if (typeof message.$id !== 'string' || message.$schema !== DRAFT_06) {
      throw new Error(`schemas/${name}.json: expected a draft-06 schema with an $id`);
    }
    ajv.addSchema(retargetRefs(message));
    exportIds[name] = message.$id;
  }

  const standalone = standaloneCode(ajv, exportIds);
  // ES modules are strict anyway, and a directive after the imports would be a bare expression.
  const { imports, body } = toEsmImports(standalone.replace(/^"use strict";\n?/, ''));
  // ajv exports one untyped `const <SchemaName> = validateN` per schema; the module exports typed maps instead.
  const validatorOf = new Map<string, string>();
  const code = body.replace(
    /^export const (\w+) = (validate\d+);\n/gm,
    (_match, name: string, fn: string) => {
      validatorOf.set(name, fn);
      return '';
    },
  );
  const actions = [...new Set([...schemas.keys()].map((n) => n.replace(/(Request|Response)$/, '')))].sort();
  const mapOf = (suffix: 'Request' | 'Response'): string[] =>
    actions.map((action) => {
      const fn = validatorOf.get(`${action}${suffix}`);
      if (fn === undefined) throw new Error(`schemas/${action}${suffix}.json is missing`);
      return `  ${action}: ${fn},`;
    });

  return [
    '// @ts-nocheck',
    '/* eslint-disable */',
    '// Generated by `npm run generate` (scripts/generate-validators.ts) from schemas/*.json (OCPP 2.0.1):',
    '// ajv standalone code, draft-06, formats from ajv-formats. Do not edit.',
    "import type { ErrorObject } from 'ajv';",
    "import type { OcppAction } from './ocpp-types.js';",
    ...imports,
    '',
    '/** A precompiled validator: returns whether `data` is valid; after `false`, `errors` holds the first error. */',
    'export interface CompiledValidator {',
    '  (data: unknown): boolean;',
    '  errors?: ErrorObject[] | null;',
    '}',
    '',
    code.trim(),
    '',
    '/** Validator of the request payload of each action. */',
    'export const requestValidators: Readonly<Record<OcppAction, CompiledValidator>> = {',
    ...mapOf('Request'),
    '};',
    '',
    '/** Validator of the response payload of each action. */',
    'export const responseValidators: Readonly<Record<OcppAction, CompiledValidator>> = {',
    ...mapOf('Response'),
    '};',
    '',
  ].join('\n');
}
