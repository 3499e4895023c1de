// The testbed's IRSA / Pod Identity webhook stand-in: the JSON patch it answers for a pod, per
// the published contract (env, projected token volume and mount; the ServiceAccount's and the
// pod's annotations honoured) and in its faulty modes.
import { expect } from 'chai';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../../src/config/paths.js';

interface PatchOp { op: string; path: string; value: unknown }
interface Webhook {
  irsaPatch(pod: unknown, account: unknown, mode: string, apiAudience: string): PatchOp[];
  podIdentityPatch(pod: unknown, namespace: string, serviceAccount: string, associations: unknown[]): PatchOp[];
}

const API_AUDIENCE = 'https://kubernetes.default.svc.cluster.local';
const ROLE = 'arn:aws:iam::111122223333:role/app';
const pod = (notes: Record<string, string> = {}): unknown => ({
  metadata: { annotations: notes },
  spec: { volumes: [{ name: 'kube-api-access' }], containers: [{ name: 'app', env: [{ name: 'KEEP', value: '1' }] }, { name: 'sidecar' }] },
});
const account = (notes: Record<string, string>): unknown => ({ metadata: { annotations: notes } });

function tokenSource(ops: PatchOp[]): Record<string, unknown> {
  const volume = ops.find((o) => o.path === '/spec/volumes/-')?.value as { projected: { sources: Array<{ serviceAccountToken: Record<string, unknown> }> } };
  return volume.projected.sources[0]?.serviceAccountToken ?? {};
}
const envAdded = (ops: PatchOp[], container: number): string[] =>
  ops.filter((o) => o.path === `/spec/containers/${container}/env/-`).map((o) => (o.value as { name: string }).name);

describe('testbed: the IRSA and Pod Identity webhook stand-in', () => {
  let webhook: Webhook;
  before(async () => {
    webhook = (await import(pathToFileURL(join(packageRoot, 'testbed', 'standins', 'eks-identity-webhook.mjs')).href)) as Webhook;
  });

  it('GIVEN a role-arn annotation THEN every container gets the env and the token mount; the token is for STS, 86400 s', () => {
    const ops = webhook.irsaPatch(pod(), account({ 'eks.amazonaws.com/role-arn': ROLE }), 'safe', API_AUDIENCE);
    expect(envAdded(ops, 0)).to.deep.equal(['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_STS_REGIONAL_ENDPOINTS']);
    expect(ops.find((o) => o.path === '/spec/containers/1/env')).to.deep.equal({ op: 'add', path: '/spec/containers/1/env', value: [] });
    expect(ops.filter((o) => o.path.endsWith('/volumeMounts/-')).map((o) => o.value)).to.deep.equal([
      { name: 'aws-iam-token', mountPath: '/var/run/secrets/eks.amazonaws.com/serviceaccount', readOnly: true },
      { name: 'aws-iam-token', mountPath: '/var/run/secrets/eks.amazonaws.com/serviceaccount', readOnly: true },
    ]);
    expect(tokenSource(ops)).to.deep.equal({ audience: 'sts.amazonaws.com', expirationSeconds: 86400, path: 'token' });
  });

  it('GIVEN no annotation THEN no patch; GIVEN audience, token-expiration and skip-containers THEN they are honoured', () => {
    expect(webhook.irsaPatch(pod(), account({}), 'safe', API_AUDIENCE)).to.deep.equal([]);
    const ops = webhook.irsaPatch(pod({ 'eks.amazonaws.com/skip-containers': 'sidecar', 'eks.amazonaws.com/token-expiration': '7200' }),
      account({ 'eks.amazonaws.com/role-arn': ROLE, 'eks.amazonaws.com/audience': 'custom', 'eks.amazonaws.com/token-expiration': '3600' }), 'safe', API_AUDIENCE);
    expect(tokenSource(ops)).to.deep.include({ audience: 'custom', expirationSeconds: 7200 });
    expect(envAdded(ops, 1)).to.deep.equal([]);
  });

  it('GIVEN the faulty modes THEN the API server\'s audience, or 48 h tokens', () => {
    const sa = account({ 'eks.amazonaws.com/role-arn': ROLE });
    expect(tokenSource(webhook.irsaPatch(pod(), sa, 'wrong-audience', API_AUDIENCE)).audience).to.equal(API_AUDIENCE);
    expect(tokenSource(webhook.irsaPatch(pod(), sa, 'long-expiry', API_AUDIENCE)).expirationSeconds).to.equal(172800);
  });

  it('GIVEN an association THEN the Pod Identity env and a token for pods.eks.amazonaws.com; GIVEN none THEN no patch', () => {
    const associations = [{ namespace: 'team', serviceAccount: 'app', roleArn: ROLE }];
    const ops = webhook.podIdentityPatch(pod(), 'team', 'app', associations);
    expect(envAdded(ops, 0)).to.deep.equal(['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE']);
    expect(ops.find((o) => (o.value as { name?: string }).name === 'AWS_CONTAINER_CREDENTIALS_FULL_URI')?.value).to.deep.equal({ name: 'AWS_CONTAINER_CREDENTIALS_FULL_URI', value: 'http://169.254.170.23/v1/credentials' });
    expect(tokenSource(ops)).to.deep.include({ audience: 'pods.eks.amazonaws.com', path: 'eks-pod-identity-token' });
    expect(webhook.podIdentityPatch(pod(), 'team', 'other', associations)).to.deep.equal([]);
  });
});
