import { expect } from 'chai';
import { parseFactPath, resolvePath } from '../../../src/checks/path.js';

describe('checks: fact paths', () => {
  it('GIVEN a dot path THEN it reaches the nested value', () => {
    expect(resolvePath({ authentication: { anonymous: { enabled: false } } }, parseFactPath('authentication.anonymous.enabled'))).to.deep.equal([
      { path: 'authentication.anonymous.enabled', present: true, value: false },
    ]);
  });

  it('GIVEN a quoted bracket key with dots and slashes THEN it reaches that one key', () => {
    const data = { metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } };
    const [reached] = resolvePath(data, parseFactPath('metadata.annotations["storageclass.kubernetes.io/is-default-class"]'));
    expect(reached).to.deep.equal({ path: 'metadata.annotations["storageclass.kubernetes.io/is-default-class"]', present: true, value: 'true' });
  });

  it('GIVEN [*] over a list THEN it reaches every element with its index', () => {
    const data = { spec: { containers: [{ name: 'a', resources: { limits: { cpu: '1' } } }, { name: 'b' }] } };
    expect(resolvePath(data, parseFactPath('spec.containers[*].resources.limits'))).to.deep.equal([
      { path: 'spec.containers[0].resources.limits', present: true, value: { cpu: '1' } },
      { path: 'spec.containers[1].resources.limits', present: false, value: undefined },
    ]);
  });

  it('GIVEN an index and a missing key THEN the missing value is absent at the full written path', () => {
    expect(resolvePath({ items: ['x'] }, parseFactPath('items[0]'))).to.deep.equal([{ path: 'items[0]', present: true, value: 'x' }]);
    expect(resolvePath({}, parseFactPath('a.b["c.d"]'))).to.deep.equal([{ path: 'a.b["c.d"]', present: false, value: undefined }]);
  });

  it('GIVEN a null value THEN it counts as absent', () => {
    expect(resolvePath({ a: null }, parseFactPath('a'))[0]?.present).to.equal(false);
  });

  it('GIVEN malformed paths THEN parsing fails naming the character', () => {
    expect(() => parseFactPath('a..b')).to.throw('fact path "a..b": expected a key at character 3');
    expect(() => parseFactPath('a["b"')).to.throw('fact path "a[\\"b\\"": unclosed "[" at character 2');
    expect(() => parseFactPath('a[b]')).to.throw('fact path "a[b]": bracket segment [b] must be a quoted key, an index or * at character 2');
  });
});
