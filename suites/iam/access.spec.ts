// IAM: what needs no identity at all. The API server without credentials, and each node's
// kubelet without credentials, with a plain ServiceAccount token, and on its read-only port.
import { check, suite, CheckFailure } from '../../src/harness/index.js';
import iam from './suite.js';
import { anonymousRequest, judgeAnonymous, MAY_ANSWER, MUST_REFUSE } from '../../src/iam/anonymous.js';
import { probeKubelets } from '../../src/iam/kubelet-check.js';

suite(iam, () => {
  check(
    'iam/anonymous-api',
    'Requests without credentials are refused on /api, /apis and /api/v1/namespaces (version and health may answer)',
    async (t) => {
      const answers = [];
      for (const path of [...MUST_REFUSE, ...MAY_ANSWER]) answers.push(await anonymousRequest(t.clients.kc, path));
      const verdict = judgeAnonymous(answers);
      t.attachTable('anonymous requests to the API server', ['path', 'expected', 'status', 'verdict'], verdict.rows);
      if (verdict.unanswered.length > 0) {
        throw new CheckFailure(`the probe failed: no HTTP answer to ${verdict.unanswered.map((a) => `${a.path} (${a.status})`).join(', ')}`);
      }
      if (verdict.answered.length > 0) {
        throw new CheckFailure(`unauthenticated requests were answered: ${verdict.answered.map((a) => `${a.path} ${a.status}`).join(', ')}`);
      }
    },
    {
      namespace: false,
      retryable: true,
      tags: ['iam', 'api-server', 'security'],
      remediation: 'Remove RBAC bindings to system:anonymous and system:unauthenticated beyond the default system:public-info-viewer (kubectl get clusterrolebindings,rolebindings -A -o wide | grep -E "system:(anonymous|unauthenticated)"), or start the API server with --anonymous-auth=false.',
    },
  );

  check(
    'iam/kubelet-api',
    'Every node\'s kubelet refuses anonymous requests (401) and plain ServiceAccount tokens (403) on :10250, and its read-only port 10255 is closed',
    async (t) => {
      const round = await probeKubelets(t);
      t.attachTable('kubelets', ['node', 'address', 'anonymous :10250/pods', 'ServiceAccount token', 'port 10255', 'verdict'], round.rows);
      for (const w of round.warnings) t.warn(w);
      if (round.probeFailures.length > 0) throw new CheckFailure(`the probe failed: ${round.probeFailures.join('; ')}`);
      if (round.findings.length > 0) throw new CheckFailure(round.findings.map((f) => `node ${f.node}: ${f.problem}`).join('; '));
    },
    {
      tags: ['iam', 'kubelet', 'security'],
      remediation: 'In every kubelet configuration: authentication.anonymous.enabled: false, authentication.webhook.enabled: true, authorization.mode: Webhook, readOnlyPort: 0; then restart the kubelets. Check that no tenant role grants nodes/proxy.',
    },
  );
});
