import type { ServerResponse } from 'node:http';
import { ApiException, CoreV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { expect } from 'chai';
import { CheckFailure } from '../../../src/harness/errors.js';
import { WaitAbandonedError, WaitRefusedError, WaitTimeoutError } from '../../../src/errors.js';
import { Timeouts, formatDuration } from '../../../src/cluster/timeouts.js';
import { pollUntil, watchUntil, withDeadline, type WatchBackoff } from '../../../src/cluster/wait.js';
import { watchNamed } from '../../../src/cluster/watch-named.js';
import { openWatch, sendJson, startFakeApi, statusBody, type FakeApi, type FakeRequest } from './fake-api.js';
import { kubeconfigYaml } from './kubeconfig-fixture.js';

describe('waiting with a deadline', () => {
  it('GIVEN the state arrives THEN it resolves with it', async () => {
    let n = 0;
    const state = await pollUntil(async () => ++n, (s) => s >= 3, { expectation: 'n to reach 3', deadline: { name: 'test', ms: 5000 }, describe: (s) => `n=${String(s)}` });
    expect(state).to.equal(3);
  });

  it('GIVEN the deadline passes THEN the error names the timeout, the expectation and the last state seen', async () => {
    const err = await pollUntil(async () => 'Pending', (s) => s === 'Running', {
      expectation: 'pod ns/p to be Running',
      deadline: { name: 'podStart', ms: 50 },
      describe: (s) => `phase ${String(s)}`,
    }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(WaitTimeoutError);
    expect((err as WaitTimeoutError).message).to.equal('timed out after 50ms (timeout podStart) waiting for pod ns/p to be Running; last seen: phase Pending');
    expect((err as WaitTimeoutError).timeoutName).to.equal('podStart');
  });

  it('GIVEN transient probe errors until the deadline THEN it retries them and the last error is in the details', async () => {
    let calls = 0;
    const err = (await pollUntil(async () => {
      calls += 1;
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' });
    }, () => true, { expectation: 'x', deadline: { name: 't', ms: 300 }, describe: () => 'nothing' }).catch((e: unknown) => e)) as WaitTimeoutError;
    expect(err).to.be.instanceOf(WaitTimeoutError);
    expect(err.details).to.include('last error: request: connect ECONNREFUSED 127.0.0.1:6443');
    expect(calls).to.be.at.least(2);
  });

  it('GIVEN the probe gets 429 and 503 before the answer THEN it retries them and resolves', async () => {
    const answers = [new ApiException(429, 'x', '', {}), new ApiException(503, 'x', '', {})];
    let calls = 0;
    const state = await pollUntil(async () => {
      const next = answers[calls++];
      if (next !== undefined) throw next;
      return 'ready';
    }, (s) => s === 'ready', { expectation: 'x', deadline: { name: 't', ms: 5000 }, describe: () => '' });
    expect(state).to.equal('ready');
    expect(calls).to.equal(3);
  });

  it('GIVEN the probe gets 401, 403, 404, 409 or 422 THEN the wait ends after that one call, describing the API error', async () => {
    for (const code of [401, 403, 404, 409, 422]) {
      let calls = 0;
      const body = JSON.stringify({ kind: 'Status', code, message: `pods "p" said ${code}` });
      const err = await pollUntil(async () => {
        calls += 1;
        throw new ApiException(code, 'x', body, {});
      }, () => true, { expectation: 'pod ns/p to answer', deadline: { name: 't', ms: 5000 }, describe: () => 'no answer' }).catch((e: unknown) => e);
      expect(err, String(code)).to.be.instanceOf(WaitRefusedError);
      expect((err as WaitRefusedError).status).to.equal(code);
      expect((err as Error).message).to.equal(`gave up waiting for pod ns/p to answer: API request: ${code} pods "p" said ${code}`);
      expect(calls, String(code)).to.equal(1);
    }
  });

  it('GIVEN the probe wrapped a 403 with its own context THEN the wait ends with that sentence', async () => {
    const cause = new ApiException(403, 'x', JSON.stringify({ message: 'pods "c" is forbidden' }), {});
    const err = await pollUntil(async () => {
      throw new Error('exec in ns/c (container probe): 403 pods "c" is forbidden', { cause });
    }, () => true, { expectation: 'c to answer', deadline: { name: 't', ms: 5000 }, describe: () => '' }).catch((e: unknown) => e);
    expect((err as Error).message).to.equal('gave up waiting for c to answer: exec in ns/c (container probe): 403 pods "c" is forbidden');
  });

  it('GIVEN the probe throws a verdict THEN the wait passes it on unchanged after one call', async () => {
    let calls = 0;
    const verdict = new CheckFailure('the run exited early');
    const err = await pollUntil(async () => {
      calls += 1;
      throw verdict;
    }, () => true, { expectation: 'x', deadline: { name: 't', ms: 5000 }, describe: () => '' }).catch((e: unknown) => e);
    expect(err).to.equal(verdict);
    expect(calls).to.equal(1);
  });

  it('GIVEN a hopeless state THEN it fails at once with the reason', async () => {
    const started = Date.now();
    const err = await pollUntil(async () => 'ErrImageNeverPull', () => false, {
      expectation: 'pod to start',
      deadline: { name: 'podStart', ms: 10_000 },
      describe: (s) => String(s),
      fatal: (s) => (s === 'ErrImageNeverPull' ? 'image not present' : undefined),
    }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(WaitAbandonedError);
    expect(err).to.not.be.instanceOf(CheckFailure);
    expect((err as Error).message).to.equal('gave up waiting for pod to start: image not present');
    expect((err as WaitAbandonedError).details).to.equal('last state seen:\nErrImageNeverPull');
    expect(Date.now() - started).to.be.lessThan(5000);
  });

  it('GIVEN the signal aborts THEN the wait stops with its reason', async () => {
    const controller = new AbortController();
    setImmediate(() => controller.abort(new Error('interrupted by SIGINT')));
    const err = await pollUntil(async () => 1, () => false, { expectation: 'x', deadline: { name: 't', ms: 10_000 }, describe: () => '', signal: controller.signal }).catch((e: unknown) => e);
    expect((err as Error).message).to.equal('interrupted by SIGINT');
  });

  it('bounds calls that have no timeout of their own', async () => {
    const err = await withDeadline(() => new Promise(() => undefined), { name: 'apiRequest', ms: 20 }, 'GET /version').catch((e: unknown) => e);
    expect(err).to.be.instanceOf(WaitTimeoutError);
    expect((err as Error).message).to.include('timeout apiRequest');
  });
});

// watchUntil against a fake API server that serves real list and watch requests over HTTP.
const NS = 'ka-x';
const PODS = `/api/v1/namespaces/${NS}/pods`;

function pod(phase: string, resourceVersion: string): V1Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: NS, resourceVersion }, status: { phase } };
}

