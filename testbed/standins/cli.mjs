// Command-line parsing shared by the testbed's stand-ins: `--name value` pairs, all required
// ones present, and `IP:PORT` addresses.

/** `--a 1 --b 2` -> { a: '1', b: '2' }; throws naming a bad or missing argument. */
export function parseArgs(argv, required) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i];
    const value = argv[i + 1];
    if (!key?.startsWith('--') || value === undefined) throw new Error(`bad argument ${key ?? ''}`);
    args[key.slice(2)] = value;
  }
  for (const need of required) {
    if (args[need] === undefined) throw new Error(`missing --${need}`);
  }
  return args;
}

/** `10.0.0.1:80` -> { host: '10.0.0.1', port: 80 }. */
export function hostPort(text) {
  const i = text.lastIndexOf(':');
  return { host: text.slice(0, i), port: Number(text.slice(i + 1)) };
}
