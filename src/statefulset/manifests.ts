// The StatefulSet under test: a headless Service and a set whose replicas each get a claim from
// a volumeClaimTemplate. Each replica writes its identity (pod name and the UID of the pod that
// first wrote it) to its volume once, so a later reader can tell kept data from rewritten data.
import type { V1Service, V1StatefulSet, V1StatefulSetPersistentVolumeClaimRetentionPolicy } from '@kubernetes/client-node';
import type { Labels } from '../cluster/labels.js';
import { probeContainer } from '../cluster/pods.js';
import { probePodSpec } from '../cluster/probe-spec.js';
import type { PullPolicy } from '../config/types.js';

export const DATA_DIR = '/data';
export const IDENTITY_FILE = `${DATA_DIR}/identity`;

export function podName(set: string, ordinal: number): string {
  return `${set}-${ordinal}`;
}

/** Claims of a volumeClaimTemplate are named `<template>-<set>-<ordinal>`. */
export function claimName(template: string, set: string, ordinal: number): string {
  return `${template}-${set}-${ordinal}`;
}

export function ordinals(replicas: number): number[] {
  return Array.from({ length: replicas }, (_, i) => i);
}

/** `<pod>.<service>.<namespace>.svc.<domain>.` (trailing dot: no search domains). */
export function podFqdn(pod: string, service: string, namespace: string, clusterDomain: string): string {
  return `${pod}.${service}.${namespace}.svc.${clusterDomain}.`;
}

export function headlessService(spec: { name: string; namespace: string; labels: Labels; selector: Labels }): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels },
    // No port is needed for per-pod DNS records; one named port keeps tools that expect it happy.
    spec: { clusterIP: 'None', selector: spec.selector, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
  };
}

/** Writes `<hostname> <pod uid>` to the volume unless a previous pod already did, then idles. */
export function identityCommand(): string[] {
  return ['sh', '-c', `[ -s ${IDENTITY_FILE} ] || echo "$(hostname) $POD_UID" > ${IDENTITY_FILE}; exec /agnhost pause`];
}

export interface Identity {
  pod: string;
  uid: string;
}

export function parseIdentity(text: string): Identity | undefined {
  const match = /^(\S+) (\S+)\s*$/.exec(text.trim());
  return match === null ? undefined : { pod: match[1] as string, uid: match[2] as string };
}

export interface SetSpec {
  name: string;
  namespace: string;
  serviceName: string;
  replicas: number;
  /** Ownership labels (and anything else) for the set, its pods and its claims. */
  labels: Labels;
  selector: Labels;
  claimTemplate: string;
  claimLabels: Labels;
  size: string;
  storageClass?: string;
  retention?: V1StatefulSetPersistentVolumeClaimRetentionPolicy;
  image: string;
  pullPolicy: PullPolicy;
}

export function statefulSetManifest(spec: SetSpec): V1StatefulSet {
  const container = probeContainer({ image: spec.image, pullPolicy: spec.pullPolicy, command: identityCommand() });
  container.env = [{ name: 'POD_UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } }];
  container.volumeMounts = [{ name: spec.claimTemplate, mountPath: DATA_DIR }];
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels },
    spec: {
      serviceName: spec.serviceName,
      replicas: spec.replicas,
      // podManagementPolicy is left out on purpose: the check verifies the default, OrderedReady.
      selector: { matchLabels: spec.selector },
      ...(spec.retention === undefined ? {} : { persistentVolumeClaimRetentionPolicy: spec.retention }),
      template: {
        metadata: { labels: { ...spec.labels, ...spec.selector } },
        // The default grace period keeps statefulset/pod-replacement fast.
        spec: probePodSpec([container]),
      },
      volumeClaimTemplates: [
        {
          metadata: { name: spec.claimTemplate, labels: spec.claimLabels },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: spec.size } },
            ...(spec.storageClass === undefined ? {} : { storageClassName: spec.storageClass }),
          },
        },
      ],
    },
  };
}