function podList(items: V1Pod[], resourceVersion: string): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion }, items };
}

const FORBIDDEN_WATCH = `pods is forbidden: User "tester" cannot watch resource "pods" in API group "" in the namespace "${NS}"`;
const FORBIDDEN_LIST = `pods is forbidden: User "tester" cannot list resource "pods" in API group "" in the namespace "${NS}"`;

interface PodRoutes {
  /** Answers the n-th list (0-based); default: one Pending pod at version 10+n. */
  list?: (n: number, res: ServerResponse) => void;
  /** Answers the n-th watch. */
  watch: (n: number, res: ServerResponse, req: FakeRequest) => void;
}

async function podApi(routes: PodRoutes): Promise<FakeApi & { lists: () => FakeRequest[]; watches: () => FakeRequest[] }> {
  let lists = 0;
  let watches = 0;
  const api = await startFakeApi({
    route: (req, res) => {
      if (req.url.pathname !== PODS) return false;
      if (req.url.searchParams.get('watch') === 'true') routes.watch(watches++, res, req);
      else if (routes.list !== undefined) routes.list(lists++, res);
      else sendJson(res, 200, podList([pod('Pending', String(10 + lists))], String(10 + lists++)));
      return true;
    },
  });
  const onPods = (watch: boolean): FakeRequest[] => api.log.filter((r) => r.url.pathname === PODS && (r.url.searchParams.get('watch') === 'true') === watch);
  return { ...api, lists: () => onPods(false), watches: () => onPods(true) };
}

function waitForRunning(api: FakeApi, ms: number, backoff?: Partial<WatchBackoff>): Promise<V1Pod[]> {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfigYaml(api.url));
  const core = kc.makeApiClient(CoreV1Api);
  const fieldSelector = 'metadata.name=p';
  return watchUntil<V1Pod>(
    { kc, path: PODS, fieldSelector, list: () => core.listNamespacedPod({ namespace: NS, fieldSelector }), backoff },
    (pods) => pods.some((p) => p.status?.phase === 'Running'),
    { expectation: `pod ${NS}/p to be Running`, deadline: { name: 'podStart', ms }, describe: (pods) => (pods === undefined ? 'never listed' : pods.map((p) => p.status?.phase ?? '?').join(', ')) },
  );
}

/** Milliseconds between consecutive requests. */
function gaps(requests: readonly FakeRequest[]): number[] {
  return requests.slice(1).map((r, i) => r.at - (requests[i]?.at ?? r.at));
}

