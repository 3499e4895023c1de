// A representative RunReport used by the golden-file tests, the schema tests, the browser test
// and the README screenshot. It has every status (a waived and a flaky check too), truth and
// offender tables and text attachments, and text that
// real clusters produce and that needs escaping in XML and HTML: `<none>`, quotes, `&&`, an HTML
// payload in a request log, a `]]>` sequence, ANSI colour codes.

import { REPORT_SCHEMA_VERSION, summarize, type CheckResult, type RunReport, type SuiteResult } from '../../src/report/model.js';

function check(fields: Partial<CheckResult> & Pick<CheckResult, 'id' | 'title' | 'status'>): CheckResult {
  return { durationMs: 0, tags: [], attachments: [], ...fields };
}

const conformance: SuiteResult = {
  name: 'conformance',
  title: 'Conformance smoke',
  durationMs: 34_120,
  checks: [
    check({ id: 'conformance/api-version', title: 'API server answers and reports its version', status: 'passed', durationMs: 42, tags: ['smoke'] }),
    check({
      id: 'conformance/nodes-ready',
      title: 'All nodes are Ready',
      status: 'passed',
      durationMs: 118,
      tags: ['smoke'],
      details: '3 of 3 nodes Ready: kind-control-plane, kind-worker, kind-worker2',
    }),
    check({
      id: 'conformance/pod-exec-logs',
      title: 'A pod schedules, runs, and exec and logs work',
      status: 'passed',
      durationMs: 3_412,
      tags: ['smoke', 'kubelet'],
    }),
    check({
      id: 'conformance/dns-service',
      title: 'Cluster DNS resolves a Service name',
      status: 'failed',
      durationMs: 30_117,
      tags: ['dns'],
      message: 'nslookup echo.ka-dns-7f3c.svc.cluster.local timed out after 30s (expected 10.96.14.2)',
      details:
        'Expected: echo.ka-dns-7f3c.svc.cluster.local -> 10.96.14.2\n' +
        'Observed: ";; connection timed out; no servers could be reached"\n' +
        'Resolver: 10.96.0.10 (kube-dns) from pod ka-dns-7f3c/dns-probe',
      remediation:
        'Check that CoreDNS is running and has endpoints: ' +
        'kubectl -n kube-system get pods -l k8s-app=kube-dns && kubectl -n kube-system get endpoints kube-dns',
      attachments: [
        {
          kind: 'text',
          title: 'Events in ka-dns-7f3c',
          body:
            'LAST SEEN   TYPE      REASON      OBJECT          MESSAGE\n' +
            '31s         Normal    Scheduled   pod/dns-probe   Successfully assigned ka-dns-7f3c/dns-probe to kind-worker\n' +
            '29s         Normal    Started     pod/dns-probe   Started container probe <none>\n',
        },
        {
          kind: 'text',
          title: 'Logs of ka-dns-7f3c/echo',
          body:
            '\u001b[32mINFO\u001b[0m listening on :8080\n' +
            'GET /?q=<script>alert("x")</script>&lang=en 200 "curl/8.5.0"\n' +
            'payload with ]]> inside, twice ]]> \n',
        },
        { kind: 'text', title: 'Reproduce', body: 'kubectl -n ka-dns-7f3c exec dns-probe -- nslookup echo.ka-dns-7f3c.svc.cluster.local' },
      ],
    }),
    check({
      id: 'conformance/emptydir-restart',
      title: 'emptyDir survives a container restart',
      status: 'skipped',
      durationMs: 0,
      tags: ['storage'],
      message: 'needs 2 schedulable nodes, found 1 (node taint "dedicated=infra:NoSchedule")',
    }),
    check({
      id: 'conformance/node-kubelet-config',
      title: 'Every kubelet serves with the expected settings',
      status: 'failed',
      durationMs: 640,
      tags: ['kubelet'],
      message: '2 of 3 nodes differ from the expected kubelet configuration',
      remediation: 'Set the listed fields in the kubelet configuration of those nodes and restart the kubelet.',
      attachments: [
        {
          kind: 'table',
          title: 'Offending nodes',
          columns: ['node', 'field', 'seen', 'expected'],
          rows: [
            ['kind-worker', 'readOnlyPort', '10255', '0'],
            ['kind-worker2', 'authentication.anonymous.enabled', 'true', 'false'],
          ],
        },
      ],
    }),
    check({
      id: 'conformance/service-endpoints',
      title: 'A ClusterIP Service routes to all its endpoints',
      status: 'waived',
      durationMs: 3_050,
      tags: ['network'],
      message: 'Service ka-svc-1a2b/echo answered from 2 of its 3 endpoints',
      remediation: 'Check kube-proxy on every node.',
      waiver: {
        check: 'conformance/service-endpoints',
        reason: 'kube-proxy on the old node pool drops one backend; pool replaced in the upgrade',
        owner: 'platform-team',
        expires: '2027-01-31',
        effect: 'waived',
      },
    }),
    check({
      id: 'conformance/job-completes',
      title: 'A Job runs to completion',
      status: 'flaky',
      durationMs: 3_200,
      tags: ['workloads'],
      attempts: 2,
      message: 'attempt 1: Job ka-job-5e6f/once did not complete within jobComplete (60s)',
    }),
  ],
};

