// A minimal kubeconfig for tests: one cluster at `server`, a token user, the given contexts.
export function kubeconfigYaml(server: string, contexts: string[] = ['main'], current = contexts[0]): string {
  // client-node refuses plain http unless TLS verification is explicitly off (fake servers).
  const insecure = server.startsWith('http://') ? '\n    insecure-skip-tls-verify: true' : '';
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: c1\n  cluster:\n    server: ${server}${insecure}`,
    'users:',
    '- name: u1\n  user:\n    token: abc',
    'contexts:',
    ...contexts.map((c) => `- name: ${c}\n  context:\n    cluster: c1\n    user: u1`),
    `current-context: ${current ?? '""'}`,
    '',
  ].join('\n');
}
