// The testbed's front of the EC2 metadata mock: it answers at 169.254.169.254:80 and forwards
// every request to the mock (upstream amazon-ec2-metadata-mock, on a loopback port), for two
// reasons the mock cannot cover itself:
// - the mock's token store is an unlocked map, so concurrent token PUTs may crash it: token
//   PUTs are forwarded one at a time;
// - the mock has no hop limit: in mode `hop-limit` the reply to a token PUT from a pod-network
//   peer is withheld, as the real service's PUT response with hop limit 1 dies one hop away
//   (its IP TTL runs out at the node's forwarding step). Host-network peers still get it.
// The mode is read from a file on every request, so `testbed imds MODE` switches it at once.
// A Node.js host process: nothing to build. Usage:
//   node imds-front.mjs --listen IP:PORT --upstream IP:PORT --mode-file FILE --pod-cidr CIDR
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { hostPort, parseArgs } from './cli.mjs';

const WITHHELD_REPLY_MS = 30_000;

function ipv4ToInt(ip) {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + p, 0);
}

/** True when `ip` (IPv4, possibly IPv4-mapped IPv6) lies in `cidr`. */
function inCidr(ip, cidr) {
  const [base, bitsText] = cidr.split('/');
  const addr = ipv4ToInt(ip.replace(/^::ffff:/, ''));
  const net = ipv4ToInt(base);
  const bits = Number(bitsText);
  if (addr === undefined || net === undefined) return false;
  const size = 2 ** (32 - bits);
  return Math.floor(addr / size) === Math.floor(net / size);
}

function currentMode(file) {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return 'open';
  }
}

const args = parseArgs(process.argv.slice(2), ['listen', 'upstream', 'mode-file', 'pod-cidr']);
const listen = hostPort(args.listen);
const upstream = hostPort(args.upstream);
let tokenQueue = Promise.resolve();

function forward(req, res, body) {
  return new Promise((resolve) => {
    const out = http.request({ host: upstream.host, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
      up.on('end', resolve);
      up.on('error', resolve);
    });
    out.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`metadata mock unavailable: ${err.code ?? err.message}\n`);
      resolve();
    });
    out.end(body);
  });
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const isTokenPut = req.method === 'PUT' && req.url?.startsWith('/latest/api/token');
    if (!isTokenPut) {
      void forward(req, res, body);
      return;
    }
    const podPeer = inCidr(req.socket.remoteAddress ?? '', args['pod-cidr']);
    if (currentMode(args['mode-file']) === 'hop-limit' && podPeer) {
      // The reply "dies one hop away": the peer sees a connection that never answers.
      setTimeout(() => req.socket.destroy(), WITHHELD_REPLY_MS).unref();
      return;
    }
    tokenQueue = tokenQueue.then(() => forward(req, res, body));
  });
});
server.keepAliveTimeout = 2_000;
// Clients such as busybox nc half-close after sending the request; answer them all the same.
server.httpAllowHalfOpen = true;
server.listen(listen.port, listen.host, () => console.log(`imds-front listening on ${args.listen}, upstream ${args.upstream}`));
