// A cluster component found not working while a check waited on it (kube-scheduler acting on no
// pod, kube-controller-manager creating no ServiceAccount, an image that cannot be pulled).
// Neutral: thrown by the wait helpers; the harness records it so later checks that need the
// component stop at once, and reports the component's own remediation instead of the check's.
import { DetailedError } from '../errors.js';
import type { Component } from './pod-start.js';

export class ComponentProblem extends DetailedError {
  override readonly name = 'ComponentProblem';
  readonly component: Component;
  readonly remediation: string;
  constructor(component: Component, sentence: string, remediation: string, details?: string) {
    super(sentence, { details });
    this.component = component;
    this.remediation = remediation;
  }
}
