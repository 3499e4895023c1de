import { expect } from 'chai';
import { collectionOfPath, refusalSentence } from '../../../src/cluster/api-refusal.js';

describe('refused requests in one sentence', () => {
  it('reads group, resource and namespace from core, grouped and cluster-wide collection paths', () => {
    expect(collectionOfPath('/api/v1/namespaces/ka-x/pods')).to.deep.equal({ group: '', resource: 'pods', namespace: 'ka-x' });
    expect(collectionOfPath('/apis/apps/v1/namespaces/ka-x/deployments')).to.deep.equal({ group: 'apps', resource: 'deployments', namespace: 'ka-x' });
    expect(collectionOfPath('/api/v1/persistentvolumes')).to.deep.equal({ group: '', resource: 'persistentvolumes' });
    expect(collectionOfPath('/api/v1/namespaces')).to.deep.equal({ group: '', resource: 'namespaces' });
  });

  it('GIVEN a 403 on a grouped resource in a namespace THEN it names the right as RBAC spells it', () => {
    expect(refusalSentence('watch', '/apis/apps/v1/namespaces/ka-x/statefulsets', 403, 'statefulsets.apps is forbidden')).to.equal(
      'cannot watch statefulsets.apps in namespace ka-x (403 Forbidden: statefulsets.apps is forbidden): the identity lacks "watch statefulsets.apps"; grant it (a Role and RoleBinding in ka-x, or a ClusterRole) or use another --context.',
    );
  });

  it('GIVEN a 403 on a cluster-wide collection THEN it asks for a ClusterRole', () => {
    expect(refusalSentence('list', '/api/v1/persistentvolumes', 403)).to.equal(
      'cannot list persistentvolumes cluster-wide (403 Forbidden): the identity lacks "list persistentvolumes"; grant it (a ClusterRole and ClusterRoleBinding) or use another --context.',
    );
  });

  it('GIVEN another final status such as 422 THEN it says asking again cannot help', () => {
    expect(refusalSentence('list', '/api/v1/namespaces/ka-x/pods', 422, 'field label not supported: spec.x')).to.equal(
      'cannot list pods in namespace ka-x (422 Unprocessable Entity: field label not supported: spec.x): the API server refuses this request as sent, so asking again cannot help.',
    );
  });
});
