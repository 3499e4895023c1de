// Result retrieval: the runner publishes size and SHA-256 of each report in its log; a transfer
// that is short or corrupt is retried and, after the last attempt, an error naming the file. A
// dropped log stream is followed again without showing a line twice.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LineSplitter, LogProgress } from '../../../src/incluster/follow.js';
import { parsePublished, publishedLines, sha256Hex, transferProblem, type PublishedFile } from '../../../src/incluster/publish.js';
import { RETRIEVE_ATTEMPTS, RetrievalError, retrieveResults } from '../../../src/incluster/retrieve.js';

describe('in-cluster result retrieval', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ka-retrieve-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const report = Buffer.from('{"schemaVersion":"1.0","summary":{"verdict":"passed"}}\n');
  const published: PublishedFile = { name: 'report.json', sha256: sha256Hex(report), bytes: report.length };

  it('GIVEN written reports THEN the published lines round-trip through a log with other lines around them', async () => {
    const path = join(dir, 'report.json');
    writeFileSync(path, report);
    const lines = await publishedLines([path], 1);
    const log = ['  PASS  conformance/api-version  API server answers', ...lines, 'holding the results for 10m'].join('\n');
    expect(parsePublished(log)).to.deep.equal({ files: [published], exitCode: 1 });
    expect(parsePublished('  PASS  x\n')).to.deep.equal({ files: [] });
  });

  it('GIVEN a truncated or altered transfer THEN the problem names the file and what differs', () => {
    expect(transferProblem(published, report)).to.equal(undefined);
    expect(transferProblem(published, report.subarray(0, 10))).to.equal(`report.json: received 10 bytes, the runner published ${report.length} (truncated)`);
    const altered = Buffer.from(report);
    altered[2] = 0x41;
    expect(transferProblem(published, altered)).to.match(/^report\.json: SHA-256 [0-9a-f]{64} differs from the published [0-9a-f]{64}$/);
  });

  it('GIVEN one truncated transfer THEN it is retried and the intact file is written', async () => {
    const said: string[] = [];
    let calls = 0;
    const written = await retrieveResults({ files: [published], exitCode: 0 }, () => Promise.resolve(++calls === 1 ? report.subarray(0, 5) : report), dir, (l) => said.push(l));
    expect(calls).to.equal(2);
    expect(written).to.deep.equal([join(dir, 'report.json')]);
    expect(readFileSync(join(dir, 'report.json'))).to.deep.equal(report);
    expect(said.join('\n')).to.include('(attempt 1/3): report.json: received 5 bytes');
  });

  it('GIVEN a transfer that stays truncated THEN retrieval fails after the last attempt and writes nothing', async () => {
    let calls = 0;
    const attempt = retrieveResults({ files: [published] }, () => Promise.resolve(Buffer.from(report.subarray(0, ++calls))), dir, () => undefined);
    const err = await attempt.then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(RetrievalError);
    expect((err as Error).message).to.match(/^could not retrieve report\.json intact after 3 attempts: report\.json: received 3 bytes/);
    expect(calls).to.equal(RETRIEVE_ATTEMPTS);
    expect(existsSync(join(dir, 'report.json'))).to.equal(false);
  });

  it('GIVEN nothing published THEN retrieval is an error, never an empty success', async () => {
    const err = await retrieveResults({ files: [] }, () => Promise.resolve(report), dir, () => undefined).then(() => undefined, (e: unknown) => e);
    expect((err as Error).message).to.equal('the runner published no result files, so there is nothing to retrieve');
  });

  it('GIVEN a log stream that dropped THEN following it again shows only the new lines, and hides the published ones', () => {
    const shown: string[] = [];
    const progress = new LogProgress((l) => shown.push(l));
    const feed = (text: string): void => {
      progress.startPass();
      const s = new LineSplitter((l) => progress.line(l));
      s.push(text);
      s.flush();
    };
    feed('a\nb\n');
    feed('a\nb\nc\nkube-assay-exit: 0\n');
    expect(shown).to.deep.equal(['a', 'b', 'c']);
    expect(progress.published().exitCode).to.equal(0);
  });
});
