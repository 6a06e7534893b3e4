/**
 * Command-line wiring: argv → options → the pipeline → printed report → exit
 * code. No scanning or policy logic lives here. Heavy modules are imported
 * inside the command that needs them, so `aitool check` in a git hook loads
 * only what it uses.
 */
import { Command, CommanderError, Option } from 'commander';
import type { ChalkInstance } from 'chalk';
import { EXIT_ERROR, EXIT_OK, UserError } from './errors.js';
import type { FailOn } from './report/types.js';
import { VERSION } from './version.js';

interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: Record<string, string | undefined>;
  cwd: string;
}

interface ColorOptions {
  color?: boolean;
}

/**
 * Colour level, most explicit first: `--no-color`/`--color`, then FORCE_COLOR
 * (which, as in Node itself, wins over NO_COLOR), then NO_COLOR, then whether
 * the stream is a terminal.
 */
export function colorLevel(flag: boolean | undefined, env: Io['env'], isTTY: boolean): 0 | 1 | 2 | 3 {
  if (flag === false) return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    if (force === '2' || force === '3') return Number(force) as 2 | 3;
    return 1;
  }
  if (flag === true) return 1;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (!isTTY || env.TERM === 'dumb') return 0;
  if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return 3;
  return env.TERM?.includes('256') ? 2 : 1;
}

async function chalkFor(options: ColorOptions, io: Io): Promise<ChalkInstance> {
  const { Chalk } = await import('chalk');
  return new Chalk({ level: colorLevel(options.color, io.env, io.stdout.isTTY === true) });
}

const failOnOption = () =>
  new Option('--fail-on <action>', 'exit 1 when a finding is at or above this action').choices(['block', 'warn', 'never']).default('block');
const formatOption = (formats: string[]) => new Option('--format <format>', 'output format').choices(formats).default('text');
const policyOption = () => new Option('--policy <file>', 'policy file, the topmost layer (also AITOOL_POLICY)');

function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('aitool')
    .description('Find AI coding tools on this machine and hold them to your organisation\'s policy.')
    .version(VERSION, '-v, --version')
    .option('--debug', 'show stack traces for internal errors')
    .showHelpAfterError('(run aitool --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride();

  program
    .command('check', { isDefault: true })
    .description('scan this machine, report AI tools with the policy\'s verdict, exit 1 if any is blocked')
    .addOption(policyOption())
    .addOption(formatOption(['text', 'json']))
    .addOption(failOnOption())
    .option('--color', 'force colour')
    .option('--no-color', 'no colour')
    .action(async (options: { policy?: string; format: string; failOn: FailOn } & ColorOptions) => {
      const { check, exitCodeFor } = await import('./run.js');
      const report = await check({
        cwd: io.cwd,
        env: io.env,
        failOn: options.failOn,
        ...(options.policy ? { policyFile: options.policy } : {}),
      });
      if (options.format === 'json') {
        const { formatJson } = await import('./report/json.js');
        io.stdout.write(formatJson(report));
      } else {
        const { formatText } = await import('./report/text.js');
        io.stdout.write(formatText(report, await chalkFor(options, io), io.env.HOME));
      }
      setExit(exitCodeFor(report));
    });

  const policy = program.command('policy').description('show, check or describe policies');
  policy
    .command('show')
    .description('print the effective policy and the layer each value came from')
    .addOption(policyOption())
    .addOption(formatOption(['text', 'json']))
    .action(async (options: { policy?: string; format: string }) => {
      const { policyFor } = await import('./run.js');
      const { createHost } = await import('./host.js');
      const resolved = await policyFor({ cwd: io.cwd, env: io.env, ...(options.policy ? { policyFile: options.policy } : {}) }, createHost({ env: io.env }));
      if (options.format === 'json') {
        io.stdout.write(`${JSON.stringify(resolved, null, 2)}\n`);
      } else {
        const { formatPolicy } = await import('./policy/show.js');
        io.stdout.write(formatPolicy(resolved));
      }
    });
  policy
    .command('validate [file]')
    .description('check one policy file (and what it extends); without a file, every layer that applies here')
    .action(async (file: string | undefined) => {
      const { CATALOG } = await import('./catalog/index.js');
      const { createHost } = await import('./host.js');
      const host = createHost({ env: io.env });
      if (file) {
        const { validatePolicyFile } = await import('./policy/load.js');
        const warnings = await validatePolicyFile(file, { cwd: io.cwd, env: io.env, os: host.os, home: host.home, catalog: CATALOG });
        for (const w of warnings) io.stderr.write(`aitool: warning: ${[w.file, w.key, w.message].filter(Boolean).join(': ')}\n`);
        io.stdout.write(`${file}: valid\n`);
      } else {
        const { policyFor } = await import('./run.js');
        const resolved = await policyFor({ cwd: io.cwd, env: io.env }, host);
        for (const w of resolved.warnings) io.stderr.write(`aitool: warning: ${[w.file, w.key, w.message].filter(Boolean).join(': ')}\n`);
        const files = resolved.files.map((f) => f.file ?? f.layer);
        io.stdout.write(files.length > 0 ? `valid: ${files.join(', ')}\n` : 'no policy files here; the built-in default applies\n');
      }
    });
  policy
    .command('schema')
    .description('print the policy JSON Schema (the file published as policies/schema.json)')
    .action(async () => {
      const { policyJsonSchema } = await import('./policy/schema.js');
      io.stdout.write(`${JSON.stringify(policyJsonSchema(), null, 2)}\n`);
    });

  program
    .command('tools [id]')
    .description('list the catalog of AI tools, or show one tool\'s signatures and alternatives')
    .addOption(formatOption(['text', 'json']))
    .addOption(policyOption())
    .action(async (id: string | undefined, options: { format: string; policy?: string }) => {
      const { toolsCommand } = await import('./tools-command.js');
      io.stdout.write(await toolsCommand({ id, format: options.format, io, ...(options.policy ? { policyFile: options.policy } : {}) }));
    });

  program
    .command('init')
    .description('write a starter policy (.aitoolrc.yaml); asks when run in a terminal, takes flags otherwise')
    .option('--block <ids>', 'comma-separated tool ids to block')
    .option('--allow <ids>', 'comma-separated tool ids to allow')
    .addOption(new Option('--default <action>', 'action for tools the policy does not name').choices(['allow', 'warn', 'block']))
    .option('--alternative <id>', 'approved tool to point people to')
    .option('--file <path>', 'where to write it', '.aitoolrc.yaml')
    .option('--force', 'overwrite an existing file')
    .option('--yes', 'do not ask, even in a terminal')
    .action(async (options) => {
      const { initCommand } = await import('./init-command.js');
      io.stdout.write(await initCommand(options, io));
    });

  return program;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: readonly string[], io: Io = defaultIo()): Promise<number> {
  let exitCode = EXIT_OK;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end with code 0; a bad flag has already been printed.
      return error.exitCode === 0 ? EXIT_OK : EXIT_ERROR;
    }
    if (error instanceof UserError) {
      io.stderr.write(`aitool: ${error.message}\n`);
      return EXIT_ERROR;
    }
    if (errorCode(error) === 'EPIPE') return exitCode;
    const debug = argv.includes('--debug');
    const detail = debug && error instanceof Error ? `\n${error.stack}` : ' (run with --debug for details)';
    io.stderr.write(`aitool: internal error: ${error instanceof Error ? error.message : String(error)}${detail}\n`);
    return EXIT_ERROR;
  }
}

function defaultIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

export type { Io };
