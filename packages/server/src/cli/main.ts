import { accountCommands } from './accounts.js';
import { adminCommands } from './admin.js';
import { appCommands } from './apps.js';
import { type Command, helpOf, parseOptions } from './command.js';
import { memberCommands } from './members.js';
import { type Io, printError, processIo, UsageError } from './output.js';
import { resourceServerCommands } from './resource-servers.js';
import { reviewCommands } from './reviews.js';
import { serverCommands } from './server.js';
import { tokenCommands } from './tokens.js';
import { webhookCommands } from './webhooks.js';

const COMMANDS: Command[] = [
  ...serverCommands,
  ...accountCommands,
  ...memberCommands,
  ...adminCommands,
  ...appCommands,
  ...tokenCommands,
  ...resourceServerCommands,
  ...webhookCommands,
  ...reviewCommands,
];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.words.join(' ').length));
  return [
    'Usage: porter <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.words.join(' ').padEnd(width)}  ${c.summary.split('. ')[0]}`),
    '',
    'Every command takes --help, and --json for output a script can read.',
    'Commands act on the database named by DATABASE_URL (default: file:./data/porter.db).',
  ].join('\n');
}

function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  return COMMANDS.filter((c) => c.words.every((w, i) => argv[i] === w))
    .map((command) => ({ command, rest: argv.slice(command.words.length) }))
    .sort((a, b) => b.command.words.length - a.command.words.length)[0];
}

/** Runs the CLI with `argv` (without `node porter`); returns the exit status. */
export async function run(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  io: Io = processIo,
): Promise<number> {
  const json = argv.includes('--json');
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(overview());
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    return printError(
      io,
      json,
      new UsageError(
        `unknown command "${argv.filter((a) => !a.startsWith('-')).join(' ')}" (see porter --help)`,
      ),
    );
  }
  try {
    const values = parseOptions(found.command, found.rest);
    if (values.help) {
      io.out(helpOf(found.command));
      return 0;
    }
    await found.command.run({ values, json: values.json === true, env, io });
    return 0;
  } catch (err) {
    return printError(io, json, err);
  }
}
