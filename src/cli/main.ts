/** `satgate <command>`: dispatches to the command table in cli/commands.ts. */
import { COMMANDS } from './commands';

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([n, c]) => `  satgate ${n.padEnd(10)} ${c.summary}`);
  return `usage: satgate <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

export async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(`satgate: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  return command.load()(rest);
}
