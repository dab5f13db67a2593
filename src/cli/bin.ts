/** Entry for `node dist/src/cli/bin.js <command>` (what bin/satgate.js runs, and what tests spawn). */
import { run } from './main';

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`satgate: ${(err as Error)?.message ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
