// Validates a parsed YAML/JSON document against one of the JSON Schemas shipped in schemas/
// (compiled once per file, ajv strict) and phrases the first problem for a person. Shared by every
// file a user writes for kube-assay: the config file, the netpol expectations file and the check
// catalogues.
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { describeSchemaError } from './schema-errors.js';

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  $ref?: string;
  definitions?: Record<string, SchemaNode>;
}

const compiled = new Map<string, { validate: ValidateFunction; schema: SchemaNode }>();

function validator(cacheKey: string, load: () => SchemaNode): { validate: ValidateFunction; schema: SchemaNode } {
  let entry = compiled.get(cacheKey);
  if (entry === undefined) {
    const schema = load();
    const ajv = new Ajv({ strict: true, allErrors: true, verbose: true });
    entry = { validate: ajv.compile(schema), schema };
    compiled.set(cacheKey, entry);
  }
  return entry;
}

/** Keys the schema allows at an instance path such as `/images`, following local `$ref`s. */
function allowedKeysAt(schema: SchemaNode, instancePath: string): string[] {
  const deref = (node: SchemaNode | undefined): SchemaNode | undefined => {
    const ref = node?.$ref;
    if (ref === undefined || !ref.startsWith('#/definitions/')) return node;
    return schema.definitions?.[ref.slice('#/definitions/'.length)];
  };
  let node: SchemaNode | undefined = schema;
  for (const segment of instancePath.split('/').slice(1)) {
    node = deref(node);
    if (node === undefined) break;
    node = /^\d+$/.test(segment) ? node.items : node.properties?.[segment];
  }
  return Object.keys(deref(node)?.properties ?? {});
}

/** The first problem of a document, with where it is: `instancePath` (JSON pointer, e.g.
 *  `/checks/0/rule`) and, for an unknown key, the key, so a caller can point at its line. */
export interface SchemaProblem {
  instancePath: string;
  unknownKey?: string;
  /** "<json path> <what is wrong and what is allowed> (and N more problems)". */
  text: string;
}

/** Undefined when `document` matches the schema file; otherwise its first problem and where it is. */
export function schemaProblemAt(schemaPath: string, document: unknown): SchemaProblem | undefined {
  return problemOf(validator(schemaPath, () => JSON.parse(readFileSync(schemaPath, 'utf8')) as SchemaNode), document);
}

/** Undefined when `document` matches the schema file; otherwise its first problem, phrased as
 *  "<json path> <what is wrong and what is allowed> (and N more problems)". */
export function schemaProblem(schemaPath: string, document: unknown): string | undefined {
  return schemaProblemAt(schemaPath, document)?.text;
}

/** The same for a schema built at run time (e.g. the config schema with the suites' sections);
 *  `cacheKey` identifies it so it is compiled once. */
export function schemaProblemFor(schema: object, cacheKey: string, document: unknown): string | undefined {
  return problemOf(validator(cacheKey, () => schema as SchemaNode), document)?.text;
}

function problemOf({ validate, schema }: { validate: ValidateFunction; schema: SchemaNode }, document: unknown): SchemaProblem | undefined {
  if (validate(document)) return undefined;
  const errors = validate.errors ?? [];
  // A misspelt key also makes a required key "missing": name the misspelling, it is the cause.
  const first = errors.find((e) => e.keyword === 'additionalProperties') ?? errors[0];
  if (first === undefined) return { instancePath: '', text: 'it does not match the schema' };
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
  const unknownKey = first.keyword === 'additionalProperties' ? String((first.params as Record<string, unknown>).additionalProperty) : undefined;
  return { instancePath: first.instancePath, unknownKey, text: `${describeSchemaError(first, (path) => allowedKeysAt(schema, path))}${more}` };
}
