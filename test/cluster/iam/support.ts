// The unsafe (and safe) cluster states the iam cluster tests put the testbed in: labelled objects
// made with kubectl, each removed again by `undo()`, and the metadata mode switched by the
// testbed command and reset afterwards. Everything here is undone even when a test fails.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../../../src/report/model.js';
import { eventually, kubectl, kubectlOk } from '../../support/kubectl.js';
import { runCli, testbed } from '../harness/support.js';
import { checkOf, readReport } from '../storage/support.js';

export const TEST_LABELS = 'app.kubernetes.io/managed-by=kube-assay,kube-assay.io/run-id=iam-cluster-test';

export class ClusterChanges {
  private readonly undos: Array<{ what: string; run: () => Promise<unknown> }> = [];

  /** Applies YAML and registers deleting the same objects. */
  async apply(yaml: string, what: string): Promise<void> {
    this.undos.push({ what, run: () => kubectl(['delete', '--ignore-not-found', '--wait=false', '-f', '-'], { input: yaml }) });
    await kubectlOk(['apply', '-f', '-'], { input: yaml });
  }

  /** A labelled namespace whose default ServiceAccount automounts or not. The controller creates
   *  that account, so it is waited for and then changed by server-side apply (never a create race). */
  async tenantNamespace(name: string, podSecurity: 'baseline' | undefined, automount: boolean): Promise<void> {
    const [namespace, account] = namespaceYaml(name, podSecurity, automount).split('\n---\n') as [string, string];
    await this.apply(namespace, `namespace ${name}`);
    await eventually(`serviceaccount ${name}/default`, 30_000, async () => ((await kubectl(['get', 'serviceaccount', 'default', '-n', name])).code === 0 ? true : undefined));
    await kubectlOk(['apply', '--server-side', '--force-conflicts', '-f', '-'], { input: account });
  }

  async imdsMode(mode: 'open' | 'tokens-required' | 'hop-limit' | 'blocked'): Promise<void> {
    this.undos.push({ what: 'imds reset', run: () => testbed('imds', 'reset') });
    const r = await testbed('imds', mode);
    if (r.code !== 0) throw new Error(`testbed imds ${mode} failed: ${r.stderr}`);
  }

  async undo(): Promise<void> {
    for (const u of this.undos.splice(0).reverse()) {
      try {
        await u.run();
      } catch (err) {
        console.log(`      WARNING: could not undo ${u.what}: ${String(err)}`);
      }
    }
  }
}

export interface IamRun {
  code: number | null;
  report: RunReport;
  output: string;
  wallMs: number;
}

/** Runs the iam suite with `iam` (YAML lines under `iam:`) as its config, reports under `dir/name`. */
export async function runIamSuite(kubeconfig: string, dir: string, name: string, iam: string, extra: string[] = []): Promise<IamRun> {
  const config = join(dir, `${name}.yaml`);
  writeFileSync(config, `iam:\n${iam}`);
  const reportDir = join(dir, name);
  const started = Date.now();
  const run = await runCli(['run', '--suite', 'iam', '--kubeconfig', kubeconfig, '--config', config, '--report-dir', reportDir, ...extra]);
  return { code: run.code, report: readReport(reportDir), output: `${run.stdout}\n${run.stderr}`, wallMs: Date.now() - started };
}

export const statusOf = (report: RunReport, id: string): string | undefined => checkOf(report, id)?.status;
export const messageOf = (report: RunReport, id: string): string => checkOf(report, id)?.message ?? '';

export function namespaceYaml(name: string, podSecurity: 'baseline' | undefined, automount: boolean): string {
  const labels = [
    '    app.kubernetes.io/managed-by: kube-assay',
    '    kube-assay.io/run-id: iam-cluster-test',
    ...(podSecurity === undefined ? [] : [`    pod-security.kubernetes.io/enforce: ${podSecurity}`]),
  ];
  return [
    'apiVersion: v1', 'kind: Namespace', 'metadata:', `  name: ${name}`, '  labels:', ...labels, '---',
    'apiVersion: v1', 'kind: ServiceAccount', 'metadata:', '  name: default', `  namespace: ${name}`, `automountServiceAccountToken: ${automount}`,
  ].join('\n');
}

export function awsAuthYaml(mapRoles: string): string {
  return [
    'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: aws-auth', '  namespace: kube-system', '  labels:',
    '    app.kubernetes.io/managed-by: kube-assay', '    kube-assay.io/run-id: iam-cluster-test', 'data:', '  mapRoles: |',
    ...mapRoles.split('\n').map((l) => `    ${l}`),
  ].join('\n');
}

export const SAFE_MAP_ROLES = [
  '- rolearn: arn:aws:iam::111122223333:role/eks-node',
  '  username: system:node:{{EC2PrivateDNSName}}',
  '  groups: [system:bootstrappers, system:nodes]',
  '- rolearn: arn:aws:iam::111122223333:role/platform-admins',
  '  username: platform:{{SessionName}}',
  '  groups: [platform-admins]',
].join('\n');

export const UNSAFE_MAP_ROLES = [
  '- rolearn: arn:aws:iam::111122223333:role/eks-node',
  '  username: system:node:{{EC2PrivateDNSName}}',
  '  groups: [system:bootstrappers, system:nodes, ops]',
  '- rolearn: arn:aws:iam::111122223333:role/teams/admin',
  '  username: admin',
  '  groups: [system:masters]',
].join('\n');

/** Grants every ServiceAccount (and, for the API check, unauthenticated users) far too much. */
export const OVERBROAD_RBAC = [
  'apiVersion: rbac.authorization.k8s.io/v1', 'kind: ClusterRole', 'metadata:', '  name: ka-iam-test-overbroad', '  labels:',
  '    app.kubernetes.io/managed-by: kube-assay', '    kube-assay.io/run-id: iam-cluster-test', 'rules:',
  '- apiGroups: [""]', '  resources: [secrets, configmaps, pods, namespaces, nodes/proxy]', '  verbs: [get, list]', '---',
  'apiVersion: rbac.authorization.k8s.io/v1', 'kind: ClusterRoleBinding', 'metadata:', '  name: ka-iam-test-overbroad', '  labels:',
  '    app.kubernetes.io/managed-by: kube-assay', '    kube-assay.io/run-id: iam-cluster-test',
  'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ka-iam-test-overbroad}',
  'subjects:', '- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:serviceaccounts"}',
  '- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:unauthenticated"}',
].join('\n');
