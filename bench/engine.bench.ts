// `npm run bench -- engine`: the check engine without a cluster. A synthetic catalogue of 60
// rules (every operator, nested all/any, when, [*] paths and a predicate) is loaded through the
// real loader and judged over 5,000 synthetic pod-like objects, 5 times; prints load time, the
// median evaluation time, the offences found and the process's peak RSS. Measures, asserts nothing.
import { evaluateEntry } from '../src/checks/engine.js';
import { parseCatalogue } from '../src/checks/loader.js';
import type { Fact, Predicates } from '../src/checks/types.js';
import { median, runBench } from './stats.js';

const RULES = 60;
const OBJECTS = 5_000;
const RUNS = Number(process.env.KUBE_ASSAY_BENCH_RUNS ?? 5);

/** Twelve rule shapes, cycled to make RULES entries (YAML flow text, as authors write it). */
const SHAPES = [
  '{ path: spec.hostNetwork, op: noteq, value: true }',
  '{ path: \'metadata.labels["app.kubernetes.io/name"]\', op: set }',
  '{ path: "spec.containers[*].resources.limits.cpu", op: set }',
  '{ path: "spec.containers[*].image", op: regex, value: "^registry\\\\.example\\\\.com/" }',
  '{ path: spec.serviceAccountName, op: notin, value: [default, admin] }',
  '{ path: spec.priority, op: gte, value: 10 }',
  '{ path: spec.priority, op: lte, value: 1000 }',
  '{ path: "spec.containers[*].securityContext.capabilities.drop", op: has, value: ALL }',
  '{ path: metadata.annotations, op: nothave, value: "kube-assay.io/legacy" }',
  '{ path: status.phase, op: in, value: [Running, Succeeded], ignoreCase: true }',
  '{ when: { path: metadata.namespace, op: noteq, value: kube-system }, any: [ { path: spec.securityContext.runAsNonRoot, op: eq, value: true }, { all: [ { path: spec.securityContext.runAsUser, op: set }, { path: spec.securityContext.runAsUser, op: gte, value: 1000 } ] } ] }',
  '{ predicate: few-containers }',
];

function catalogueText(): string {
  const lines = ['suite: bench', 'checks:'];
  for (let i = 0; i < RULES; i++) {
    lines.push(
      `  - id: bench/rule-${i}`,
      `    title: Synthetic rule ${i}`,
      `    severity: ${i % 4 === 0 ? 'warn' : 'fail'}`,
      '    rationale: synthetic',
      '    remediation: none',
      '    source: pods',
      '    violation: break it',
      `    rule: ${SHAPES[i % SHAPES.length] ?? ''}`,
    );
  }
  return lines.join('\n');
}

function pod(i: number): Fact {
  const containers = Array.from({ length: 1 + (i % 3) }, (_, c) => ({
    name: `c${c}`,
    image: i % 7 === 0 ? `docker.io/app:${c}` : `registry.example.com/app:${c}`,
    resources: i % 5 === 0 ? {} : { limits: { cpu: '500m', memory: '256Mi' } },
    securityContext: { capabilities: { drop: i % 11 === 0 ? [] : ['ALL'] } },
  }));
  const data = {
    metadata: { name: `pod-${i}`, namespace: `ns-${i % 40}`, labels: i % 9 === 0 ? {} : { 'app.kubernetes.io/name': 'app' }, annotations: {} },
    spec: { hostNetwork: i % 97 === 0, serviceAccountName: i % 13 === 0 ? 'default' : 'app', priority: i % 2000, securityContext: i % 3 === 0 ? { runAsNonRoot: true } : { runAsUser: i % 2000 }, containers },
    status: { phase: i % 17 === 0 ? 'Pending' : 'Running' },
  };
  return { kind: 'Pod', name: data.metadata.name, namespace: data.metadata.namespace, data };
}

const predicates: Predicates = {
  'few-containers': {
    scope: 'object',
    check: (fact) => {
      const count = ((fact.data as { spec?: { containers?: unknown[] } }).spec?.containers ?? []).length;
      return count > 2 ? [{ field: 'spec.containers', seen: String(count), expected: 'at most 2', because: 'more than 2 containers' }] : [];
    },
  },
};

async function main(): Promise<number> {
  const loadStarted = process.hrtime.bigint();
  const catalogue = parseCatalogue(catalogueText(), 'synthetic.yaml', { predicates });
  const loadMs = Number(process.hrtime.bigint() - loadStarted) / 1e6;
  const facts = Array.from({ length: OBJECTS }, (_, i) => pod(i));
  const times: number[] = [];
  let offences = 0;
  for (let run = 1; run <= RUNS; run++) {
    const started = process.hrtime.bigint();
    offences = catalogue.entries.reduce((sum, entry) => sum + evaluateEntry(entry, facts, predicates).offences.length, 0);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    times.push(ms);
    console.log(`run ${run}/${RUNS}: ${ms.toFixed(0)} ms, ${offences} offences`);
  }
  const evaluations = RULES * OBJECTS;
  console.log('');
  console.log(`check engine: ${RULES} rules x ${OBJECTS} objects (${evaluations} rule evaluations) x${RUNS}`);
  console.log(`  catalogue load   : ${loadMs.toFixed(0)} ms (parse, schema, compile)`);
  console.log(`  median evaluation: ${median(times).toFixed(0)} ms (${((median(times) * 1000) / evaluations).toFixed(2)} us per rule and object)`);
  console.log(`  offences found   : ${offences}`);
  console.log(`  peak RSS         : ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  return 0;
}

runBench(main);
