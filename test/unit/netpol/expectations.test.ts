import { expect } from 'chai';
import { join } from 'node:path';
import { packageRoot } from '../../../src/config/paths.js';
import { ConfigError } from '../../../src/errors.js';
import { expectationNamespaces, expectationPods, loadExpectations, parseExpectations } from '../../../src/netpol/expectations.js';

const fixture = (name: string): string => join(packageRoot, 'fixtures', 'netpol', 'expectations', name);

function loadError(name: string): string {
  try {
    loadExpectations(fixture(name));
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`${name} loaded without error`);
}

describe('netpol user expectations file', () => {
  it('GIVEN a valid file THEN every entry is typed, numbered, TCP by default and named when the user gave no name', () => {
    const expectations = loadExpectations(fixture('valid.yaml'));
    expect(expectations).to.have.length(3);
    expect(expectations[0]).to.deep.include({ index: 1, name: 'the frontend reaches the database', port: 5432, protocol: 'TCP', expect: 'allowed' });
    expect(expectations[0]?.from).to.deep.equal({ namespace: 'shop', pod: { app: 'frontend' } });
    expect(expectations[1]?.name).to.equal('shop/app=batch -> shop/app=db 5432/TCP');
    expect(expectations[2]).to.deep.include({ protocol: 'UDP', expect: 'blocked' });
    expect(expectationNamespaces(expectations)).to.deep.equal(['marketing', 'shop']);
  });

  it('GIVEN a misspelt key THEN the error names the file, the JSON path, the allowed keys and the likely intended one', () => {
    const message = loadError('unknown-key.yaml');
    expect(message).to.include(fixture('unknown-key.yaml'));
    expect(message).to.include('unknown key "expcet" at $.expectations[0]');
    expect(message).to.include('did you mean "expect"?');
    expect(message).to.include('schemas/netpol-expectations.schema.json');
  });

  it('GIVEN an out-of-range port or an unknown verdict THEN the error names the path and what is allowed', () => {
    expect(loadError('bad-port.yaml')).to.include('$.expectations[0].port must be <= 65535, got 70000');
    expect(loadError('bad-expect.yaml')).to.include('$.expectations[0].expect must be one of "allowed", "blocked", got "denied"');
  });

  it('GIVEN an invalid label key, an upper-case namespace and an empty label set THEN all are rejected (the first is named, the rest counted)', () => {
    const message = loadError('bad-label.yaml');
    expect(message).to.match(/\$\.expectations\[0\]\.(from\.pod|to\.namespace|to\.pod)/);
    expect(message).to.match(/and \d+ more problems?/);
  });

  it('GIVEN two entries for the same traffic with different verdicts THEN the file is refused naming both', () => {
    expect(loadError('contradiction.yaml')).to.include('$.expectations[1] expects blocked for the same traffic that $.expectations[0] expects allowed');
  });

  it('GIVEN broken YAML or a missing file THEN the error is one sentence with the position or the reason', () => {
    expect(loadError('malformed.yaml')).to.match(/is not valid YAML at line \d+, column \d+/);
    expect(loadError('does-not-exist.yaml')).to.match(/cannot be read \(ENOENT\): check netpol\.expectationsFile/);
  });

  it('GIVEN a document without expectations or an empty list THEN it is refused', () => {
    expect(() => parseExpectations({}, 'inline')).to.throw(ConfigError, /must have required property 'expectations'/);
    expect(() => parseExpectations({ expectations: [] }, 'inline')).to.throw(ConfigError, /\$\.expectations/);
  });

  it('GIVEN expectations THEN one probe pod per namespace and label set, serving exactly the ports aimed at it', () => {
    const pods = expectationPods(loadExpectations(fixture('valid.yaml')));
    expect(pods.map((p) => p.key)).to.deep.equal(['shop/app=frontend', 'shop/app=db', 'shop/app=batch', 'marketing/app=web,tier=front']);
    expect(pods.find((p) => p.key === 'shop/app=db')?.serves).to.deep.equal([{ port: 5432, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }]);
    expect(pods.find((p) => p.key === 'shop/app=frontend')?.serves).to.deep.equal([]);
  });

  it('GIVEN the same labels written in another order THEN they are the same probe pod', () => {
    const expectations = parseExpectations({
      expectations: [
        { from: { namespace: 'a', pod: { x: '1', y: '2' } }, to: { namespace: 'b', pod: { app: 'db' } }, port: 1, expect: 'allowed' },
        { from: { namespace: 'a', pod: { y: '2', x: '1' } }, to: { namespace: 'b', pod: { app: 'db' } }, port: 2, expect: 'blocked' },
      ],
    }, 'inline');
    expect(expectationPods(expectations)).to.have.length(2);
  });
});