describe('watchUntil against a fake API server', () => {
  let api: (FakeApi & { lists: () => FakeRequest[]; watches: () => FakeRequest[] }) | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });
  /** A fresh fake API for one case of a table-driven test (the previous one closed). */
  const reopen = async (routes: PodRoutes): Promise<FakeApi & { lists: () => FakeRequest[]; watches: () => FakeRequest[] }> => {
    await api?.close();
    api = await podApi(routes);
    return api;
  };

  it('GIVEN the watch streams the change THEN it resolves from one list and one watch that starts at the list version', async () => {
    api = await podApi({
      watch: (_n, res) => {
        const stream = openWatch(res);
        stream.send({ type: 'MODIFIED', object: pod('ContainerCreating', '11') });
        setTimeout(() => stream.send({ type: 'MODIFIED', object: pod('Running', '12') }), 20);
      },
    });
    const pods = await waitForRunning(api, 5000);
    expect(pods.map((p) => p.status?.phase)).to.deep.equal(['Running']);
    expect(api.lists()).to.have.length(1);
    expect(api.watches()).to.have.length(1);
    expect(api.watches()[0]?.url.searchParams.get('resourceVersion')).to.equal('10');
    expect(api.watches()[0]?.url.searchParams.get('fieldSelector')).to.equal('metadata.name=p');
  });

  it('GIVEN a verdict that only time passing makes (recheckMs) THEN it ends a quiet watch with the error fatal returned, not at the deadline', async () => {
    api = await podApi({ watch: (_n, res) => void openWatch(res) }); // open, and silent
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfigYaml(api.url));
    const core = kc.makeApiClient(CoreV1Api);
    const started = Date.now();
    const silence = new Error('no scheduler acted on pod p');
    const err = await watchNamed<V1Pod>(
      { kc, path: PODS, name: 'p', list: (fieldSelector) => core.listNamespacedPod({ namespace: NS, fieldSelector }) },
      (items) => items[0]?.status?.phase === 'Running',
      {
        expectation: 'pod p to run',
        deadline: { name: 'podStart', ms: 10_000 },
        describe: () => '',
        fatal: () => (Date.now() - started >= 150 ? silence : undefined),
        recheckMs: 50,
      },
    ).catch((e: unknown) => e);
    expect(err).to.equal(silence);
    expect(api.watches()).to.have.length(1);
  });

  it('GIVEN watchNamed THEN its list and its watch are both narrowed to the one name', async () => {
    api = await podApi({ watch: (_n, res) => openWatch(res).send({ type: 'MODIFIED', object: pod('Running', '11') }) });
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfigYaml(api.url));
    const core = kc.makeApiClient(CoreV1Api);
    const pods = await watchNamed<V1Pod>(
      { kc, path: PODS, name: 'p', list: (fieldSelector) => core.listNamespacedPod({ namespace: NS, fieldSelector }) },
      (items) => items[0]?.status?.phase === 'Running',
      { expectation: 'pod p to run', deadline: { name: 'podStart', ms: 5000 }, describe: () => '' },
    );
    expect(pods.map((p) => p.metadata?.name)).to.deep.equal(['p']);
    const selectors = [...api.lists(), ...api.watches()].map((r) => r.url.searchParams.get('fieldSelector'));
    expect(selectors).to.deep.equal(['metadata.name=p', 'metadata.name=p']);
  });

  it('GIVEN the watch is refused with 403 THEN it fails at once after one list and one watch, naming the missing right', async () => {
    api = await podApi({ watch: (_n, res) => sendJson(res, 403, statusBody(403, 'Forbidden', FORBIDDEN_WATCH)) });
    const started = Date.now();
    const err = await waitForRunning(api, 5000).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(WaitRefusedError);
    expect((err as WaitRefusedError).status).to.equal(403);
    expect((err as Error).message).to.equal(
      `cannot watch pods in namespace ${NS} (403 Forbidden): the identity lacks "watch pods"; grant it (a Role and RoleBinding in ${NS}, or a ClusterRole) or use another --context.`,
    );
    expect((err as WaitRefusedError).details).to.equal(`while waiting for pod ${NS}/p to be Running; last state seen:\nPending`);
    expect(api.lists()).to.have.length(1);
    expect(api.watches()).to.have.length(1);
    expect(Date.now() - started).to.be.lessThan(1000);
  });

  it('GIVEN the list is refused with 403 THEN it fails at once without a watch, quoting the server', async () => {
    api = await podApi({ list: (_n, res) => sendJson(res, 403, statusBody(403, 'Forbidden', FORBIDDEN_LIST)), watch: () => undefined });
    const err = await waitForRunning(api, 5000).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(WaitRefusedError);
    expect((err as Error).message).to.equal(
      `cannot list pods in namespace ${NS} (403 Forbidden: ${FORBIDDEN_LIST}): the identity lacks "list pods"; grant it (a Role and RoleBinding in ${NS}, or a ClusterRole) or use another --context.`,
    );
    expect(api.lists()).to.have.length(1);
    expect(api.watches()).to.have.length(0);
  });

  it('GIVEN the watch answers 401 or 404 THEN each fails at once with its own remedy', async () => {
    const remedies: Record<number, string> = {
      401: `cannot watch pods in namespace ${NS} (401 Unauthorized): the API server rejected the credentials; refresh them or pick another --context.`,
      404: `cannot watch pods in namespace ${NS} (404 Not Found): the API server does not serve ${PODS}; check that the cluster's version and add-ons provide pods.`,
    };
    for (const [code, message] of Object.entries(remedies)) {
      const fake = await reopen({ watch: (_n, res) => sendJson(res, Number(code), statusBody(Number(code), 'x', 'x')) });
      const err = await waitForRunning(fake, 5000).catch((e: unknown) => e);
      expect((err as Error).message).to.equal(message);
      expect(fake.watches()).to.have.length(1);
    }
  });

  it('GIVEN 410 Gone as an ERROR event in the stream THEN it re-lists and watches from the new list version', async () => {
    api = await podApi({
      watch: (n, res) => {
        const stream = openWatch(res);
        if (n === 0) stream.send({ type: 'ERROR', object: statusBody(410, 'Expired', 'too old resource version: 10 (500)') });
        else stream.send({ type: 'MODIFIED', object: pod('Running', '12') });
      },
    });
    const pods = await waitForRunning(api, 5000, { initialMs: 10 });
    expect(pods).to.have.length(1);
    expect(api.lists()).to.have.length(2);
    expect(api.watches().map((w) => w.url.searchParams.get('resourceVersion'))).to.deep.equal(['10', '11']);
  });

  it('GIVEN the watch answers 410 Gone or a transient 503 as its HTTP status THEN it re-lists, watches again and keeps waiting', async () => {
    for (const [code, reason] of [[410, 'Gone'], [503, 'ServiceUnavailable']] as const) {
      const fake = await reopen({
        watch: (n, res) => {
          if (n === 0) sendJson(res, code, statusBody(code, reason, 'try again'));
          else openWatch(res).send({ type: 'MODIFIED', object: pod('Running', '12') });
        },
      });
      const pods = await waitForRunning(fake, 5000, { initialMs: 10 });
      expect(pods.map((p) => p.status?.phase), String(code)).to.deep.equal(['Running']);
      expect(fake.lists(), String(code)).to.have.length(2);
      expect(fake.watches(), String(code)).to.have.length(2);
    }
  });

  it('GIVEN every watch stream closes right after an event THEN the re-lists are spaced by a doubling pause until the deadline', async () => {
    api = await podApi({
      watch: (_n, res) => {
        const stream = openWatch(res);
        stream.send({ type: 'MODIFIED', object: pod('Pending', '11') });
        stream.end();
      },
    });
    const err = await waitForRunning(api, 1300, { initialMs: 100, maxMs: 5000 }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(WaitTimeoutError);
    // Pauses of 100, 200, 400, 800 (cut by the deadline) ms: four or five lists, not hundreds.
    const lists = api.lists();
    expect(lists.length).to.be.within(4, 5);
    const spacing = gaps(lists);
    spacing.slice(0, 3).forEach((gap, i) => expect(gap, `gap ${i + 1} of ${spacing.join(', ')}`).to.be.at.least(100 * 2 ** i - 5));
  });

  it('GIVEN a watch that ran a while and ended normally THEN it re-lists promptly, without the pause of a quick failure', async () => {
    let closedAt = 0;
    api = await podApi({
      watch: (n, res) => {
        const stream = openWatch(res);
        if (n === 0) {
          setTimeout(() => {
            closedAt = Date.now();
            stream.end();
          }, 150);
        } else stream.send({ type: 'MODIFIED', object: pod('Running', '12') });
      },
    });
    await waitForRunning(api, 5000, { initialMs: 2000, healthyRunMs: 100 });
    const second = api.lists()[1];
    expect(second, 'a second list').to.not.equal(undefined);
    expect((second?.at ?? 0) - closedAt).to.be.lessThan(500);
  });
});

describe('named timeouts', () => {
  it('scale with --timeout-scale and render for messages', () => {
    const t = new Timeouts(2);
    expect(t.ms('dnsResolve')).to.equal(60_000);
    expect(t.label('dnsResolve')).to.equal('dnsResolve (1m)');
    expect(new Timeouts(0.5).ms('podStart')).to.equal(60_000);
    expect(() => new Timeouts(0)).to.throw();
    expect(formatDuration(1500)).to.equal('1.5s');
    expect(formatDuration(90_000)).to.equal('1m30s');
  });
});
