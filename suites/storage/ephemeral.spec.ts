// Storage: ephemeral volumes. emptyDir (on disk and in memory) lives as long as its pod; a
// read-only root file system still lets a container write to its volumes, and only there.
import { check, suite } from '../../src/harness/index.js';
import storage from './suite.js';
import { CheckFailure } from '../../src/harness/errors.js';
import { emptyDirLifecycle, readOnlyRootFilesystem } from '../../src/storage/ephemeral.js';

suite(storage, () => {
  check(
    'storage/emptydir-lifecycle',
    'emptyDir (disk and memory) survives a container restart and is empty after the pod is replaced',
    async (t) => {
      const results = await Promise.all([emptyDirLifecycle(t, t.namespace, 'disk'), emptyDirLifecycle(t, t.namespace, 'memory')]);
      t.attachTable('emptyDir', ['medium', 'after container restart', 'after pod replacement'], results.map((r) => [r.medium, r.afterRestart, r.afterReplace === '' ? '(empty)' : r.afterReplace]));
    },
    { tags: ['storage', 'volumes'], remediation: 'emptyDir lives in the kubelet pod directory (tmpfs for medium Memory): check the kubelet keeps it across container restarts (same pod UID) and removes it with the pod; see kubelet logs.' },
  );

  check(
    'storage/read-only-root-filesystem',
    'A container with readOnlyRootFilesystem writes to its volume and nowhere else',
    async (t) => {
      const attempts = await readOnlyRootFilesystem(t, t.namespace);
      t.attachTable(
        'writes from a container with readOnlyRootFilesystem: true',
        ['path', 'expected', 'exit code', 'output', 'verdict'],
        attempts.map((a) => [a.path, a.expected, String(a.exitCode), a.output, a.ok ? 'ok' : 'WRONG']),
        attempts.map((a) => [null, null, null, null, a.ok ? 'ok' : 'bad']),
      );
      const wrong = attempts.filter((a) => !a.ok);
      if (wrong.length > 0) {
        throw new CheckFailure(
          `${wrong.length} of ${attempts.length} writes behaved wrongly: ${wrong.map((a) => `${a.path} should be ${a.expected} but the write exited ${a.exitCode}${a.output ? ` (${a.output})` : ''}`).join('; ')}`,
        );
      }
    },
    { tags: ['storage', 'volumes', 'security'], remediation: 'readOnlyRootFilesystem is enforced by the container runtime (a read-only rootfs mount) while volumes stay writable: check the runtime (containerd/runc) version and its logs; a writable root means the setting is ignored.' },
  );
});
