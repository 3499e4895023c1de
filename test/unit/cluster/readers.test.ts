// Pure readers of cluster state: dumps, nslookup output, exec status, rollout/job/endpoint state.
import { expect } from 'chai';
import { ApiException, type CoreV1Event, type V1Deployment, type V1EndpointSlice, type V1Job, type V1Pod } from '@kubernetes/client-node';
import { describeApiError, retryAfterSeconds } from '../../../src/cluster/api-errors.js';
import { parseNslookupAddresses, serviceFqdn } from '../../../src/cluster/dns.js';
import { describePods, eventsTable, logTargets } from '../../../src/cluster/dump-format.js';
import { exitCodeFromStatus, kubectlExec } from '../../../src/cluster/exec.js';
import { nodeReadiness } from '../../../src/cluster/nodes.js';
import { hopelessReason, isPodRunningAndReady } from '../../../src/cluster/pods.js';
import { groupByVersion } from '../../../src/cluster/rollout.js';
import { readyEndpoints } from '../../../src/cluster/services.js';
import { jobState, rolloutState } from '../../../src/cluster/workloads.js';

describe('nslookup output', () => {
  it('reads the answers of busybox nslookup, not the resolver address', () => {
    const out = 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n\nName:\tweb.ns.svc.cluster.local\nAddress: 10.96.120.5\n\n';
    expect(parseNslookupAddresses(out)).to.deep.equal(['10.96.120.5']);
  });

  it('reads the answers of bind nslookup', () => {
    const out = 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tweb.ns.svc.cluster.local\nAddress: 10.96.120.5\nName:\tweb.ns.svc.cluster.local\nAddress: fd00::5\n';
    expect(parseNslookupAddresses(out)).to.deep.equal(['10.96.120.5', 'fd00::5']);
  });

  it('finds nothing in a failure', () => {
    expect(parseNslookupAddresses(';; connection timed out; no servers could be reached\n')).to.deep.equal([]);
    expect(parseNslookupAddresses("Server:\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find x: NXDOMAIN\n")).to.deep.equal([]);
  });

  it('builds absolute Service names', () => {
    expect(serviceFqdn('web', 'ns', 'cluster.local')).to.equal('web.ns.svc.cluster.local.');
  });
});

