// Deleting a namespace of the run: only after re-reading it and finding our labels, and with
// deleteOwnedNamespaceNow this run's pods in it first, without grace, and no one else's.
import { ApiException, type V1Namespace } from '@kubernetes/client-node';
import { expect } from 'chai';
import type { ClusterClients } from '../../../src/cluster/client.js';
import { ownershipLabels, ownershipSelector } from '../../../src/cluster/labels.js';
import { deleteOwnedNamespace, deleteOwnedNamespaceNow } from '../../../src/cluster/namespaces.js';

const RUN = '20261204t201844-507d';
const notFound = (): ApiException<string> => new ApiException(404, 'x', JSON.stringify({ kind: 'Status', message: 'namespaces "ka-x" not found' }), {});

function fakeClients(namespace: V1Namespace | undefined) {
  const calls: string[] = [];
  const clients = {
    core: {
      readNamespace: async ({ name }: { name: string }) => {
        calls.push(`read ${name}`);
        if (namespace === undefined) throw notFound();
        return namespace;
      },
      deleteCollectionNamespacedPod: async (req: { namespace: string; labelSelector: string; gracePeriodSeconds: number }) => {
        calls.push(`delete pods in ${req.namespace} where ${req.labelSelector} grace ${req.gracePeriodSeconds}`);
        return {};
      },
      deleteNamespace: async (req: { name: string; body: { preconditions: { uid?: string } } }) => {
        calls.push(`delete namespace ${req.name} uid ${req.body.preconditions.uid ?? '?'}`);
        return {};
      },
    },
  } as unknown as ClusterClients;
  return { clients, calls };
}

const ours = (extra: Partial<V1Namespace['metadata']> = {}): V1Namespace => ({ metadata: { name: 'ka-x', uid: 'u-1', labels: ownershipLabels(RUN), ...extra } });

describe('deleting a namespace of the run', () => {
  it('GIVEN our namespace THEN deleteOwnedNamespaceNow deletes only our pods in it, with grace 0, before the namespace itself (by its uid)', async () => {
    const { clients, calls } = fakeClients(ours());
    expect(await deleteOwnedNamespaceNow(clients, 'ka-x', RUN)).to.equal(true);
    expect(calls).to.deep.equal(['read ka-x', `delete pods in ka-x where ${ownershipSelector(RUN)} grace 0`, 'delete namespace ka-x uid u-1']);
  });

  it('GIVEN a namespace without our labels for this run THEN both refuse, naming it, and delete nothing in it', async () => {
    for (const remove of [deleteOwnedNamespaceNow, deleteOwnedNamespace]) {
      const { clients, calls } = fakeClients({ metadata: { name: 'ka-x', uid: 'u-1', labels: ownershipLabels('20261204t000000-other') } });
      const err = await remove(clients, 'ka-x', RUN).catch((e: unknown) => e);
      expect(String(err)).to.include(`refusing to delete namespace ka-x: it does not carry kube-assay's labels for run ${RUN}`);
      expect(calls).to.deep.equal(['read ka-x']);
    }
  });

  it('GIVEN the namespace is gone THEN false and nothing deleted; GIVEN it is already terminating THEN its pods still go now, the namespace is not deleted twice', async () => {
    const gone = fakeClients(undefined);
    expect(await deleteOwnedNamespaceNow(gone.clients, 'ka-x', RUN)).to.equal(false);
    expect(gone.calls).to.deep.equal(['read ka-x']);
    const terminating = fakeClients(ours({ deletionTimestamp: new Date() }));
    expect(await deleteOwnedNamespaceNow(terminating.clients, 'ka-x', RUN)).to.equal(true);
    expect(terminating.calls).to.deep.equal(['read ka-x', `delete pods in ka-x where ${ownershipSelector(RUN)} grace 0`]);
  });
});
