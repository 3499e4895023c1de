// iam/irsa-injection's judgement: the annotated pod's env and token (aud, sub, lifetime,
// signature), the unannotated pod's lack of them, and failurePolicy Ignore as a warning; plus how
// the webhook is found and the pod-side script's output parsed.
import { expect } from 'chai';
import type { V1MutatingWebhookConfiguration } from '@kubernetes/client-node';
import { findIrsaWebhooks, judgeIrsa, type IrsaObservation } from '../../../src/iam/irsa.js';
import { parsePodCredentials, podCredentialScript } from '../../../src/iam/pod-credentials.js';
import { keyPair, signToken } from './token-keys.js';

const ROLE = 'arn:aws:iam::111122223333:role/kube-assay-irsa-probe';
const { privateKey, jwks } = keyPair('k1');
const claims = { sub: 'system:serviceaccount:ns:irsa', aud: ['sts.amazonaws.com'], iat: 1000, exp: 1000 + 86400 };
const env = { AWS_ROLE_ARN: ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token', AWS_STS_REGIONAL_ENDPOINTS: 'regional' };

function observe(change: { claims?: Record<string, unknown>; env?: Record<string, string>; plainEnv?: Record<string, string>; key?: typeof privateKey; failurePolicy?: string } = {}): IrsaObservation {
  return {
    annotated: { account: 'ns/irsa', roleArn: ROLE, pod: 'irsa-0', view: { env: change.env ?? env, irsaToken: signToken({ ...claims, ...change.claims }, change.key ?? privateKey, 'k1') } },
    plain: { account: 'ns/plain', pod: 'plain-0', view: { env: change.plainEnv ?? {} } },
    webhooks: [{ config: 'pod-identity-webhook', webhook: 'iam-for-pods.amazonaws.com', failurePolicy: change.failurePolicy ?? 'Fail' }],
    jwks,
  };
}

describe('iam: IRSA injection verdicts', () => {
  it('GIVEN the published injection THEN no problem, and the claims table holds the payload fields only', () => {
    const j = judgeIrsa(observe());
    expect(j.problems).to.deep.equal([]);
    expect(j.warnings).to.deep.equal([]);
    expect(j.claims).to.deep.equal([{ pod: 'irsa-0', aud: 'sts.amazonaws.com', sub: 'system:serviceaccount:ns:irsa', lifetime: '24 h', signature: 'valid (kid k1)' }]);
    expect(JSON.stringify(j)).not.to.contain(observe().annotated.view.irsaToken);
  });

  it('GIVEN a wrong audience, another subject or a 48 h token THEN each is a problem with the value seen', () => {
    expect(judgeIrsa(observe({ claims: { aud: ['https://kubernetes.default.svc.cluster.local'] } })).problems.join()).to.contain('aud is https://kubernetes.default.svc.cluster.local, expected only sts.amazonaws.com');
    expect(judgeIrsa(observe({ claims: { aud: ['sts.amazonaws.com', 'extra'] } })).problems.join()).to.contain('aud is sts.amazonaws.com,extra');
    expect(judgeIrsa(observe({ claims: { sub: 'system:serviceaccount:ns:other' } })).problems.join()).to.contain('sub is system:serviceaccount:ns:other, expected system:serviceaccount:ns:irsa');
    expect(judgeIrsa(observe({ claims: { exp: 1000 + 172800 } })).problems.join()).to.contain('lives 48 h, longer than 24 h');
  });

  it('GIVEN a token the cluster did not sign THEN a problem', () => {
    expect(judgeIrsa(observe({ key: keyPair('k1').privateKey })).problems.join()).to.contain('does not verify against the cluster\'s JWKS');
  });

  it('GIVEN no env or another role THEN problems; GIVEN the unannotated pod got the env THEN a problem naming it', () => {
    const none = judgeIrsa({ ...observe(), annotated: { ...observe().annotated, view: { env: {} } } }).problems.join('; ');
    expect(none).to.contain('got no AWS_ROLE_ARN').and.to.contain('got no AWS_WEB_IDENTITY_TOKEN_FILE').and.to.contain('no readable web identity token');
    expect(judgeIrsa(observe({ env: { ...env, AWS_ROLE_ARN: 'arn:aws:iam::111122223333:role/other' } })).problems.join()).to.contain('not its ServiceAccount\'s');
    expect(judgeIrsa(observe({ plainEnv: { AWS_ROLE_ARN: ROLE } })).problems.join()).to.contain('pod plain-0 of the unannotated ServiceAccount ns/plain got AWS_ROLE_ARN');
  });

  it('GIVEN failurePolicy Ignore THEN a warning (failing open), not a problem', () => {
    const j = judgeIrsa(observe({ failurePolicy: 'Ignore' }));
    expect(j.problems).to.deep.equal([]);
    expect(j.warnings.join()).to.contain('has failurePolicy Ignore').and.to.contain('failing open');
  });

  it('GIVEN webhook configurations THEN the IRSA one is found by its name or its webhook\'s', () => {
    const configs: V1MutatingWebhookConfiguration[] = [
      { metadata: { name: 'other' }, webhooks: [{ name: 'x.example.com', admissionReviewVersions: ['v1'], clientConfig: {}, sideEffects: 'None' }] },
      { metadata: { name: 'custom' }, webhooks: [{ name: 'iam-for-pods.amazonaws.com', admissionReviewVersions: ['v1'], clientConfig: {}, sideEffects: 'None', failurePolicy: 'Ignore' }] },
    ];
    expect(findIrsaWebhooks(configs)).to.deep.equal([{ config: 'custom', webhook: 'iam-for-pods.amazonaws.com', failurePolicy: 'Ignore' }]);
    expect(findIrsaWebhooks(configs.slice(0, 1))).to.deep.equal([]);
  });

  it('GIVEN the pod script\'s output THEN env and tokens; the script reads both token files', () => {
    const view = parsePodCredentials(`env AWS_ROLE_ARN ${ROLE}\nenv AWS_CONTAINER_CREDENTIALS_FULL_URI http://169.254.170.23/v1/credentials\ntoken irsa a.b.c\nnoise\n`);
    expect(view).to.deep.equal({ env: { AWS_ROLE_ARN: ROLE, AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials' }, irsaToken: 'a.b.c' });
    expect(podCredentialScript()).to.contain('${AWS_WEB_IDENTITY_TOKEN_FILE:-/var/run/secrets/eks.amazonaws.com/serviceaccount/token}')
      .and.to.contain('/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token');
  });
});
