/** `satgate <command>`: dispatches to the command table in cli/commands.ts; `--version` and `help` here. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMANDS } from './commands';

/** The package version, from the package.json above the compiled tree (dist/src/cli -> repository root). */
function version(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
    if (path.dirname(dir) === dir) return 'unknown';
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
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    process.stdout.write(`satgate ${version()}\n`);
    return 0;
  }
  if (name === 'help' && rest[0] && Object.hasOwn(COMMANDS, rest[0])) return COMMANDS[rest[0]].load()(['--help']);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? process.stdout : process.stderr).write(usage());
    return name ? 0 : 2;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(`satgate: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  return command.load()(rest);
}
