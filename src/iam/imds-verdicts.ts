// The verdicts of the metadata checks over what the probe pods observed (pure), and the table
// that goes into the report. Credentials appear only as role name and masked key id.
import { credentialLeaks, describeStatus, imdsAnswered, v1Accepted, IMDS_ADDRESS, type ImdsObservation } from './imds.js';

export type ProbeNetwork = 'pod network' | 'host network';

export interface NodeImds {
  node: string;
  network: ProbeNetwork;
  observation: ImdsObservation;
}

export const IMDS_TABLE_COLUMNS = ['node', 'network', 'v1 listing', 'v1 credentials', 'v2 token', 'v2 credentials', 'role', 'access key', 'verdict'];

export function imdsTable(observations: readonly NodeImds[]): { rows: string[][]; marks: Array<Array<'ok' | 'bad' | null>> } {
  const rows: string[][] = [];
  const marks: Array<Array<'ok' | 'bad' | null>> = [];
  for (const { node, network, observation: o } of observations) {
    const leaks = credentialLeaks(o);
    const role = o.v2?.role ?? o.v1.role ?? '';
    const key = o.v2?.accessKey ?? o.v1.accessKey ?? '';
    const verdict = leaks.length > 0 ? `credentials via ${leaks.map((l) => l.way).join(' and ')}` : imdsAnswered(o) ? 'answers, no credentials' : 'no answer';
    rows.push([node, network, describeStatus(o.v1.list), describeStatus(o.v1.creds), describeStatus(o.token), describeStatus(o.v2?.creds), role, key, verdict]);
    const bad = leaks.length > 0 && network === 'pod network';
    marks.push([null, null, null, null, null, null, null, null, bad ? 'bad' : 'ok']);
  }
  return { rows, marks };
}

export type Verdict = { kind: 'pass'; note?: string } | { kind: 'fail'; message: string } | { kind: 'skip'; reason: string };

/** iam/imds-node-credentials: no tenant pod on the pod network gets the node's credentials. */
export function nodeCredentialsVerdict(observations: readonly NodeImds[], hostNetworkProbed: boolean): Verdict {
  const pod = observations.filter((o) => o.network === 'pod network');
  const findings = pod.flatMap((o) => credentialLeaks(o.observation).map((l) => ({ node: o.node, ...l })));
  if (findings.length > 0) {
    const byNode = new Map<string, typeof findings>();
    for (const f of findings) byNode.set(f.node, [...(byNode.get(f.node) ?? []), f]);
    const parts = [...byNode].map(([node, fs]) =>
      `node ${node}: ${fs.map((f) => f.way).join(' and ')} handed role ${fs[0]?.role ?? '?'}${fs[0]?.accessKey ? ` (${fs[0].accessKey})` : ''}`);
    return { kind: 'fail', message: `a tenant pod on the pod network obtained the node's cloud credentials from ${IMDS_ADDRESS}: ${parts.join('; ')}` };
  }
  if (observations.some((o) => imdsAnswered(o.observation))) return { kind: 'pass' };
  if (hostNetworkProbed) {
    return { kind: 'skip', reason: `no metadata service answers at ${IMDS_ADDRESS} on the probed nodes, not even from the host network: not a cloud node (or its metadata service is off)` };
  }
  return { kind: 'pass', note: `nothing answered at ${IMDS_ADDRESS} from the pod network; set iam.hostNetworkProbes to tell "blocked for pods" from "no metadata service"` };
}

/** iam/imds-tokens-required: wherever IMDS answers, a request without a token gets no credentials. */
export function tokensRequiredVerdict(observations: readonly NodeImds[], hostNetworkProbed: boolean): Verdict {
  const reachable = observations.filter((o) => imdsAnswered(o.observation));
  if (reachable.length === 0) {
    return {
      kind: 'skip',
      reason: `no probe reached a metadata service at ${IMDS_ADDRESS} (${hostNetworkProbed ? 'neither from the pod nor the host network' : 'from the pod network; iam.hostNetworkProbes is off'}), so there is no IMDSv1 to test`,
    };
  }
  const v1 = reachable.filter((o) => v1Accepted(o.observation));
  if (v1.length > 0) {
    return {
      kind: 'fail',
      message: `IMDSv1 (no token) handed out credentials on ${v1.map((o) => `node ${o.node} (${o.network}${o.observation.v1.role ? `, role ${o.observation.v1.role}` : ''})`).join(', ')}`,
    };
  }
  return { kind: 'pass' };
}
