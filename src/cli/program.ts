// Command-line definition (commander) and the single place where errors end a command: each
// typed error becomes its exit code and one sentence on stderr (a stack only with --debug).
import { Command, CommanderError, Option } from 'commander';
import type { CliFlags } from '../config/types.js';
import { cleanupCommand } from './cleanup.js';
import { compareCommand, type CompareFlags } from './compare.js';
import { gateOptions } from './gate-options.js';
import { ExitCode, exitCodeFor, formatFatalError } from './exit-codes.js';
import { inClusterOptions, manifestsCommand, resultsCommand, runOrSubmit } from './incluster.js';
import { explainCommand, listCommand } from './list.js';
import { rbacCommand } from './rbac.js';
import { schemaCommand } from './schema.js';
import { toolVersion } from './version.js';

export interface Io {
  out: NodeJS.WriteStream;
  err: NodeJS.WritableStream;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function clusterOptions(cmd: Command): Command {
  return cmd
    .option('--kubeconfig <file>', 'kubeconfig file (default: KUBECONFIG, ~/.kube/config, in-cluster, then the local testbed)')
    .option('--context <name>', 'kubeconfig context to use')
    .option('--config <file>', 'YAML configuration file (see schemas/config.schema.json)')
    .option('--timeout-scale <x>', 'multiply every named timeout, e.g. 2 on a slow cluster')
    .option('--debug', 'show stack traces of errors');
}

export function buildProgram(io: Io, setCode: (code: number) => void): Command {
  const program = new Command('kube-assay')
    .description('Proves a Kubernetes cluster behaves: runs suites of checks against it and writes JUnit, JSON, HTML and SARIF reports.')
    .addHelpText('after', '\nExit codes: 0 all passed, 1 a check failed or none ran, 2 usage or configuration error,\n3 cluster unreachable or not authorised, 4 internal error (130/143 after SIGINT/SIGTERM).\ncompare and run --baseline: 0 no regression, 1 a regression under --fail-on, 2 not a valid report.')
    .option('--debug', 'show stack traces of errors')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out.write(s),
      writeErr: (s) => io.err.write(s),
      outputError: (s, write) => write(`kube-assay: ${s.trim().replace(/^error: /, '')}; see kube-assay --help.\n`),
    });

  inClusterOptions(gateOptions(clusterOptions(
    program
      .command('run')
      .description('run the chosen suites (default: all) and write junit.xml, report.json, report.html and report.sarif')
      .option('--suite <name>', 'suite to run; repeat for several (default: all)', collect)
      .option('--grep <pattern>', 'run only checks whose ID or title matches this regular expression')
      .option('--report-dir <dir>', 'directory for the reports (default: reports)')
      .addOption(new Option('--parallel <n>', 'run up to N suites at the same time, each in its own process (default: 1)'))
      .option('--keep-on-failure', "keep failed checks' namespaces for debugging"),
  ))).action(async (opts: Parameters<typeof runOrSubmit>[0]) => {
    setCode(await runOrSubmit(opts, io.out));
  });

  program
    .command('compare')
    .description('compare two report.json files (the upgrade gate): classify every check and its offenders, write compare.json, compare.html and compare-junit.xml')
    .argument('<baseline>', 'report.json of the run before the change')
    .argument('<current>', 'report.json of the run after it')
    .option('--fail-on <mode>', 'exit 1 on: new (regressions, default), any (also known failures), none')
    .option('--out <dir>', 'directory for the compare reports (default: reports)')
    .option('--waivers <file>', 'YAML waivers file applied to the current run')
    .option('--debug', 'show stack traces of errors')
    .action(async (baseline: string, current: string, opts: CompareFlags) => {
      setCode(await compareCommand(baseline, current, opts, io.out));
    });

  program
    .command('list')
    .description('list suites and their checks with stable IDs and tags (no cluster needed)')
    .option('--suite <name>', 'list only this suite; repeat for several (default: all)', collect)
    .option('--debug', 'show stack traces of errors')
    .action(async (opts: { suite?: string[] }) => {
      setCode(await listCommand(io.out, opts.suite ?? []));
    });

  program
    .command('explain')
    .description("print one check's rationale, how it is verified, its remediation and benchmark references (no cluster needed)")
    .argument('<check-id>', 'stable check ID, e.g. cis/kubelet-anonymous-auth')
    .option('--debug', 'show stack traces of errors')
    .action(async (id: string) => {
      setCode(await explainCommand(id, io.out));
    });

  clusterOptions(
    program
      .command('cleanup')
      .description("remove everything kube-assay runs left behind (found by kube-assay's labels), and nothing else")
      .option('--run-id <id>', 'only objects of this run'),
  ).action(async (opts: CliFlags & { runId?: string }) => {
    setCode(await cleanupCommand(opts, io.out));
  });

  program
    .command('rbac')
    .description('print the least-privilege ClusterRole (and binding) for running the chosen suites (default: all); no cluster needed')
    .option('--suite <name>', 'suite the role must allow; repeat for several (default: all)', collect)
    .option('--service-account <namespace/name>', 'also print a ClusterRoleBinding of the role to this ServiceAccount')
    .option('--name <name>', 'name of the ClusterRole and ClusterRoleBinding (default: kube-assay)')
    .option('--debug', 'show stack traces of errors')
    .action(async (opts: { suite?: string[]; serviceAccount?: string; name?: string }) => {
      setCode(await rbacCommand(opts, io.out));
    });

  clusterOptions(
    program
      .command('manifests')
      .description('print the objects of one in-cluster run (namespace, ServiceAccount, least-privilege RBAC, ConfigMap, Job) for kubectl apply; no cluster needed')
      .option('--suite <name>', 'suite to run; repeat for several (default: all)', collect)
      .option('--grep <pattern>', 'run only checks whose ID or title matches this regular expression')
      .option('--image <ref>', "kube-assay's image (default: the testbed's)")
      .option('--hold <seconds>', 'keep the results retrievable this long after the run (default 3600)')
      .option('--retries <n>', 'run a failed check that declares itself safe to repeat up to N more times'),
  ).action(async (opts: Parameters<typeof manifestsCommand>[0]) => {
    setCode(await manifestsCommand(opts, io.out));
  });

  clusterOptions(
    program
      .command('results')
      .description('retrieve and verify the reports of an in-cluster run (a Job from `kube-assay manifests`, or a Helm test pod); exits with its exit code')
      .requiredOption('--namespace <ns>', 'namespace of the kube-assay runner pod')
      .option('--report-dir <dir>', 'directory for the reports (default: reports)'),
  ).action(async (opts: Parameters<typeof resultsCommand>[0]) => {
    setCode(await resultsCommand(opts, io.out));
  });

  program
    .command('schema')
    .description('print the JSON Schema of the config file, with every suite\'s section (for editors and CI linting)')
    .option('--debug', 'show stack traces of errors')
    .action(async () => {
      setCode(await schemaCommand(io.out));
    });

  program
    .command('version')
    .description('print the kube-assay version')
    .action(() => {
      io.out.write(`kube-assay ${toolVersion()}\n`);
      setCode(ExitCode.Passed);
    });

  return program;
}

/** Runs the CLI with `argv` (as process.argv: node, script, args...) and returns the exit code. */
export async function main(argv: string[], io: Io = { out: process.stdout, err: process.stderr }): Promise<number> {
  let code: number = ExitCode.Passed;
  const debug = argv.includes('--debug');
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    if (argv.length <= 2) {
      program.outputHelp({ error: true });
      return ExitCode.Usage;
    }
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version output end with exit code 0; parse errors were already printed.
      return err.exitCode === 0 ? ExitCode.Passed : ExitCode.Usage;
    }
    io.err.write(`${formatFatalError(err, debug)}\n`);
    return exitCodeFor(err);
  }
}
