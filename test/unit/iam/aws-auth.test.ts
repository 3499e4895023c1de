// The aws-auth audit on ConfigMap data shaped like EKS's: a sound mapping has no finding; each
// known mistake is named with its entry, field and why it matters.
import { expect } from 'chai';
import { auditAwsAuth } from '../../../src/iam/aws-auth.js';

const NODE = '- rolearn: arn:aws:iam::111122223333:role/eks-node\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]\n';
const ADMINS = '- rolearn: arn:aws:iam::111122223333:role/platform-admins\n  username: platform:{{SessionName}}\n  groups: [platform-admins]\n';

const problems = (data: Record<string, string>): string[] => auditAwsAuth(data).map((f) => `${f.severity} ${f.entry} ${f.field}: ${f.seen}`);

describe('iam: aws-auth audit', () => {
  it('GIVEN a node role and a role mapped to an RBAC group THEN there is no finding', () => {
    expect(auditAwsAuth({ mapRoles: NODE + ADMINS })).to.deep.equal([]);
  });

  it('GIVEN no data or an empty ConfigMap THEN there is no finding', () => {
    expect(auditAwsAuth(undefined)).to.deep.equal([]);
    expect(auditAwsAuth({ mapRoles: '' })).to.deep.equal([]);
  });

  it('GIVEN a mapping to system:masters THEN it fails naming the ARN', () => {
    expect(problems({ mapRoles: '- rolearn: arn:aws:iam::1:role/admin\n  username: admin\n  groups: [system:masters]\n' }))
      .to.deep.equal(['fail mapRoles[0] groups: arn:aws:iam::1:role/admin -> system:masters']);
  });

  it('GIVEN a role ARN with a path and one with a wildcard THEN both are dead entries', () => {
    expect(problems({ mapRoles: '- rolearn: arn:aws:iam::1:role/teams/dev/app\n  username: a\n  groups: [g]\n- rolearn: arn:aws:iam::1:role/ci-*\n  username: b\n  groups: [g]\n' }))
      .to.deep.equal(['fail mapRoles[0] rolearn: arn:aws:iam::1:role/teams/dev/app', 'fail mapRoles[1] rolearn: arn:aws:iam::1:role/ci-*']);
    expect(auditAwsAuth({ mapRoles: '- rolearn: arn:aws:iam::1:role/teams/dev/app\n  groups: [g]\n' })[0]?.problem).to.contain('without their path (teams/dev/)');
  });

  it('GIVEN a node role with extra groups and another username THEN both are findings', () => {
    expect(problems({ mapRoles: '- rolearn: arn:aws:iam::1:role/node\n  username: node\n  groups: [system:bootstrappers, system:nodes, ops]\n' }))
      .to.deep.equal(['fail mapRoles[0] groups: ops', 'fail mapRoles[0] username: node']);
  });

  it('GIVEN user mappings, a duplicate role and a duplicate username THEN mapUsers warns and the duplicates fail', () => {
    const data = {
      mapRoles: '- rolearn: arn:aws:iam::1:role/a\n  username: dev\n  groups: [g]\n- rolearn: arn:aws:iam::1:role/a\n  username: dev2\n  groups: [g]\n',
      mapUsers: '- userarn: arn:aws:iam::1:user/alice\n  username: dev\n  groups: [g]\n',
    };
    expect(problems(data)).to.deep.equal([
      'warn mapUsers mapUsers: 1 user mapping(s)',
      'fail mapRoles[0], mapRoles[1] rolearn: arn:aws:iam::1:role/a',
      'fail mapRoles[0], mapUsers[0] username: dev',
    ]);
  });

  it('GIVEN mapRoles that is not YAML or not a list THEN it fails saying EKS ignores it', () => {
    expect(auditAwsAuth({ mapRoles: '- rolearn: [unclosed' })[0]).to.include({ severity: 'fail', seen: 'unparsable YAML' });
    expect(auditAwsAuth({ mapRoles: 'rolearn: x' })[0]).to.include({ severity: 'fail', seen: 'object' });
  });
});
