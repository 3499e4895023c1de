import { expect } from 'chai';
import { join } from 'node:path';
import { loadConfigFile, parseConfigText } from '../../../src/config/load.js';
import { packageRoot } from '../../../src/config/paths.js';
import { mergeConfig, parseParallel, parseTimeoutScale, resolveConfig } from '../../../src/config/resolve.js';
import { Timeouts } from '../../../src/cluster/timeouts.js';
import { closest, jsonPath } from '../../../src/config/schema-errors.js';
import { ConfigError, UsageError } from '../../../src/errors.js';
import netpol from '../../../suites/netpol/suite.js';
import storage from '../../../suites/storage/suite.js';
import { BUILT_IN_SUITES } from './suites.js';

const fixture = (name: string): string => join(packageRoot, 'fixtures', 'conformance', 'config', name);

function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return err as ConfigError;
  }
  expect.fail('expected a ConfigError');
}

describe('config file', () => {
  it('GIVEN a complete valid file WHEN loaded THEN every key is typed and relative paths resolve against the file', () => {
    const config = resolveConfig({ config: fixture('valid.yaml') }, BUILT_IN_SUITES);
    const dir = join(packageRoot, 'fixtures', 'conformance', 'config');
    expect(config).to.deep.include({
      suites: ['conformance'],
      grep: 'dns',
      reportDir: join(dir, 'out', 'reports'),
      parallel: 2,
      keepOnFailure: true,
      timeoutScale: 1.5,
      kubeconfig: join(dir, 'kube', 'config'),
      context: 'testbed',
      namespacePrefix: 'assay',
      clusterDomain: 'cluster.local',
      configFile: fixture('valid.yaml'),
    });
    expect(config.images).to.deep.equal({ probe: 'registry.example/probe:1.0', pullPolicy: 'Never' });
    expect(netpol.settings({ config, timeouts: new Timeouts(1) }).excludeNamespaces).to.deep.equal(['legacy']);
    expect(storage.settings({ config, timeouts: new Timeouts(1) }).classes).to.deep.equal(['fast', 'slow']);
  });

  it('GIVEN an unknown key WHEN loaded THEN the error names the file, the path, the allowed keys and the likely intended key', () => {
    const err = configErrorOf(() => loadConfigFile(fixture('unknown-key.yaml')));
    expect(err.message).to.include(fixture('unknown-key.yaml'));
    expect(err.message).to.include('unknown key "paralell" at $');
    expect(err.message).to.include('allowed keys: suites, grep, reportDir, parallel');
    expect(err.message).to.include('did you mean "parallel"?');
  });

  it('GIVEN an unknown nested key THEN the path points into the section', () => {
    const err = configErrorOf(() => loadConfigFile(fixture('nested-unknown.yaml')));
    expect(err.message).to.include('unknown key "prob" at $.images (allowed keys: probe, pullPolicy; did you mean "probe"?)');
  });

  it('GIVEN a wrong type THEN the error names the JSON path, the expected type and the value seen', () => {
    const err = configErrorOf(() => loadConfigFile(fixture('wrong-type.yaml')));
    expect(err.message).to.include('$.parallel must be an integer, got "four"');
  });

  it('GIVEN a value outside the allowed set THEN the error lists the allowed values', () => {
    const err = configErrorOf(() => loadConfigFile(fixture('bad-value.yaml')));
    expect(err.message).to.include('$.images.pullPolicy must be one of "Always", "IfNotPresent", "Never", got "Sometimes"');
  });

  it('GIVEN out-of-range numbers and bad patterns THEN each is reported at its path', () => {
    expect(configErrorOf(() => parseConfigText('parallel: 40', 'c.yaml')).message).to.include('$.parallel must be <= 16, got 40');
    expect(configErrorOf(() => parseConfigText('timeoutScale: 0', 'c.yaml')).message).to.include('$.timeoutScale must be > 0, got 0');
    expect(configErrorOf(() => parseConfigText('namespacePrefix: Bad_Prefix', 'c.yaml')).message).to.include('$.namespacePrefix must match the pattern');
    expect(configErrorOf(() => parseConfigText('suites: [a, a]', 'c.yaml')).message).to.include('$.suites must not list the same item twice');
  });

  it('GIVEN several problems THEN the first is explained and the rest counted', () => {
    const err = configErrorOf(() => parseConfigText('parallel: x\ngrepp: y\n', 'c.yaml'));
    expect(err.message).to.match(/\(and 1 more problem\)/);
  });

  it('GIVEN malformed YAML THEN the error gives the line and column', () => {
    const err = configErrorOf(() => loadConfigFile(fixture('malformed.yaml')));
    expect(err.message).to.match(/is not valid YAML at line \d+, column \d+/);
  });

  it('GIVEN a missing file THEN the error says it cannot be read and names --config', () => {
    const err = configErrorOf(() => loadConfigFile(fixture('does-not-exist.yaml')));
    expect(err.message).to.include('cannot be read (ENOENT)');
    expect(err.message).to.include('--config');
  });

  it('GIVEN an empty file or a list THEN empty means defaults and a list is refused', () => {
    expect(parseConfigText('', 'c.yaml')).to.deep.equal({});
    expect(parseConfigText('# only a comment\n', 'c.yaml')).to.deep.equal({});
    expect(configErrorOf(() => parseConfigText('- a\n- b\n', 'c.yaml')).message).to.include('must be a YAML mapping');
  });
});

