import { expect } from 'chai';
import { ClusterFactSource, listCollector } from '../../../src/checks/sources.js';
import type { ClusterClients } from '../../../src/cluster/client.js';

describe('checks: cluster fact source', () => {
  it('GIVEN two checks of one source reading one collector THEN the API is listed once', async () => {
    let calls = 0;
    const collectors = { things: listCollector('Thing', 'list things', async () => [{ metadata: { name: 'a', namespace: 'ns' } }].map((x) => (calls++, x))) };
    const source = new ClusterFactSource({} as ClusterClients, collectors);
    const [first, second] = await Promise.all([source.collect('things'), source.collect('things')]);
    expect(calls).to.equal(1);
    expect(first).to.deep.equal([{ kind: 'Thing', name: 'a', namespace: 'ns', data: { metadata: { name: 'a', namespace: 'ns' } } }]);
    expect(second).to.equal(first);
  });

  it('GIVEN a collector name the suite does not provide THEN collecting fails naming the known ones', async () => {
    const source = new ClusterFactSource({} as ClusterClients, { things: listCollector('Thing', 'list things', async () => []) });
    const error = await source.collect('nodes').then(() => undefined, (err: unknown) => err);
    expect((error as Error).message).to.equal('collector nodes is not registered (known: things)');
  });
});
