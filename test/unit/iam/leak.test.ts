// No writer ever sees a secret: a metadata reply carrying a secret access key and a session
// token goes through the probe script (run against a fake nc), the parser, the verdict and the
// table into a check result, and every report writer's output is searched for both.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imdsProbeScript, parseImdsProbe } from '../../../src/iam/imds.js';
import { IMDS_TABLE_COLUMNS, imdsTable, nodeCredentialsVerdict } from '../../../src/iam/imds-verdicts.js';
import { renderHtml } from '../../../src/report/html.js';
import { renderJson } from '../../../src/report/json.js';
import { renderJUnit } from '../../../src/report/junit.js';
import { renderCheckText } from '../../../src/report/plain-text.js';
import { renderSarif } from '../../../src/report/sarif.js';
import { sampleReport } from '../../golden/sample-report.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzFAKEKEY';
const SESSION = 'IQoJb3JpZ2luX2VjEFAKESESSIONTOKEN';
const KEY_ID = 'ASIAIOSFODNN7EXAMPLE';

const FAKE_NC = `#!/bin/sh
line=$(head -1 | tr -d '\\r'); path=$(printf '%s' "$line" | cut -d' ' -f2)
case $path in
  /latest/api/token) printf 'HTTP/1.1 200 OK\\r\\n\\r\\ntok' ;;
  */security-credentials/) printf 'HTTP/1.1 200 OK\\r\\n\\r\\nnode-role' ;;
  */security-credentials/node-role) printf 'HTTP/1.1 200 OK\\r\\n\\r\\n{"AccessKeyId":"${KEY_ID}","SecretAccessKey":"${SECRET}","Token":"${SESSION}"}' ;;
esac
`;

describe('iam: secrets seen by probes never reach a report', () => {
  it('GIVEN a reply with a secret key and session token THEN no writer output contains them or the whole key id', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ka-iam-leak-'));
    try {
      writeFileSync(join(dir, 'nc'), FAKE_NC);
      chmodSync(join(dir, 'nc'), 0o755);
      const out = execFileSync('sh', ['-c', imdsProbeScript()], { env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}` }, encoding: 'utf8' });
      const observations = [{ node: 'node-a', network: 'pod network' as const, observation: parseImdsProbe(out) }];
      const verdict = nodeCredentialsVerdict(observations, false);
      expect(verdict.kind).to.equal('fail');
      const { rows, marks } = imdsTable(observations);
      const report = sampleReport();
      report.suites[0]?.checks.push({
        id: 'iam/imds-node-credentials', title: 't', status: 'failed', durationMs: 1, tags: ['iam'],
        message: verdict.kind === 'fail' ? verdict.message : '', details: out,
        attachments: [{ kind: 'table', title: 'metadata', columns: IMDS_TABLE_COLUMNS, rows, marks }],
      });
      const outputs = { script: out, junit: renderJUnit(report), json: renderJson(report), html: renderHtml(report), sarif: renderSarif(report), text: report.suites[0]?.checks.map(renderCheckText).join('\n') ?? '' };
      for (const [writer, text] of Object.entries(outputs)) {
        for (const secret of [SECRET, SESSION, KEY_ID, 'tok\n']) expect(text, `${writer} leaks ${secret}`).not.to.contain(secret);
      }
      expect(outputs.json).to.contain('ASIA…PLE').and.to.contain('node-role');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
