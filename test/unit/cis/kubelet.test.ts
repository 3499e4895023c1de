import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { configzPath, kubeletDrift, nodeConfigFact, nodeConfigFrom, readNodeConfigs } from '../../../src/cis/kubelet.js';
import { apiGet, apiSend, mapBounded, type ApiGet } from '../../../src/cis/node-get.js';

describe('cis: kubelet configuration from configz', () => {
  it('GIVEN a 200 answer with a kubeletconfig THEN the node is read with its settings', () => {
    const data = nodeConfigFrom('n1', { kind: 'answered', status: 200, body: '{"kind":"KubeletConfiguration","kubeletconfig":{"readOnlyPort":0}}' });
    expect(data).to.deep.equal({ node: 'n1', outcome: 'read', status: 200, kubelet: { readOnlyPort: 0 } });
  });

  it('GIVEN a 403 Status answer THEN the node is refused with the status and the API message', () => {
    const body = JSON.stringify({ kind: 'Status', message: 'nodes "n1" is forbidden: User "u" cannot get resource "nodes/proxy"' });
    expect(nodeConfigFrom('n1', { kind: 'answered', status: 403, body })).to.deep.equal({ node: 'n1', outcome: 'refused', status: 403, error: 'nodes "n1" is forbidden: User "u" cannot get resource "nodes/proxy"' });
  });

  it('GIVEN a timeout, no answer, or a 200 without kubeletconfig THEN each is its own outcome, never read', () => {
    expect(nodeConfigFrom('n1', { kind: 'timeout', ms: 10_000 })).to.deep.include({ outcome: 'timeout', error: 'no answer within 10s' });
    expect(nodeConfigFrom('n1', { kind: 'no-answer', error: 'ECONNREFUSED' })).to.deep.include({ outcome: 'no-answer' });
    expect(nodeConfigFrom('n1', { kind: 'answered', status: 200, body: '{"other":1}' })).to.deep.include({ outcome: 'unparsable' });
    expect(nodeConfigFrom('n1', { kind: 'answered', status: 200, body: '<html>' })).to.deep.include({ outcome: 'unparsable' });
  });

  it('GIVEN 25 nodes and concurrency 4 THEN every node is read once, at most 4 at a time, in node order', async () => {
    let inFlight = 0;
    let most = 0;
    const asked: string[] = [];
    const get: ApiGet = async (path) => {
      asked.push(path);
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      return path.includes('n7') ? { kind: 'answered', status: 503, body: 'error trying to reach service' } : { kind: 'answered', status: 200, body: '{"kubeletconfig":{}}' };
    };
    const nodes = Array.from({ length: 25 }, (_, i) => `n${i}`);
    const configs = await readNodeConfigs(nodes, get, { concurrency: 4, nodeTimeoutMs: 1000 });
    expect(most).to.equal(4);
    expect(asked).to.have.length(25);
    expect(configs.map((c) => c.node)).to.deep.equal(nodes);
    expect(configs.filter((c) => c.outcome !== 'read').map((c) => `${c.node} ${c.status ?? ''}`)).to.deep.equal(['n7 503']);
    expect(configzPath('a/b')).to.equal('/api/v1/nodes/a%2Fb/proxy/configz');
  });

  it('GIVEN an empty list THEN mapBounded returns at once', async () => {
    expect(await mapBounded([], 3, async () => 1)).to.deep.equal([]);
  });

  it('GIVEN two nodes that differ and a third that sides with one THEN the odd one is named with the majority value', () => {
    const fact = (node: string, kubelet: Record<string, unknown>) => nodeConfigFact({ node, outcome: 'read', status: 200, kubelet });
    const verdict = kubeletDrift([fact('a', { readOnlyPort: 0 }), fact('b', { readOnlyPort: 10255 }), fact('c', {}), fact('d', { readOnlyPort: 0 })]);
    expect(verdict.offences.map((o) => `${o.object} ${o.field} ${o.seen} -> ${o.expected}`)).to.deep.equal([
      'b kubelet.readOnlyPort 10255 -> 0 (as on 2 of 4 nodes)',
      'c kubelet.readOnlyPort unset -> 0 (as on 2 of 4 nodes)',
    ]);
  });
});

describe('cis: one GET through the API server with a hard limit', () => {
  let server: Server;
  let kc: KubeConfig;
  before(async () => {
    server = createServer((req, res) => {
      if (req.method === 'PATCH') {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          res.writeHead(200, [['content-type', 'application/json'], ['warning', '299 - "p1: hostPID=true"'], ['warning', '299 - "p2 (and 1 other pod): privileged"']]);
          res.end(JSON.stringify({ seen: `${req.url ?? ''} ${req.headers['content-type'] ?? ''} ${body}` }));
        });
        return;
      }
      if (req.url?.endsWith('/slow/proxy/configz')) return; // never answers
      if (req.url?.endsWith('/gone/proxy/configz')) {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', message: 'error trying to reach service: dial tcp: i/o timeout' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kubeletconfig: { readOnlyPort: 0, seen: req.url } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    kc = new KubeConfig();
    const { port } = server.address() as AddressInfo;
    kc.loadFromOptions({ clusters: [{ name: 'c', server: `http://127.0.0.1:${port}/prefix`, skipTLSVerify: true }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('GIVEN a server with a path prefix THEN the path is appended to it and the body returned', async () => {
    const got = await apiGet(kc)(configzPath('n1'), 2000);
    expect(got).to.deep.equal({ kind: 'answered', status: 200, body: JSON.stringify({ kubeletconfig: { readOnlyPort: 0, seen: '/prefix/api/v1/nodes/n1/proxy/configz' } }) });
  });

  it('GIVEN a PATCH THEN its body and content type are sent, and each Warning header comes back as one text', async () => {
    const got = await apiSend(kc)({ method: 'PATCH', path: '/api/v1/namespaces/web?dryRun=All', body: { contentType: 'application/merge-patch+json', data: { a: 1 } } }, 2000);
    expect(got).to.deep.equal({
      kind: 'answered',
      status: 200,
      body: JSON.stringify({ seen: '/prefix/api/v1/namespaces/web?dryRun=All application/merge-patch+json {"a":1}' }),
      warnings: ['p1: hostPID=true', 'p2 (and 1 other pod): privileged'],
    });
  });

  it('GIVEN a 503 THEN the status and body come back instead of an exception', async () => {
    const got = await apiGet(kc)(configzPath('gone'), 2000);
    expect(got.kind === 'answered' && got.status).to.equal(503);
    expect(nodeConfigFrom('gone', got).error).to.equal('error trying to reach service: dial tcp: i/o timeout');
  });

  it('GIVEN a node that never answers THEN the read ends as a timeout after its limit', async () => {
    const started = Date.now();
    expect(await apiGet(kc)(configzPath('slow'), 150)).to.deep.equal({ kind: 'timeout', ms: 150 });
    expect(Date.now() - started).to.be.lessThan(2000);
  });
});