describe('failure dumps', () => {
  it('tabulates events oldest first', () => {
    const events: CoreV1Event[] = [
      { metadata: {}, involvedObject: { kind: 'Pod', name: 'b' }, reason: 'Started', type: 'Normal', message: 'started', lastTimestamp: new Date('2025-01-01T00:00:02Z') },
      { metadata: {}, involvedObject: { kind: 'Pod', name: 'a' }, reason: 'Failed', type: 'Warning', message: ' pull failed ', count: 3, lastTimestamp: new Date('2025-01-01T00:00:01Z') },
    ];
    const table = eventsTable('ns', events);
    expect(table.columns).to.deep.equal(['last seen', 'type', 'reason', 'object', 'count', 'message']);
    expect(table.rows[0]).to.deep.equal(['2025-01-01T00:00:01Z', 'Warning', 'Failed', 'Pod/a', '3', 'pull failed']);
  });

  const waiting: V1Pod = {
    metadata: { name: 'p' },
    spec: { nodeName: 'n1', containers: [] },
    status: {
      phase: 'Pending',
      conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
      containerStatuses: [{ name: 'probe', image: 'img', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ErrImageNeverPull', message: 'image not present' } } }],
    },
  };

  it('describes pods with conditions and container states', () => {
    const text = describePods([waiting]);
    expect(text).to.include('pod p: phase Pending, node n1');
    expect(text).to.include('condition Ready=False ContainersNotReady');
    expect(text).to.include('container probe: waiting: ErrImageNeverPull (image not present)');
  });

  it('asks for logs of started containers, and of the previous instance after a restart', () => {
    const restarted: V1Pod = {
      metadata: { name: 'r' },
      status: { containerStatuses: [{ name: 'probe', image: 'i', imageID: '', ready: true, restartCount: 2, state: { running: {} } }] },
    };
    expect(logTargets([waiting, restarted])).to.deep.equal([
      { pod: 'r', container: 'probe', previous: false },
      { pod: 'r', container: 'probe', previous: true },
    ]);
  });

  it('knows which waiting reasons never resolve', () => {
    expect(hopelessReason(waiting)).to.equal('container probe is ErrImageNeverPull: image not present');
    expect(isPodRunningAndReady(waiting)).to.equal(false);
  });
});

describe('exec status', () => {
  it('maps Success to 0 and NonZeroExitCode to its code', () => {
    expect(exitCodeFromStatus({ status: 'Success' })).to.equal(0);
    expect(exitCodeFromStatus({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } })).to.equal(3);
  });

  it('throws when the command could not run at all', () => {
    expect(() => exitCodeFromStatus({ status: 'Failure', message: 'executable file not found' })).to.throw(/executable file not found/);
  });

  it('builds a kubectl command a person can paste', () => {
    expect(kubectlExec({ namespace: 'ns', pod: 'p', container: 'c' }, ['sh', '-c', "echo 'hi' there"])).to.equal(`kubectl exec -n ns p -c c -- sh -c 'echo '\\''hi'\\'' there'`);
  });
});

describe('workload state', () => {
  const deployment = (status: V1Deployment['status'], generation = 2): V1Deployment => ({ metadata: { generation }, spec: { replicas: 2, selector: {}, template: {} }, status });

  it('calls a rollout complete only when the new generation is observed and all replicas are updated and available', () => {
    expect(rolloutState(deployment({ observedGeneration: 2, updatedReplicas: 2, replicas: 2, availableReplicas: 2 })).complete).to.equal(true);
    expect(rolloutState(deployment({ observedGeneration: 1, updatedReplicas: 2, replicas: 2, availableReplicas: 2 })).complete).to.equal(false);
    expect(rolloutState(deployment({ observedGeneration: 2, updatedReplicas: 2, replicas: 3, availableReplicas: 2 })).complete).to.equal(false);
    const stalled = rolloutState(deployment({ conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'too slow' }] }));
    expect(stalled.stalled).to.include('ProgressDeadlineExceeded');
  });

  it('reads Job completion and failure conditions', () => {
    const complete: V1Job = { status: { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] } };
    const failed: V1Job = { status: { failed: 1, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] } };
    expect(jobState(complete).complete).to.equal(true);
    expect(jobState(failed).failed).to.equal('BackoffLimitExceeded: Job has reached the specified backoff limit');
  });

  it('groups live pods by VERSION and ignores terminating ones', () => {
    const pod = (name: string, version: string, terminating = false): V1Pod => ({
      metadata: { name, deletionTimestamp: terminating ? new Date() : undefined },
      spec: { containers: [{ name: 'probe', env: [{ name: 'VERSION', value: version }] }] },
      status: { phase: 'Running' },
    });
    expect([...groupByVersion([pod('a', '2'), pod('b', '2'), pod('c', '1', true)])]).to.deep.equal([['2', ['a', 'b']]]);
  });

  it('counts only ready endpoints', () => {
    const slice: V1EndpointSlice = {
      addressType: 'IPv4',
      endpoints: [
        { addresses: ['10.0.0.1'], conditions: { ready: true }, targetRef: { name: 'backend-0' } },
        { addresses: ['10.0.0.2'], conditions: { ready: false }, targetRef: { name: 'backend-1' } },
      ],
    };
    expect(readyEndpoints([slice])).to.deep.equal([{ address: '10.0.0.1', pod: 'backend-0' }]);
  });

  it('reads node readiness', () => {
    expect(nodeReadiness({ metadata: { name: 'n' }, status: { conditions: [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'PLEG' }], nodeInfo: { kubeletVersion: 'v1.36.3' } as never } }))
      .to.deep.include({ name: 'n', ready: false, reason: 'KubeletNotReady: PLEG', kubelet: 'v1.36.3' });
  });
});

describe('API error wording', () => {
  it('turns an ApiException into one line with the Status message', () => {
    const err = new ApiException(403, 'Unknown API Status Code!', JSON.stringify({ kind: 'Status', message: 'pods is forbidden: User "x" cannot create resource "pods"' }), {});
    expect(describeApiError('create pod ns/p', err)).to.equal('create pod ns/p: 403 pods is forbidden: User "x" cannot create resource "pods"');
  });

  it('names network errors by code', () => {
    const err = Object.assign(new Error('request failed, reason: connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(describeApiError('GET /version', err)).to.equal('GET /version: request failed, reason: connect ECONNREFUSED 127.0.0.1:1');
  });

  it('reads Retry-After', () => {
    expect(retryAfterSeconds(new ApiException(429, 'x', '', { 'retry-after': '5' }))).to.equal(5);
  });
});
