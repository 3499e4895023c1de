// Components a check of this run found not working. A later check that needs one of them does
// not wait out its own timeouts on a cluster already known to be broken: it is skipped at once,
// pointing at the finding (the run still fails through the check that found it).
import type { ComponentProblem } from '../cluster/component-problem.js';
import type { Component } from '../cluster/pod-start.js';

export interface Finding {
  component: Component;
  checkId: string;
  sentence: string;
}

/** What a check that runs pods in its own namespace needs. */
export const POD_COMPONENTS: readonly Component[] = ['kube-controller-manager', 'kube-scheduler', 'image-registry'];

export class ComponentFindings {
  private readonly byComponent = new Map<Component, Finding>();

  record(checkId: string, problem: ComponentProblem): void {
    if (!this.byComponent.has(problem.component)) this.byComponent.set(problem.component, { component: problem.component, checkId, sentence: problem.message });
  }

  /** The first finding about any of `components`, in their order, that another check than
   *  `asking` made (a retried check must run again, not skip on its own finding). */
  blocking(components: readonly Component[], asking?: string): Finding | undefined {
    for (const c of components) {
      const f = this.byComponent.get(c);
      if (f !== undefined && f.checkId !== asking) return f;
    }
    return undefined;
  }
}

/** The skip reason of a check that needs a component found not working. */
export function blockedReason(finding: Finding): string {
  const what = finding.component === 'image-registry' ? 'the probe image cannot be pulled' : `${finding.component} is not working`;
  return `not run: ${what}, as ${finding.checkId} found (${finding.sentence})`;
}
