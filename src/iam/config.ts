// The iam suite's config section (declared with the suite in suites/iam/suite.ts).
import { settingsOf, type SuiteConfigSection, type SuiteSource } from '../harness/suite-definition.js';

export interface IamConfig {
  /** Namespaces to audit; empty = every namespace but the system ones and kube-assay's. */
  namespaces: string[];
  /** Namespaces (globs with `*`) never audited. */
  excludeNamespaces: string[];
  /** How many nodes the metadata probes visit on a large cluster. */
  nodeSample: number;
  /** Opt-in: probes that need a host-network pod (in the check's own namespace, Pod Security privileged). */
  hostNetworkProbes: boolean;
  /** The role ARN iam/irsa-injection annotates its own ServiceAccount with (never assumed). */
  irsaRoleArn: string;
  /** ServiceAccounts (`namespace/name`) that have an EKS Pod Identity association, for iam/pod-identity. */
  podIdentityServiceAccounts: string[];
  /** The roles each namespace's pods are meant to get from a credential broker (kube2iam/kiam). */
  intendedRoles: Record<string, string[]>;
  /** The role a broker is meant to hand unannotated pods (its --default-role), if any. */
  defaultRole?: string;
}

export const DEFAULT_NODE_SAMPLE = 5;
/** Clearly fake: account 111122223333 is AWS's documentation account. */
export const DEFAULT_IRSA_ROLE_ARN = 'arn:aws:iam::111122223333:role/kube-assay-irsa-probe';

const NAMESPACE_NAME = { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 };
/** An IAM role name, or an ARN (`arn:aws:iam::ACCOUNT:role/PATH/NAME`). */
const ROLE_NAME = { type: 'string', pattern: '^[A-Za-z0-9+=,.@_/:-]+$', maxLength: 2048 };

export const IAM_CONFIG: SuiteConfigSection<IamConfig> = {
  description: 'Options of the IAM isolation suite.',
  properties: {
    namespaces: {
      description: 'Namespaces to audit (default: every namespace except kube-system, kube-public, kube-node-lease and those kube-assay created).',
      type: 'array',
      items: NAMESPACE_NAME,
      uniqueItems: true,
    },
    excludeNamespaces: {
      description: 'Namespaces never audited; `*` matches any run of characters.',
      type: 'array',
      items: { type: 'string', minLength: 1 },
      uniqueItems: true,
    },
    nodeSample: {
      description: `How many nodes the metadata probes visit (default: ${DEFAULT_NODE_SAMPLE}; every node when there are fewer).`,
      type: 'integer',
      minimum: 1,
      maximum: 500,
    },
    hostNetworkProbes: {
      description: 'Opt-in: also probe from a host-network pod (created in the check\'s own namespace with Pod Security privileged) to tell "blocked for pods" from "no metadata service" (default: false).',
      type: 'boolean',
    },
    irsaRoleArn: {
      description: `The IAM role ARN iam/irsa-injection puts on its own ServiceAccount (eks.amazonaws.com/role-arn); the check only looks at what the pod receives and never assumes it (default: ${DEFAULT_IRSA_ROLE_ARN}).`,
      type: 'string',
      pattern: '^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]{1,512}$',
    },
    podIdentityServiceAccounts: {
      description: 'ServiceAccounts (namespace/name) that have an EKS Pod Identity association (aws eks list-pod-identity-associations); iam/pod-identity starts a pod of each in its namespace and skips when none is named.',
      type: 'array',
      items: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$', maxLength: 317 },
      uniqueItems: true,
    },
    intendedRoles: {
      description: 'The roles a credential broker (kube2iam/kiam) is meant to hand each audited namespace\'s pods, e.g. {payments: [payments-app]}: a pod there asking for any other role is a finding.',
      type: 'object',
      propertyNames: NAMESPACE_NAME,
      additionalProperties: { type: 'array', items: ROLE_NAME, uniqueItems: true },
    },
    defaultRole: {
      description: 'The role the broker is meant to hand pods without a role annotation (kube2iam --default-role): reported as a warning; any other default role is a finding.',
      ...ROLE_NAME,
    },
  },
  resolve: (section) => ({
    namespaces: (section.namespaces as string[] | undefined) ?? [],
    excludeNamespaces: (section.excludeNamespaces as string[] | undefined) ?? [],
    nodeSample: typeof section.nodeSample === 'number' ? section.nodeSample : DEFAULT_NODE_SAMPLE,
    hostNetworkProbes: section.hostNetworkProbes === true,
    irsaRoleArn: typeof section.irsaRoleArn === 'string' ? section.irsaRoleArn : DEFAULT_IRSA_ROLE_ARN,
    podIdentityServiceAccounts: (section.podIdentityServiceAccounts as string[] | undefined) ?? [],
    intendedRoles: (section.intendedRoles as Record<string, string[]> | undefined) ?? {},
    ...(typeof section.defaultRole === 'string' ? { defaultRole: section.defaultRole } : {}),
  }),
};

export function iamSettings(source: SuiteSource): IamConfig {
  return settingsOf(source, 'iam', IAM_CONFIG);
}
