/**
 * `satgate <command>`: each command lives with its feature and is loaded only when used, so `satgate fetch`
 * does not pull in Nest or TypeORM.
 */
type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  start: {
    summary: 'start the satgate server (same as npm start)',
    load: async () => async () => {
      require('../main');
      return new Promise<number>(() => undefined); // runs until a signal ends the process
    },
  },
};

/** Registers a command (features add theirs from cli/commands.ts). */
export function registerCommand(name: string, summary: string, load: () => Promise<Command>): void {
  COMMANDS[name] = { summary, load };
}

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([n, c]) => `  satgate ${n.padEnd(10)} ${c.summary}`);
  return `usage: satgate <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

export async function run(argv: string[]): Promise<number> {
  require('./commands');
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`satgate: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  return (await command.load())(rest);
}
