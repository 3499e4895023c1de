import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClients, type ClusterClients } from '../../../src/cluster/client.js';
import { resolveClusterAccess } from '../../../src/cluster/kubeconfig.js';
import { WaitTimeoutError } from '../../../src/errors.js';
import { readClaim } from '../../../src/storage/claims.js';
import { ClaimNotBound, guardProvisioning } from '../../../src/storage/watchdog.js';
import { kubeconfigYaml } from '../cluster/kubeconfig-fixture.js';
import { startFakeStorageApi, type FakeStorageApi, type StorageState } from './fake-storage-api.js';
import { claim, event, externalProvisioning, storageClass } from './fixture.js';

/** Stands in for waitForClaimBound: never resolves by itself, rejects when aborted. */
const forever = (signal: AbortSignal): Promise<never> =>
  new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted')), { once: true }));

describe('storage: claim watchdog (against a fake API server)', () => {
  let dir: string;
  let api: FakeStorageApi | undefined;

  const start = async (state: Partial<StorageState>): Promise<ClusterClients> => {
    api = await startFakeStorageApi({
      claim: claim('data', { storageClass: 'local-path', selectedNode: 'n1' }),
      events: [],
      classes: [storageClass('local-path', { isDefault: true, bindingMode: 'WaitForFirstConsumer' })],
      pods: [],
      deployments: [],
      ...state,
    });
    const path = join(dir, 'kubeconfig');
    writeFileSync(path, kubeconfigYaml(api.url));
    const access = resolveClusterAccess({ kubeconfig: path }, { env: {}, home: dir, testbedKubeconfigs: [], serviceAccountTokenPath: join(dir, 'none') });
    return createClients(access.kc, { retry: false });
  };
  const options = (clients: ClusterClients, signal = new AbortController().signal) => ({
    clients,
    namespace: 'ns',
    listClaims: async () => [await readClaim(clients, 'ns', 'data')],
    silence: { name: 'provisionerSilence', ms: 300 },
    signal,
    intervalMs: 50,
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ka-watchdog-'));
  });
  afterEach(async () => {
    await api?.close();
    api = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('GIVEN the provisioner stays silent THEN the wait ends after the silence timeout with "no provisioner running", naming the Deployment at 0', async () => {
    const clients = await start({
      events: [event('WaitForFirstConsumer', 'waiting for first consumer'), externalProvisioning('rancher.io/local-path')],
      deployments: [{ metadata: { name: 'local-path-provisioner', namespace: 'local-path-storage' }, spec: { replicas: 0, selector: { matchLabels: { app: 'local-path-provisioner' } }, template: {} }, status: {} }],
    });
    const started = Date.now();
    const err = await guardProvisioning(options(clients), forever).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(err).to.be.instanceOf(ClaimNotBound);
    const e = err as ClaimNotBound;
    expect(e.diagnoses.map((d) => d.kind)).to.deep.equal(['no-provisioner']);
    expect(e.message).to.match(
      /^no provisioner running: claim ns\/data has waited [\d.]+m?s for rancher\.io\/local-path, but no pod of it exists \(looked for app=local-path-provisioner in all namespaces\); Deployment local-path-storage\/local-path-provisioner has 0 replica\(s\), 0 ready \(gave up after 300ms, timeout provisionerSilence\)$/,
    );
    expect(e.details).to.include('event Normal ExternalProvisioning from persistentvolume-controller');
    expect(elapsed).to.be.within(300, 3000);
  });

  it('GIVEN the provisioner pod runs but is not ready THEN: provisioner down', async () => {
    const clients = await start({
      events: [externalProvisioning('rancher.io/local-path')],
      pods: [{ metadata: { name: 'lpp-1', namespace: 'local-path-storage', labels: { app: 'local-path-provisioner' } }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] } }],
    });
    const err = (await guardProvisioning(options(clients), forever).catch((e: unknown) => e)) as ClaimNotBound;
    expect(err.message).to.match(/^provisioner down: claim ns\/data has waited .* for rancher\.io\/local-path, whose pods are not ready: local-path-storage\/lpp-1 \(Running, not ready\)/);
  });

  it('GIVEN no default class THEN the wait ends at the first round, without waiting for silence', async () => {
    const clients = await start({ claim: claim('data'), classes: [storageClass('gp2')] });
    const started = Date.now();
    const err = (await guardProvisioning({ ...options(clients), silence: { name: 'provisionerSilence', ms: 60_000 } }, forever).catch((e: unknown) => e)) as ClaimNotBound;
    expect(err).to.be.instanceOf(ClaimNotBound);
    expect(err.message).to.equal('no default StorageClass: claim ns/data names no class and none of the 1 class(es) (gp2) is marked default');
    expect(Date.now() - started).to.be.below(2000);
  });

  it('GIVEN the provisioner acting THEN silence never triggers; when the wait times out the diagnosis is appended', async () => {
    const component = 'rancher.io/local-path_lpp-1_x';
    const clients = await start({ events: [externalProvisioning('rancher.io/local-path'), event('Provisioning', 'External provisioner is provisioning volume for claim "ns/data"', component)] });
    const timingOut = (): Promise<never> =>
      new Promise((_, reject) => setTimeout(() => reject(new WaitTimeoutError('volumeBind', 'timed out after 600ms (timeout volumeBind) waiting for claim ns/data to be Bound; last seen: ns/data: Pending', 'Pending')), 600));
    const err = (await guardProvisioning(options(clients), timingOut).catch((e: unknown) => e)) as ClaimNotBound;
    expect(err).to.be.instanceOf(ClaimNotBound);
    expect(err.message).to.equal(
      'timed out after 600ms (timeout volumeBind) waiting for claim ns/data to be Bound; last seen: ns/data: Pending; provisioning slow: rancher.io/local-path is working on claim ns/data (last: External provisioner is provisioning volume for claim "ns/data") but the volume is not bound yet',
    );
  });

  it('GIVEN the wait succeeds THEN its value comes back and the watchdog stops polling', async () => {
    const clients = await start({ events: [externalProvisioning('rancher.io/local-path')] });
    const value = await guardProvisioning(options(clients), () => new Promise<string>((resolve) => setTimeout(() => resolve('bound'), 120)));
    expect(value).to.equal('bound');
    const after = api?.requests.length ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(api?.requests.length).to.equal(after);
  });

  it('GIVEN the run is interrupted THEN the wait rejects with the interruption, not a diagnosis', async () => {
    const clients = await start({ events: [externalProvisioning('rancher.io/local-path')] });
    const outer = new AbortController();
    setTimeout(() => outer.abort(new Error('interrupted by SIGINT')), 50);
    const err = await guardProvisioning(options(clients, outer.signal), forever).catch((e: unknown) => e);
    expect(err).to.not.be.instanceOf(ClaimNotBound);
    expect((err as Error).message).to.equal('interrupted by SIGINT');
  });
});
