// JUnit XML writer: a pure function of the RunReport, built with junit-report-builder (never by
// string concatenation) so that escaping and invalid characters are handled by an XML library.
//
// Mapping (see docs/reports.md):
//   suite  -> <testsuite name="<suite>"> with run metadata as <properties>
//   check  -> <testcase name="<id> <title>" classname="kube-assay.<suite>" time="<s>">, names unique,
//             each with its own <system-out>
//   failed -> <failure message="<short message>"> (body: message + remediation), full text in <system-out>
//   skipped-> <skipped message="<reason>">
//   warn   -> a passing testcase whose <system-out> starts with "WARN:"
//   waived -> <skipped message="waived: <waiver>">; flaky -> a passing testcase, "FLAKY:" first

import { createRequire } from 'node:module';
import type { Builder, TestCase } from 'junit-report-builder';
import type { CheckResult, RunReport, SuiteResult } from './model.js';
import { toSeconds } from './format.js';
import { outcomeNote } from './outcome-note.js';
import { renderCheckText, renderFailureSummary } from './plain-text.js';

/** Root element name, shown by viewers that list report files by name. */
const ROOT_NAME = 'kube-assay';

/** Failure messages live in an attribute and are shown on one line; longer text goes to the body. */
const MAX_MESSAGE_LENGTH = 300;

// The package is CommonJS and its module.exports is a shared builder instance; its typings
// declare an ES default export instead, which NodeNext resolves to a nested `default` that does
// not exist at run time. Loading it through require gives the real object with its real type.
const sharedBuilder = createRequire(import.meta.url)('junit-report-builder') as Builder;

export function renderJUnit(report: RunReport): string {
  // The package's default export is a shared singleton; a fresh builder keeps this function pure.
  const builder = sharedBuilder.newBuilder().name(ROOT_NAME);
  const properties = runProperties(report);
  const timestamp = junitTimestamp(report.metadata.startedAt);
  const names = new UniqueNames();
  for (const suite of report.suites) {
    const testSuite = builder.testSuite().name(suite.name).time(toSeconds(suite.durationMs));
    if (timestamp) testSuite.timestamp(timestamp);
    for (const [name, value] of properties) testSuite.property(name, value);
    for (const check of suite.checks) addTestCase(testSuite.testCase(), suite, check, names.take(`${check.id} ${check.title}`));
  }
  return `${builder.build()}\n`;
}

/** Viewers key history by testcase name (GitLab, Jenkins) and merge duplicates, so a repeated
 *  name (e.g. two failed setup hooks) gets a ` (2)` suffix instead of hiding a result. */
class UniqueNames {
  private readonly seen = new Map<string, number>();
  take(name: string): string {
    const n = (this.seen.get(name) ?? 0) + 1;
    this.seen.set(name, n);
    return n === 1 ? name : `${name} (${n})`;
  }
}

function addTestCase(testCase: TestCase, suite: SuiteResult, check: CheckResult, name: string): void {
  testCase
    .className(`kube-assay.${suite.name}`)
    .name(name)
    .time(toSeconds(check.durationMs));
  switch (check.status) {
    case 'failed':
      testCase.failure(shortMessage(check.message ?? 'check failed'), 'failure');
      // GitLab shows the failure body rather than its message attribute, so the body repeats
      // the message and adds the remediation; the long explanation stays in system-out.
      testCase.stacktrace(cdataSafe(renderFailureSummary(check)));
      break;
    case 'skipped':
      testCase.skipped();
      setSkippedMessage(testCase, shortMessage(check.message ?? 'skipped'));
      break;
    case 'waived':
      // Accepted by a waiver: not a pass, and not a failure CI should stop on.
      testCase.skipped();
      setSkippedMessage(testCase, shortMessage(`waived: ${outcomeNote(check)}`));
      break;
    case 'flaky':
      // It passed in the end, so CI passes; system-out starts with FLAKY: and the first failure.
      break;
    case 'warn':
      // A warn check ran and did not fail the run (summarize() counts it towards `passed`), so it
      // is a passing testcase. kube-bench reports warn as <skipped>, but CI dashboards then
      // count it as "not run" and hide it; a pass whose output starts with WARN: keeps both the
      // verdict and the note visible.
      break;
    case 'passed':
      break;
  }
  // Every testcase has its own output, so a viewer that shows system-out per test never falls
  // back to the suite's (there is none) or shows an empty pane for a plain pass.
  const text = renderCheckText(check) || `${check.status.toUpperCase()}: ${check.id}`;
  testCase.standardOutput(cdataSafe(text));
}

/** junit-report-builder writes <skipped/> without the reason; viewers show the `message`
 *  attribute, so the element is given one once the builder has created it. */
function setSkippedMessage(testCase: TestCase, message: string): void {
  const build = testCase.build.bind(testCase);
  testCase.build = (parent) => {
    const element = build(parent);
    for (const child of element.children) {
      if ('name' in child && child.name === 'skipped') child.att('message', message);
    }
    return element;
  };
}

function runProperties(report: RunReport): Array<[string, string]> {
  const { metadata, summary } = report;
  const properties: Array<[string, string]> = [
    ['kube-assay.run-id', metadata.runId],
    ['kube-assay.verdict', summary.verdict],
    ['kube-assay.tool-version', metadata.tool.version],
    ['kube-assay.report-schema-version', report.schemaVersion],
    ['kube-assay.started-at', metadata.startedAt],
    ['kube-assay.finished-at', metadata.finishedAt],
    ['kube-assay.duration-ms', String(metadata.durationMs)],
    ['kube-assay.cluster.context', metadata.cluster.context],
    ['kube-assay.cluster.server', metadata.cluster.server],
    ['kube-assay.cluster.version', metadata.cluster.version],
    ['kube-assay.cluster.platform', metadata.cluster.platform],
    ['kube-assay.cluster.node-count', String(metadata.cluster.nodeCount)],
    ['kube-assay.options.suites', metadata.options.suites.join(',')],
  ];
  if (metadata.options.grep !== undefined) properties.push(['kube-assay.options.grep', metadata.options.grep]);
  return properties;
}

/** JUnit schemas type `timestamp` as a date-time without zone; the value is UTC (the zone is
 *  kept in the `kube-assay.started-at` property). */
function junitTimestamp(iso: string): string | undefined {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().slice(0, 19);
}

function shortMessage(message: string): string {
  const firstLine = message.split('\n', 1)[0] ?? '';
  const oneLine = firstLine.length < message.trimEnd().length ? `${firstLine} ...` : firstLine;
  return oneLine.length > MAX_MESSAGE_LENGTH ? `${oneLine.slice(0, MAX_MESSAGE_LENGTH - 3)}...` : oneLine;
}

/** The builder escapes only the first `]]>` in a CDATA section; a second one would end the
 *  section early and break the file, so every occurrence is defused here. */
export function cdataSafe(text: string): string {
  return text.replaceAll(']]>', ']] >');
}