const netpol: SuiteResult = {
  name: 'netpol',
  title: 'Network policy',
  durationMs: 22_305,
  checks: [
    check({
      id: 'netpol/default-deny-ingress',
      title: 'Default deny blocks all ingress in the namespace',
      status: 'failed',
      durationMs: 18_020,
      tags: ['netpol', 'cis-5.3.2'],
      message: '2 of 9 probes differ from the policy: traffic that should be blocked was allowed',
      details: 'Policy deny-all in ka-np-a selects every pod and allows no ingress.\nExpected 6 blocked, observed 4 blocked.',
      remediation: 'Install a CNI plugin that enforces NetworkPolicy (e.g. Calico or Cilium) & re-run.',
      attachments: [
        {
          kind: 'table',
          title: 'Connectivity: TCP/80, rows = from, columns = to',
          columns: ['from \\ to', 'a/x', 'a/y', 'b/x'],
          rows: [
            ['a/x', 'allowed', 'blocked', 'blocked'],
            ['a/y', 'allowed', 'allowed', 'blocked'],
            ['b/x', 'allowed', 'blocked', 'allowed'],
          ],
          marks: [
            [null, 'ok', 'ok', 'ok'],
            [null, 'bad', 'ok', 'ok'],
            [null, 'bad', 'ok', 'ok'],
          ],
        },
        { kind: 'text', title: 'Reproduce', body: 'kubectl -n ka-np-b exec x -- agnhost connect a-x.ka-np-a:80 --timeout=5s --protocol=tcp' },
      ],
    }),
    check({
      id: 'netpol/allow-same-namespace',
      title: 'Pods in the same namespace may talk',
      status: 'passed',
      durationMs: 3_910,
      tags: ['netpol'],
      attachments: [
        {
          kind: 'table',
          title: 'Connectivity: TCP/80',
          columns: ['from \\ to', 'a/x', 'a/y'],
          rows: [
            ['a/x', 'allowed', 'allowed'],
            ['a/y', 'allowed', 'allowed'],
          ],
        },
      ],
    }),
    check({
      id: 'netpol/egress-dns',
      title: 'Egress policies leave DNS reachable',
      status: 'warn',
      durationMs: 375,
      tags: ['netpol', 'manual'],
      message: "policy 'egress-only' allows port 53 only over UDP; TCP fallback <blocked>",
      remediation: 'Allow TCP/53 to kube-dns as well; large answers fall back to TCP.',
    }),
  ],
};

/** A fresh copy each call, so that tests may mutate it freely. */
export function sampleReport(): RunReport {
  const suites = [conformance, netpol].map((suite) => structuredClone(suite));
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    metadata: {
      tool: { name: 'kube-assay', version: '0.1.0' },
      runId: 'ka-20251121-1004-7f3c',
      startedAt: '2025-11-21T10:04:05.123Z',
      finishedAt: '2025-11-21T10:04:42.301Z',
      durationMs: 37_178,
      cluster: {
        context: 'kind-kube-assay',
        server: 'https://127.0.0.1:6443',
        version: 'v1.34.1',
        platform: 'testbed',
        nodeCount: 3,
      },
      options: { suites: ['conformance', 'netpol'], parallel: 2, timeoutScale: 1 },
    },
    summary: summarize(suites),
    suites,
  };
}
