import { expect } from 'chai';
import { CommanderError } from 'commander';
import { ExitCode, exitCodeFor, formatFatalError } from '../../../src/cli/exit-codes.js';
import { ClusterAccessError, ConfigError, UsageError, WaitRefusedError, WaitTimeoutError } from '../../../src/errors.js';

describe('exit-code mapping', () => {
  it('maps each typed error to its documented code', () => {
    expect(exitCodeFor(new UsageError('x'))).to.equal(2);
    expect(exitCodeFor(new ConfigError('x'))).to.equal(2);
    expect(exitCodeFor(new CommanderError(1, 'commander.unknownOption', 'x'))).to.equal(2);
    expect(exitCodeFor(new ClusterAccessError('x'))).to.equal(3);
    expect(exitCodeFor(new WaitRefusedError(401, 'x'))).to.equal(3);
    expect(exitCodeFor(new WaitRefusedError(403, 'x'))).to.equal(3);
    expect(exitCodeFor(new WaitRefusedError(404, 'x'))).to.equal(4);
    expect(exitCodeFor(new WaitTimeoutError('t', 'x', 'y'))).to.equal(4);
    expect(exitCodeFor(new TypeError('x'))).to.equal(4);
    expect(exitCodeFor('a string')).to.equal(4);
    expect(ExitCode).to.include({ Passed: 0, Failed: 1, Usage: 2, ClusterAccess: 3, Internal: 4 });
  });

  it('GIVEN a user error THEN stderr gets its one sentence, no stack', () => {
    const text = formatFatalError(new ConfigError('config file c.yaml: $.parallel must be an integer, got "x"; fix the file.'), false);
    expect(text).to.equal('kube-assay: config file c.yaml: $.parallel must be an integer, got "x"; fix the file.');
    expect(text.split('\n')).to.have.length(1);
  });

  it('GIVEN --debug THEN the stack and causes follow', () => {
    const err = new ClusterAccessError('cannot reach the API server', { cause: new Error('ECONNREFUSED') });
    const text = formatFatalError(err, true);
    expect(text).to.include('at ');
    expect(text).to.include('caused by: Error: ECONNREFUSED');
  });

  it('GIVEN an internal error THEN it says so and points at --debug', () => {
    expect(formatFatalError(new TypeError('x is undefined'), false)).to.equal(
      'kube-assay: internal error: x is undefined (run again with --debug for the stack trace, and please report it)',
    );
  });
});
