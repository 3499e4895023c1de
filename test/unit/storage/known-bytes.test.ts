import { expect } from 'chai';
import { compareBytes, knownContent, parseSha256sum, sha256Hex, writeKnownCommand } from '../../../src/storage/known-bytes.js';

describe('storage: known bytes', () => {
  it('GIVEN the same seed THEN the content is identical; another seed THEN it differs', () => {
    expect(knownContent('run-1 local-path')).to.equal(knownContent('run-1 local-path'));
    expect(knownContent('run-1 local-path')).to.not.equal(knownContent('run-2 local-path'));
    expect(knownContent('run-1 local-path')).to.not.equal(knownContent('run-1 gp3'));
  });

  it('GIVEN content THEN it is a few KiB of shell-safe text ending in a newline', () => {
    const c = knownContent('Run 1/GP3 class!');
    expect(c.length).to.be.within(4000, 8000);
    expect(c).to.match(/^[a-z0-9 \n-]+$/);
    expect(c.endsWith('\n')).to.equal(true);
    expect(c.split('\n')[0]).to.match(/^kube-assay run-1-gp3-class line 000 [0-9a-f]{32}$/);
  });

  it('GIVEN the write command THEN it writes, syncs and prints the checksum of exactly that file', () => {
    const cmd = writeKnownCommand('/data', 'abc\n');
    expect(cmd).to.deep.equal(['sh', '-c', "printf '%s' 'abc\n' > /data/known-bytes.txt && sync && sha256sum /data/known-bytes.txt"]);
    expect(() => writeKnownCommand('/data', "it's")).to.throw('single quotes');
  });

  it('GIVEN sha256sum output THEN the hash is parsed and matches Node\'s', () => {
    const hash = sha256Hex('abc\n');
    expect(parseSha256sum(`${hash}  /data/known-bytes.txt\n`)).to.equal(hash);
    expect(parseSha256sum('sha256sum: /data/x: No such file or directory')).to.equal(undefined);
  });

  it('GIVEN bytes that differ THEN the comparison names the offset and both excerpts', () => {
    expect(compareBytes('abcdef', 'abcdef')).to.equal('');
    expect(compareBytes('abcdef', 'abcXef')).to.equal('read 6 bytes, expected 6; first difference at offset 3: expected "def", read "Xef"');
    expect(compareBytes('abcdef', 'abc')).to.equal('read 3 bytes, expected 6; first difference at offset 3: expected "def", read ""');
    expect(compareBytes('abc', '')).to.match(/^read 0 bytes, expected 3; first difference at offset 0/);
  });
});
