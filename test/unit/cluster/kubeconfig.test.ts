import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { chooseKubeconfig, isLocalhostFallback, resolveClusterAccess, type KubeconfigEnvironment } from '../../../src/cluster/kubeconfig.js';
import { ClusterAccessError, ConfigError, UsageError } from '../../../src/errors.js';
import { kubeconfigYaml } from './kubeconfig-fixture.js';

describe('kubeconfig resolution', () => {
  let dir: string;
  let env: KubeconfigEnvironment;
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ka-kubeconfig-'));
    mkdirSync(join(dir, 'home'));
    env = { env: {}, home: join(dir, 'home'), testbedKubeconfigs: [join(dir, 'testbed-kubeconfig')], serviceAccountTokenPath: join(dir, 'sa-token') };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('GIVEN nothing configured and no testbed THEN it refuses (exit 3) instead of falling back to localhost:8080', () => {
    expect(() => chooseKubeconfig(undefined, env)).to.throw(ClusterAccessError, /no cluster configured .*pass --kubeconfig FILE/);
  });

  it('GIVEN nothing configured but a testbed kubeconfig THEN it uses the testbed and says so', () => {
    write('testbed-kubeconfig', kubeconfigYaml('https://127.0.0.1:6443'));
    const choice = chooseKubeconfig(undefined, env);
    expect(choice.source).to.equal('testbed');
    expect(choice.notice).to.include("using the local testbed's");
  });

  it('prefers --kubeconfig, then KUBECONFIG, then ~/.kube/config, then in-cluster, then the testbed', () => {
    const flag = write('flag', kubeconfigYaml('https://flag:6443'));
    const fromEnv = write('env', kubeconfigYaml('https://env:6443'));
    mkdirSync(join(env.home, '.kube'));
    writeFileSync(join(env.home, '.kube', 'config'), kubeconfigYaml('https://home:6443'));
    write('sa-token', 'token');
    write('testbed-kubeconfig', kubeconfigYaml('https://testbed:6443'));
    env.env = { KUBECONFIG: fromEnv, KUBERNETES_SERVICE_HOST: '10.0.0.1' };
    expect(chooseKubeconfig(flag, env).source).to.equal('flag');
    expect(chooseKubeconfig(undefined, env).source).to.equal('KUBECONFIG');
    env.env = { KUBERNETES_SERVICE_HOST: '10.0.0.1' };
    expect(chooseKubeconfig(undefined, env).source).to.equal('home');
    rmSync(join(env.home, '.kube'), { recursive: true });
    expect(chooseKubeconfig(undefined, env).source).to.equal('in-cluster');
    env.env = {};
    expect(chooseKubeconfig(undefined, env).source).to.equal('testbed');
  });

  it('GIVEN a missing --kubeconfig or KUBECONFIG file THEN a usage error names it', () => {
    expect(() => chooseKubeconfig(join(dir, 'nope'), env)).to.throw(UsageError, /does not exist: pass an existing file with --kubeconfig/);
    env.env = { KUBECONFIG: join(dir, 'nope') };
    expect(() => chooseKubeconfig(undefined, env)).to.throw(UsageError, /KUBECONFIG names/);
  });

  it('selects --context and lists the known contexts when it is unknown', () => {
    const path = write('multi', kubeconfigYaml('https://api:6443', ['one', 'two']));
    expect(resolveClusterAccess({ kubeconfig: path, context: 'two' }, env).context).to.equal('two');
    expect(() => resolveClusterAccess({ kubeconfig: path, context: 'three' }, env)).to.throw(UsageError, /context "three" is not in .* one of one, two/);
  });

  it('GIVEN no current-context THEN it asks for --context', () => {
    const path = write('nocurrent', kubeconfigYaml('https://api:6443', ['one'], ''));
    expect(() => resolveClusterAccess({ kubeconfig: path }, env)).to.throw(ConfigError, /no usable current-context/);
  });

  it('GIVEN a file that is not YAML THEN a config error names the file', () => {
    const path = write('broken', 'clusters: [\n');
    expect(() => resolveClusterAccess({ kubeconfig: path }, env)).to.throw(ConfigError, /cannot be loaded/);
  });

  it("recognises client-node's localhost:8080 fallback", () => {
    const kc = new KubeConfig();
    kc.loadFromClusterAndUser({ name: 'cluster', server: 'http://localhost:8080', skipTLSVerify: false }, { name: 'user' });
    expect(isLocalhostFallback(kc)).to.equal(true);
    const real = new KubeConfig();
    real.loadFromString(kubeconfigYaml('https://api:6443'));
    expect(isLocalhostFallback(real)).to.equal(false);
  });
});
