// Builders for storage unit tests: StorageClasses from fixtures/storage/classes, and minimal
// claims and events shaped like the API's.
import type { CoreV1Event, V1PersistentVolumeClaim, V1StorageClass } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { packageRoot } from '../../../src/config/paths.js';

export function classFixture(file: string): V1StorageClass {
  return loadYaml(readFileSync(join(packageRoot, 'fixtures', 'storage', 'classes', file), 'utf8')) as V1StorageClass;
}

export function storageClass(name: string, options: { provisioner?: string; isDefault?: boolean; beta?: boolean; created?: string; bindingMode?: string; expansion?: boolean; parameters?: Record<string, string> } = {}): V1StorageClass {
  const annotations: Record<string, string> = {};
  if (options.isDefault) annotations[options.beta ? 'storageclass.beta.kubernetes.io/is-default-class' : 'storageclass.kubernetes.io/is-default-class'] = 'true';
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name, annotations, creationTimestamp: options.created === undefined ? undefined : new Date(options.created) },
    provisioner: options.provisioner ?? 'rancher.io/local-path',
    volumeBindingMode: options.bindingMode,
    allowVolumeExpansion: options.expansion,
    parameters: options.parameters,
  };
}

export function claim(name: string, options: { storageClass?: string; phase?: string; selectedNode?: string; uid?: string } = {}): V1PersistentVolumeClaim {
  return {
    metadata: {
      name,
      namespace: 'ns',
      uid: options.uid ?? `uid-${name}`,
      annotations: options.selectedNode === undefined ? {} : { 'volume.kubernetes.io/selected-node': options.selectedNode },
    },
    spec: { storageClassName: options.storageClass, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    status: { phase: options.phase ?? 'Pending' },
  };
}

let clock = Date.parse('2026-11-21T10:00:00Z');

export function event(reason: string, message: string, component = 'persistentvolume-controller', type = 'Normal'): CoreV1Event {
  clock += 1000;
  return {
    metadata: { name: `e-${clock}` },
    involvedObject: { kind: 'PersistentVolumeClaim', name: 'c', namespace: 'ns' },
    reason,
    message,
    type,
    source: { component },
    reportingComponent: component,
    lastTimestamp: new Date(clock),
  };
}

export const externalProvisioning = (provisioner: string): CoreV1Event =>
  event('ExternalProvisioning', `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`);
