/**
 * `satgate <command>`: each command lives with its feature and is loaded only when used, so `satgate fetch`
 * does not pull in Nest or TypeORM. `--help` on any command prints its usage and does nothing else.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

type Command = (argv: string[]) => Promise<number>;

const START_USAGE = `usage: satgate start [--env-file PATH]

Starts the satgate server in the foreground (the same as npm start); Ctrl-C stops it.
Configuration is environment variables (see .env.example and the README's Configuration table).
  --env-file PATH  read variables from PATH first (variables already set in the environment win);
                   without it, ./.env is read when it exists
`;

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  start: {
    summary: 'start the satgate server (same as npm start)',
    load: async () => async (argv) => {
      if (argv.includes('--help') || argv.includes('-h')) {
        process.stdout.write(START_USAGE);
        return 0;
      }
      // main.ts reads --env-file from process.argv, like `npm start -- --env-file PATH`.
      process.argv = [process.argv[0], process.argv[1], ...argv];
      require('../main');
      return new Promise<number>(() => undefined); // runs until a signal ends the process
    },
  },
};

/** Registers a command (features add theirs from cli/commands.ts). */
export function registerCommand(name: string, summary: string, load: () => Promise<Command>): void {
  COMMANDS[name] = { summary, load };
}

/** The package version, read from package.json beside the compiled tree (dist/src/cli -> repository root). */
export function version(): string {
  let dir = __dirname;
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
    const parent = path.dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([n, c]) => `  satgate ${n.padEnd(10)} ${c.summary}`);
  return (
    `usage: satgate <command> [options]\n\ncommands:\n${lines.join('\n')}\n` +
    `  satgate help [command]  this text, or a command's usage\n  satgate --version       print the version\n\n` +
    `Every command answers --help.\n`
  );
}

export async function run(argv: string[]): Promise<number> {
  require('./commands');
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    process.stdout.write(`satgate ${version()}\n`);
    return 0;
  }
  if (name === 'help' && rest[0] && COMMANDS[rest[0]]) return (await COMMANDS[rest[0]].load())(['--help']);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? process.stdout : process.stderr).write(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`satgate: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  return (await command.load())(rest);
}
