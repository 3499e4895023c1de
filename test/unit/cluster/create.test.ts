import { ApiException, type V1Pod } from '@kubernetes/client-node';
import { expect } from 'chai';
import { apiStatusCode } from '../../../src/cluster/api-errors.js';
import type { ClusterClients } from '../../../src/cluster/client.js';
import { createWithContext } from '../../../src/cluster/create.js';
import { createPod } from '../../../src/cluster/pods.js';

const forbidden = (): ApiException<string> => new ApiException(403, 'x', JSON.stringify({ kind: 'Status', message: 'pods "p" is forbidden: exceeded quota' }), {});

describe('creating with context in the error', () => {
  it('GIVEN the create succeeds THEN its result comes back', async () => {
    expect(await createWithContext('pod', 'ns/p', async () => 'created')).to.equal('created');
  });

  it('GIVEN the API refuses the create THEN the error names the kind and object, describes the API error and keeps it as cause', async () => {
    const err = await createWithContext('pod', 'ns/p', async () => {
      throw forbidden();
    }).catch((e: unknown) => e);
    expect((err as Error).message).to.equal('create pod ns/p: 403 pods "p" is forbidden: exceeded quota');
    expect((err as Error).cause).to.be.instanceOf(ApiException);
    expect(apiStatusCode(err)).to.equal(403);
  });

  it('GIVEN createPod is refused THEN its message is "create pod <namespace>/<name>: ..."', async () => {
    const clients = { core: { createNamespacedPod: async () => Promise.reject(forbidden()) } } as unknown as ClusterClients;
    const pod: V1Pod = { metadata: { name: 'p', namespace: 'ka-x' } };
    const err = await createPod(clients, pod).catch((e: unknown) => e);
    expect((err as Error).message).to.equal('create pod ka-x/p: 403 pods "p" is forbidden: exceeded quota');
  });
});
