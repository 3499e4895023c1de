// Progress of a run as plain, serialisable events: the in-process reporter emits them, child
// processes of a --parallel run send them over IPC, and the CLI renders them (live on a TTY,
// plain lines otherwise).
import type { CheckResult } from '../report/model.js';

export type ProgressEvent =
  | { type: 'run-start'; suites: string[]; totalChecks: number }
  | { type: 'suite-start'; suite: string; title: string; totalChecks: number }
  | { type: 'check-start'; suite: string; id: string; title: string }
  | { type: 'step'; suite: string; id: string; text: string }
  | { type: 'check-end'; suite: string; result: CheckResult }
  | { type: 'suite-end'; suite: string }
  | { type: 'note'; text: string };

export interface ProgressSink {
  emit(event: ProgressEvent): void;
}