describe('config sections declared by the suites', () => {
  it('GIVEN a section of a suite that is not installed THEN it is an unknown key naming the suites that have one', () => {
    const err = configErrorOf(() => parseConfigText('netpol:\n  excludeNamespaces: [x]\n', 'c.yaml', [storage]));
    expect(err.message).to.include('unknown key "netpol" at $');
    expect(err.message).to.include('storage');
  });

  it('GIVEN a section for a suite without config (conformance) THEN it is refused', () => {
    const err = configErrorOf(() => parseConfigText('conformance: {}\n', 'c.yaml', BUILT_IN_SUITES));
    expect(err.message).to.include('unknown key "conformance" at $');
  });

  it('GIVEN a suite section with an unknown key THEN the path points into the section and lists its keys', () => {
    const err = configErrorOf(() => parseConfigText('netpol:\n  excludeNamespace: [x]\n', 'c.yaml', BUILT_IN_SUITES));
    expect(err.message).to.include('unknown key "excludeNamespace" at $.netpol (allowed keys: excludeNamespaces, expectationsFile, probeUserNamespaces, depth, lanes, scenarioLanes; did you mean "excludeNamespaces"?)');
  });

  it("GIVEN a path in a suite section THEN it resolves against the config file's directory", () => {
    const file = parseConfigText('netpol:\n  expectationsFile: exp/netpol.yaml\n', '/etc/assay/c.yaml', BUILT_IN_SUITES);
    const config = mergeConfig(file, {}, '/etc/assay', { suites: BUILT_IN_SUITES });
    expect(netpol.settings({ config, timeouts: new Timeouts(1) }).expectationsFile).to.equal('/etc/assay/exp/netpol.yaml');
  });

  it('GIVEN no section THEN each suite gets its defaults', () => {
    const config = mergeConfig({}, {}, '/base', { suites: BUILT_IN_SUITES });
    expect(config.sections.netpol).to.deep.equal({ excludeNamespaces: [], expectationsFile: undefined, probeUserNamespaces: false, depth: 'default', lanes: 3, scenarioLanes: 1 });
    expect(Object.keys(config.sections).sort()).to.deep.equal(['cis', 'conformance', 'iam', 'netpol', 'resources', 'statefulset', 'storage']);
  });
});

describe('flags over file over defaults', () => {
  it('uses defaults when nothing is given', () => {
    const config = mergeConfig({}, {}, '/base');
    expect(config).to.deep.include({ suites: [], parallel: 1, keepOnFailure: false, timeoutScale: 1, namespacePrefix: 'ka', clusterDomain: 'cluster.local', debug: false });
    expect(config.images).to.deep.equal({ probe: undefined, pullPolicy: 'IfNotPresent' });
  });

  it('lets every flag override the file', () => {
    const config = mergeConfig(
      { suites: ['a'], grep: 'x', parallel: 2, keepOnFailure: false, timeoutScale: 2, context: 'file-ctx', reportDir: 'r' },
      { suite: ['b', 'c'], grep: 'y', parallel: '3', keepOnFailure: true, timeoutScale: '0.5', context: 'flag-ctx', reportDir: '/tmp/flag-reports' },
      '/base',
    );
    expect(config).to.deep.include({ suites: ['b', 'c'], grep: 'y', parallel: 3, keepOnFailure: true, timeoutScale: 0.5, context: 'flag-ctx', reportDir: '/tmp/flag-reports' });
  });

  it('refuses bad flag values with a usage error that shows a valid example', () => {
    expect(() => parseParallel('0')).to.throw(UsageError, /--parallel must be a whole number from 1 to 16, got "0"/);
    expect(() => parseParallel('two')).to.throw(UsageError);
    expect(() => parseTimeoutScale('-1')).to.throw(UsageError, /--timeout-scale must be a number greater than 0/);
    expect(parseTimeoutScale('2.5')).to.equal(2.5);
  });
});

describe('schema error wording helpers', () => {
  it('renders JSON paths', () => {
    expect(jsonPath('')).to.equal('$');
    expect(jsonPath('/images/probe')).to.equal('$.images.probe');
    expect(jsonPath('/suites/0')).to.equal('$.suites[0]');
  });

  it('suggests only close keys', () => {
    expect(closest('paralell', ['parallel', 'grep'])).to.equal('parallel');
    expect(closest('zzzzzz', ['parallel', 'grep'])).to.equal(undefined);
  });
});

describe('config: netpol depth and lanes', () => {
  it('GIVEN depth thorough without lanes THEN five lanes; an unknown depth or a lane count out of range is refused', () => {
    const thorough = mergeConfig(parseConfigText('netpol:\n  depth: thorough\n', 'c.yaml', BUILT_IN_SUITES), {}, '/base', { suites: BUILT_IN_SUITES });
    expect(thorough.sections.netpol).to.deep.include({ depth: 'thorough', lanes: 5 });
    expect(configErrorOf(() => parseConfigText('netpol:\n  depth: deep\n', 'c.yaml', BUILT_IN_SUITES)).message).to.include('$.netpol.depth');
    expect(configErrorOf(() => parseConfigText('netpol:\n  lanes: 0\n', 'c.yaml', BUILT_IN_SUITES)).message).to.include('$.netpol.lanes');
  });

  it('GIVEN no scenarioLanes THEN one scenario lab; 2 is accepted, 0 or 5 is refused naming the key', () => {
    const one = mergeConfig(parseConfigText('netpol:\n  scenarioLanes: 2\n', 'c.yaml', BUILT_IN_SUITES), {}, '/base', { suites: BUILT_IN_SUITES });
    expect(one.sections.netpol).to.deep.include({ scenarioLanes: 2, lanes: 3 });
    for (const bad of [0, 5]) {
      expect(configErrorOf(() => parseConfigText(`netpol:\n  scenarioLanes: ${bad}\n`, 'c.yaml', BUILT_IN_SUITES)).message).to.include('$.netpol.scenarioLanes');
    }
  });
});
