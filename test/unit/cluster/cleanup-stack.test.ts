import { expect } from 'chai';
import { CleanupStack } from '../../../src/cluster/cleanup-stack.js';

describe('cleanup stack', () => {
  it('GIVEN entries registered as things are created WHEN run THEN they run newest first, once', async () => {
    const order: string[] = [];
    const stack = new CleanupStack();
    stack.push('namespace', async () => void order.push('namespace'), 'namespace');
    stack.push('pod', async () => void order.push('pod'));
    stack.push('binding', async () => void order.push('binding'));
    expect(await stack.runAll()).to.deep.equal([]);
    expect(order).to.deep.equal(['binding', 'pod', 'namespace']);
    await stack.runAll();
    expect(order).to.have.length(3);
  });

  it('GIVEN a failing entry THEN the others still run and the failure is returned', async () => {
    const order: string[] = [];
    const stack = new CleanupStack();
    stack.push('a', async () => void order.push('a'));
    stack.push('b', async () => {
      throw new Error('boom');
    });
    stack.push('c', async () => void order.push('c'));
    const failures = await stack.runAll();
    expect(order).to.deep.equal(['c', 'a']);
    expect(failures.map((f) => f.description)).to.deep.equal(['b']);
  });

  it('GIVEN a signal handler and the test teardown racing THEN both share one pass', async () => {
    let runs = 0;
    const stack = new CleanupStack();
    stack.push('slow', () => new Promise((resolve) => setImmediate(() => resolve(void runs++))));
    const [a, b] = await Promise.all([stack.runAll(), stack.runAll()]);
    expect(runs).to.equal(1);
    expect(a).to.equal(b);
  });

  it('GIVEN keep-on-failure THEN namespace entries are skipped and the rest runs', async () => {
    const order: string[] = [];
    const stack = new CleanupStack();
    stack.push('ns', async () => void order.push('ns'), 'namespace');
    stack.push('crb', async () => void order.push('crb'));
    await stack.runAll({ skipKinds: ['namespace'] });
    expect(order).to.deep.equal(['crb']);
    expect(stack.size).to.equal(0);
  });

  it('GIVEN a nested check stack THEN the run stack runs it in LIFO position', async () => {
    const order: string[] = [];
    const run = new CleanupStack();
    const check = new CleanupStack();
    run.push('run-level', async () => void order.push('run-level'));
    run.pushStack('check', check);
    check.push('check ns', async () => void order.push('check ns'));
    await run.runAll();
    expect(order).to.deep.equal(['check ns', 'run-level']);
  });

  it('GIVEN a nested check stack WHEN it is unregistered THEN the run stack no longer runs it', async () => {
    const order: string[] = [];
    const run = new CleanupStack();
    const check = new CleanupStack();
    run.push('run-level', async () => void order.push('run-level'));
    const unregister = run.pushStack('finished check', check);
    check.push('check ns', async () => void order.push('check ns'));
    expect(run.descriptions()).to.deep.equal(['run-level', 'finished check']);
    unregister();
    expect(run.descriptions()).to.deep.equal(['run-level']);
    await run.runAll();
    expect(order).to.deep.equal(['run-level']);
    expect(check.size, 'the child keeps its own entries for its owner to run').to.equal(1);
  });
});
