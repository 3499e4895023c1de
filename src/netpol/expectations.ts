// The user's own reachability expectations: a YAML file validated against
// schemas/netpol-expectations.schema.json (ajv, strict), read into typed assertions, and the
// probe pods those assertions need (one per distinct namespace + label set). Errors are one
// sentence naming the file and the JSON path (ConfigError, exit 2).
import { readUserFile } from '../config/read-file.js';
import { join } from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { ConfigError } from '../errors.js';
import { packageRoot } from '../config/paths.js';
import { schemaProblem } from '../config/schema-check.js';
import type { Labels } from './labels.js';

export const expectationsSchemaPath = join(packageRoot, 'schemas', 'netpol-expectations.schema.json');

export interface ExpectationEndpoint {
  namespace: string;
  pod: Labels;
}

export interface UserExpectation {
  /** Position in the file, 1-based, for messages. */
  index: number;
  name: string;
  from: ExpectationEndpoint;
  to: ExpectationEndpoint;
  port: number;
  protocol: 'TCP' | 'UDP';
  expect: 'allowed' | 'blocked';
}

interface RawEndpoint {
  namespace: string;
  pod: Record<string, string>;
}

interface RawExpectation {
  name?: string;
  from: RawEndpoint;
  to: RawEndpoint;
  port: number;
  protocol?: 'TCP' | 'UDP';
  expect: 'allowed' | 'blocked';
}

function labelText(labels: Labels): string {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
}

/** `shop/app=frontend`: an endpoint in words. */
export function endpointText(endpoint: ExpectationEndpoint): string {
  return `${endpoint.namespace}/${labelText(endpoint.pod)}`;
}

/** Validates a parsed document; `source` names it in messages. */
export function parseExpectations(document: unknown, source: string): UserExpectation[] {
  const problem = schemaProblem(expectationsSchemaPath, document);
  if (problem !== undefined) {
    throw new ConfigError(`expectations file ${source}: ${problem}; fix the file to match schemas/netpol-expectations.schema.json.`);
  }
  const raw = (document as { expectations: RawExpectation[] }).expectations;
  const parsed = raw.map((e, i) => {
    const protocol = e.protocol ?? 'TCP';
    const from = { namespace: e.from.namespace, pod: { ...e.from.pod } };
    const to = { namespace: e.to.namespace, pod: { ...e.to.pod } };
    return {
      index: i + 1, from, to, port: e.port, protocol, expect: e.expect,
      name: e.name ?? `${endpointText(from)} -> ${endpointText(to)} ${e.port}/${protocol}`,
    };
  });
  // Two entries for the same traffic must agree, or no observation could satisfy both.
  const seen = new Map<string, UserExpectation>();
  for (const e of parsed) {
    const key = `${endpointKey(e.from)} -> ${endpointKey(e.to)} ${e.port}/${e.protocol}`;
    const earlier = seen.get(key);
    if (earlier !== undefined && earlier.expect !== e.expect) {
      throw new ConfigError(`expectations file ${source}: $.expectations[${e.index - 1}] expects ${e.expect} for the same traffic that $.expectations[${earlier.index - 1}] expects ${earlier.expect}; keep one of them.`);
    }
    seen.set(key, e);
  }
  return parsed;
}

/** Reads, parses and validates an expectations file. */
export function loadExpectations(path: string): UserExpectation[] {
  const text = readUserFile(path, (code) => new ConfigError(`expectations file ${path} cannot be read (${code}): check netpol.expectationsFile in the config.`));
  let document: unknown;
  try {
    document = loadYaml(text);
  } catch (err) {
    const mark = typeof err === 'object' && err !== null && 'mark' in err ? (err as { mark?: { line?: number; column?: number } }).mark : undefined;
    const where = mark?.line === undefined ? '' : ` at line ${mark.line + 1}, column ${(mark.column ?? 0) + 1}`;
    throw new ConfigError(`expectations file ${path} is not valid YAML${where}: fix the syntax there.`);
  }
  return parseExpectations(document ?? {}, path);
}

/** A probe pod to place: one per distinct namespace + label set, serving every port asked of it. */
export interface ExpectationPod {
  /** Stable key `namespace/labels`. */
  key: string;
  namespace: string;
  labels: Labels;
  /** Ports this pod must serve because some expectation targets it. */
  serves: Array<{ port: number; protocol: 'TCP' | 'UDP' }>;
}

export function endpointKey(endpoint: ExpectationEndpoint): string {
  const sorted = Object.keys(endpoint.pod).sort().map((k) => `${k}=${endpoint.pod[k] ?? ''}`).join(',');
  return `${endpoint.namespace}/${sorted}`;
}

/** The probe pods the expectations need, in first-mention order. */
export function expectationPods(expectations: readonly UserExpectation[]): ExpectationPod[] {
  const pods = new Map<string, ExpectationPod>();
  const podFor = (endpoint: ExpectationEndpoint): ExpectationPod => {
    const key = endpointKey(endpoint);
    let pod = pods.get(key);
    if (pod === undefined) {
      pod = { key, namespace: endpoint.namespace, labels: { ...endpoint.pod }, serves: [] };
      pods.set(key, pod);
    }
    return pod;
  };
  for (const e of expectations) {
    podFor(e.from);
    const target = podFor(e.to);
    if (!target.serves.some((s) => s.port === e.port && s.protocol === e.protocol)) target.serves.push({ port: e.port, protocol: e.protocol });
  }
  return [...pods.values()];
}

/** Namespaces the expectations touch, sorted. */
export function expectationNamespaces(expectations: readonly UserExpectation[]): string[] {
  return [...new Set(expectations.flatMap((e) => [e.from.namespace, e.to.namespace]))].sort();
}
