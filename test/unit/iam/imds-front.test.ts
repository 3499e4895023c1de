// The testbed's IMDS front (testbed/standins/imds-front.mjs) as a real process in front of a fake
// upstream: it answers clients that half-close after their request (busybox nc does), forwards
// token PUTs one at a time (the mock crashes on concurrent ones), and in mode hop-limit withholds
// the token reply from pod-network peers only. Here the "pod network" is 127.0.0.0/8.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../../src/config/paths.js';

const FRONT = join(packageRoot, 'testbed', 'standins', 'imds-front.mjs');

/** One raw HTTP/1.0 exchange whose sender half-closes at once, like `printf ... | nc`. */
function rawRequest(port: number, request: string, timeoutMs = 1500): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (c: Buffer) => (data += c.toString()));
    socket.on('close', () => resolve(data));
    socket.setTimeout(timeoutMs, () => socket.destroy());
    socket.end(request);
  });
}

describe('testbed: the IMDS front', function () {
  this.timeout(15_000);
  let dir: string;
  let upstream: http.Server;
  let front: ChildProcess;
  let frontPort: number;
  let inFlight = 0;
  let maxInFlight = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ka-imds-front-'));
    writeFileSync(join(dir, 'mode'), 'open\n');
    upstream = http.createServer((req, res) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        res.end(req.method === 'PUT' ? 'a-token' : 'node-role');
      }, 50);
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const upstreamPort = (upstream.address() as AddressInfo).port;
    frontPort = 20000 + Math.floor(Math.random() * 20000);
    front = spawn(process.execPath, [FRONT, '--listen', `127.0.0.1:${frontPort}`, '--upstream', `127.0.0.1:${upstreamPort}`, '--mode-file', join(dir, 'mode'), '--pod-cidr', '127.0.0.0/8'], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => front.stdout?.once('data', () => resolve()));
  });

  after(() => {
    front.kill();
    upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = 'GET /latest/meta-data/iam/security-credentials/ HTTP/1.0\r\nHost: x\r\n\r\n';
  const put = 'PUT /latest/api/token HTTP/1.0\r\nHost: x\r\nX-aws-ec2-metadata-token-ttl-seconds: 60\r\n\r\n';

  it('GIVEN a client that half-closes after its request THEN it still gets the reply', async () => {
    const reply = await rawRequest(frontPort, get);
    expect(reply).to.match(/^HTTP\/1\.1 200/).and.to.contain('node-role');
  });

  it('GIVEN five token PUTs at once THEN the upstream sees them one at a time, and all are answered', async () => {
    maxInFlight = 0;
    const replies = await Promise.all(Array.from({ length: 5 }, () => rawRequest(frontPort, put, 5000)));
    expect(replies.every((r) => r.includes('a-token'))).to.equal(true);
    expect(maxInFlight).to.equal(1);
  });

  it('GIVEN mode hop-limit THEN a pod-network peer gets no token reply, but still its GETs', async () => {
    writeFileSync(join(dir, 'mode'), 'hop-limit\n');
    try {
      expect(await rawRequest(frontPort, put)).to.equal('');
      expect(await rawRequest(frontPort, get)).to.contain('node-role');
    } finally {
      writeFileSync(join(dir, 'mode'), 'open\n');
    }
  });
});
