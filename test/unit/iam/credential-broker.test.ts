// The testbed's credential broker (testbed/standins/credential-broker.mjs, a kube2iam stand-in) as
// a real process between a fake API server and a fake metadata service: it maps the caller's
// source IP (here 127.0.0.1) to a pod, answers the credential paths with kube2iam's status codes in
// each mode, and proxies everything else.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../../src/config/paths.js';

const BROKER = join(packageRoot, 'testbed', 'standins', 'credential-broker.mjs');
const LIST = '/latest/meta-data/iam/security-credentials/';

interface FakeCluster {
  podAnnotations: Record<string, string> | undefined;
  namespaceAnnotations: Record<string, string>;
}

async function listenLocal(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function request(port: number, method: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('testbed: the credential broker (kube2iam stand-in)', function () {
  this.timeout(15_000);
  const cluster: FakeCluster = { podAnnotations: undefined, namespaceAnnotations: {} };
  let dir: string;
  let apiServer: http.Server;
  let metadata: http.Server;
  let broker: ChildProcess;
  let port: number;

  const setMode = (mode: string): void => writeFileSync(join(dir, 'mode'), `${mode}\n`);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ka-broker-'));
    setMode('on');
    apiServer = http.createServer((req, res) => {
      const url = new URL(req.url ?? '', 'http://x');
      res.setHeader('content-type', 'application/json');
      if (url.pathname === '/api/v1/pods') {
        const ip = (url.searchParams.get('fieldSelector') ?? '').replace('status.podIP=', '');
        const pod = { metadata: { name: 'p', namespace: 'team-a', annotations: cluster.podAnnotations }, spec: {}, status: { podIP: ip, phase: 'Running' } };
        res.end(JSON.stringify({ items: ip === '127.0.0.1' ? [pod] : [] }));
      } else if (url.pathname === '/api/v1/namespaces/team-a') {
        res.end(JSON.stringify({ metadata: { name: 'team-a', annotations: cluster.namespaceAnnotations } }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    metadata = http.createServer((req, res) => res.end(`metadata ${req.method ?? ''} ${req.url ?? ''}`));
    const apiPort = await listenLocal(apiServer);
    const metadataPort = await listenLocal(metadata);
    writeFileSync(join(dir, 'kubeconfig'), `apiVersion: v1\nclusters:\n- cluster:\n    server: http://127.0.0.1:${apiPort}\n  name: fake\n`);
    port = 20000 + Math.floor(Math.random() * 20000);
    broker = spawn(process.execPath, [BROKER, '--listen', `127.0.0.1:${port}`, '--upstream', `127.0.0.1:${metadataPort}`, '--mode-file', join(dir, 'mode'), '--kubeconfig', join(dir, 'kubeconfig')],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => broker.stdout?.once('data', () => resolve()));
  });

  after(() => {
    broker.kill();
    apiServer.close();
    metadata.close();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    setMode('on');
    cluster.podAnnotations = { 'iam.amazonaws.com/role': 'app' };
    cluster.namespaceAnnotations = { 'iam.amazonaws.com/permitted': 'app' };
  });

  it('GIVEN a pod annotated with a role its namespace permits THEN the listing names it and its path returns kube2iam-shaped credentials', async () => {
    expect(await request(port, 'GET', LIST)).to.deep.equal({ status: 200, body: 'app' });
    const creds = await request(port, 'GET', `${LIST}app`);
    expect(creds.status).to.equal(200);
    const json = JSON.parse(creds.body) as Record<string, string>;
    expect(Object.keys(json)).to.deep.equal(['AccessKeyId', 'Code', 'Expiration', 'LastUpdated', 'SecretAccessKey', 'Token', 'Type']);
    expect(json.AccessKeyId).to.match(/^ASIA[A-Z0-9]{16}$/);
    expect(json.Code).to.equal('Success');
  });

  it('GIVEN that pod asking for another role THEN 403 "Invalid role"', async () => {
    expect(await request(port, 'GET', `${LIST}app-admin`)).to.deep.equal({ status: 403, body: 'Invalid role app-admin\n' });
  });

  it('GIVEN a role the namespace does not permit, or no allow-list, THEN 404 on the listing and the role path', async () => {
    cluster.podAnnotations = { 'iam.amazonaws.com/role': 'other' };
    const listing = await request(port, 'GET', LIST);
    expect(listing.status).to.equal(404);
    expect(listing.body).to.contain('role requested other not valid for namespace of pod at 127.0.0.1 with namespace team-a');
    expect((await request(port, 'GET', `${LIST}other`)).status).to.equal(404);
    cluster.podAnnotations = { 'iam.amazonaws.com/role': 'app' };
    cluster.namespaceAnnotations = {};
    expect((await request(port, 'GET', LIST)).status).to.equal(404);
  });

  it('GIVEN a JSON list of patterns (kube2iam\'s shape) THEN each is a pattern', async () => {
    cluster.namespaceAnnotations = { 'iam.amazonaws.com/permitted': '["web", "ap+"]' };
    expect(await request(port, 'GET', LIST)).to.deep.equal({ status: 200, body: 'app' });
  });

  it('GIVEN an unannotated pod THEN 404, unless mode default-role hands it kassay-default-role', async () => {
    cluster.podAnnotations = undefined;
    const listing = await request(port, 'GET', LIST);
    expect(listing).to.deep.equal({ status: 404, body: 'unable to find role for IP 127.0.0.1\n' });
    setMode('default-role');
    expect(await request(port, 'GET', LIST)).to.deep.equal({ status: 200, body: 'kassay-default-role' });
    expect((await request(port, 'GET', `${LIST}kassay-default-role`)).status).to.equal(200);
  });

  it('GIVEN mode no-restrictions THEN a role the namespace does not permit is handed out', async () => {
    cluster.podAnnotations = { 'iam.amazonaws.com/role': 'other' };
    setMode('no-restrictions');
    expect(await request(port, 'GET', LIST)).to.deep.equal({ status: 200, body: 'other' });
  });

  it('GIVEN the trap (permit "app", ask "app-admin") THEN refused when anchored, handed out in mode unanchored', async () => {
    cluster.podAnnotations = { 'iam.amazonaws.com/role': 'app-admin' };
    expect((await request(port, 'GET', LIST)).status).to.equal(404);
    setMode('unanchored');
    expect(await request(port, 'GET', LIST)).to.deep.equal({ status: 200, body: 'app-admin' });
    expect((await request(port, 'GET', `${LIST}app-admin`)).status).to.equal(200);
  });

  it('GIVEN any other path or the token PUT THEN it is proxied to the metadata service', async () => {
    expect(await request(port, 'GET', '/latest/meta-data/instance-id')).to.deep.equal({ status: 200, body: 'metadata GET /latest/meta-data/instance-id' });
    expect(await request(port, 'PUT', '/latest/api/token')).to.deep.equal({ status: 200, body: 'metadata PUT /latest/api/token' });
  });
});
