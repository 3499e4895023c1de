import { expect } from 'chai';
import { KubeConfig } from '@kubernetes/client-node';
import { execConnectFailure, execInContainer } from '../../../src/cluster/exec.js';
import { closedPort } from './fake-api.js';
import { kubeconfigYaml } from './kubeconfig-fixture.js';

describe('exec connection failures', () => {
  it('GIVEN the ErrorEvent the websocket library rejects with THEN its message, HTTP status and network code are read, never [object Object]', () => {
    const refused = { type: 'error', message: 'connect ECONNREFUSED 10.250.0.1:6443', error: Object.assign(new Error('connect ECONNREFUSED 10.250.0.1:6443'), { code: 'ECONNREFUSED' }) };
    expect(execConnectFailure(refused)).to.deep.equal({ text: 'connect ECONNREFUSED 10.250.0.1:6443', status: undefined, code: 'ECONNREFUSED' });
    const upgrade = { type: 'error', message: 'Unexpected server response: 403', error: new Error('Unexpected server response: 403') };
    expect(execConnectFailure(upgrade)).to.deep.include({ text: 'Unexpected server response: 403', status: 403 });
  });

  it('GIVEN an API server that stays unreachable THEN exec retries the connection and then names the outage in one sentence', async () => {
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfigYaml(`https://127.0.0.1:${await closedPort()}`));
    const err = await execInContainer(kc, { namespace: 'ns', pod: 'p', container: 'c' }, ['true'], { name: 'exec', ms: 30_000 }, undefined, 1000).catch((e: unknown) => e);
    expect((err as Error).message).to.match(/^exec in ns\/p \(container c\): the API server was unavailable for \d+ms; last: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
  });
});
