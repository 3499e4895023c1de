import { expect } from 'chai';
import { ClusterFactSource, listCollector, sharedFacts } from '../../../src/checks/sources.js';
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

describe('checks: facts shared by the checks of a suite', () => {
  it('GIVEN two checks of one run THEN the collector runs once; GIVEN another run (other clients) THEN it runs again', async () => {
    let calls = 0;
    const facts = sharedFacts(() => ({ things: listCollector('Thing', 'list things', async () => (calls++, [{ metadata: { name: 'a' } }])) }));
    const run = { clients: {} as ClusterClients };
    await facts(run).collect('things');
    await facts(run).collect('things');
    expect(calls).to.equal(1);
    await facts({ clients: {} as ClusterClients }).collect('things');
    expect(calls).to.equal(2);
  });

  it('GIVEN a collection that failed THEN it is not kept, so a retried check reads again', async () => {
    let calls = 0;
    const facts = sharedFacts(() => ({
      things: listCollector('Thing', 'list things', async () => {
        calls++;
        if (calls === 1) throw new Error('connection reset');
        return [{ metadata: { name: 'a' } }];
      }),
    }));
    const run = { clients: {} as ClusterClients };
    const error = await facts(run).collect('things').then(() => undefined, (err: unknown) => err);
    expect((error as Error).message).to.contain('collector things could not list things');
    expect(await facts(run).collect('things')).to.have.length(1);
    expect(calls).to.equal(2);
  });
});
