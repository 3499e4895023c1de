// The labels that mark everything kube-assay creates. They are the only thing cleanup trusts:
// an object without both labels is never modified or deleted.

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'kube-assay';
export const RUN_ID_LABEL = 'kube-assay.io/run-id';
/** Set on namespaces kept by --keep-on-failure, so the end-of-run sweep leaves them alone. */
export const KEPT_LABEL = 'kube-assay.io/kept';
/** Set on the namespace an in-cluster run's own Job runs in (`run --in-cluster`, `manifests`):
 *  it carries the run's labels, so `cleanup --run-id` removes it, but the run inside it must not
 *  sweep the ground it stands on; the workstation (or a person) removes it after retrieval. */
export const RUNNER_LABEL = 'kube-assay.io/runner';
/** Check ID of the test that owns a namespace (annotation: IDs contain '/', invalid in labels). */
export const CHECK_ID_ANNOTATION = 'kube-assay.io/check-id';

export type Labels = Record<string, string>;

export function ownershipLabels(runId: string): Labels {
  return { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [RUN_ID_LABEL]: runId };
}

/** Label selector for everything of kube-assay, or of one run. */
export function ownershipSelector(runId?: string): string {
  const managed = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;
  return runId === undefined ? managed : `${managed},${RUN_ID_LABEL}=${runId}`;
}

/** True when an object carries our labels (and the run id, when one is given). Cleanup calls this
 *  on every object it is about to delete, even after selecting by label, as a second guard. */
export function isOwnedByKubeAssay(labels: Labels | undefined, runId?: string): boolean {
  if (labels === undefined || labels[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE) return false;
  const objectRunId = labels[RUN_ID_LABEL];
  if (objectRunId === undefined || objectRunId === '') return false;
  return runId === undefined || objectRunId === runId;
}
