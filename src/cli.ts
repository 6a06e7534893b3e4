/**
 * Command-line wiring: argv → options → the pipeline → printed report → exit
 * code. No scanning or policy logic lives here. Heavy modules are imported
 * inside the command that needs them, so `aitool check` in a git hook loads
 * only what it uses.
 */
import type { Command } from 'commander';
import type { ChalkInstance } from 'chalk';
import { EXIT_ERROR, EXIT_OK, UserError } from './errors.js';
import type { OperatingSystem } from './catalog/schema.js';
import type { CheckCommandOptions, CommandIo } from './commands/check.js';
import { printable, printableText } from './report/escape.js';
import type { PolicyWarning } from './policy/types.js';
import type { FailOn } from './report/types.js';
import { VERSION } from './version.js';
import { isTerminal, stdioStream, stdioStreamUsed, writeStdio, type StdioName } from './stdio.js';

interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: Record<string, string | undefined>;
  cwd: string;
  /**
   * This process's own stdout and stderr: the reports of the fast paths are
   * written to the descriptors and colour is decided without building the
   * streams (see stdio.ts). The streams above are then built on first use.
   */
  direct?: boolean;
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

/** Colour follows the stream the report goes to: stdout, or stderr for a hook. */
async function chalkFor(options: ColorOptions, io: Io, stream: StdioName = 'stdout'): Promise<ChalkInstance> {
  const { Chalk } = await import('chalk');
  const isTTY = io.direct ? await isTerminal(stream) : io[stream].isTTY === true;
  return new Chalk({ level: colorLevel(options.color, io.env, isTTY) });
}

/** Writes a fast path's output or an error line. */
function emit(io: Io, stream: StdioName, text: string): void {
  if (io.direct) writeStdio(stream, text);
  else io[stream].write(text);
}

/** Refs from git for pre-push: a line per ref; more than this is not a push. */
const MAX_STDIN_BYTES = 4 * 1024 * 1024;

async function readAll(stream: NodeJS.ReadableStream, maxBytes: number): Promise<string> {
  if ((stream as NodeJS.ReadStream).isTTY) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > maxBytes) break;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The streams are getters: a command that only returns its output never builds them. */
function commandIoFor(io: Io, options: ColorOptions, colourFrom: StdioName = 'stdout'): CommandIo {
  return {
    cwd: io.cwd,
    env: io.env,
    chalk: () => chalkFor(options, io, colourFrom),
    readStdin: () => readAll(process.stdin, MAX_STDIN_BYTES),
    get stdout() {
      return io.stdout;
    },
    get stderr() {
      return io.stderr;
    },
  };
}

/** A hook's io: its report goes to stderr, so colour follows that stream. */
function hookIoFor(io: Io, options: ColorOptions): CommandIo {
  return commandIoFor(io, options, 'stderr');
}

/**
 * `hook run <hook> [--git-stdin] [args]` exactly as the installed hooks call
 * it: run without loading commander, ~10 ms that every commit would
 * otherwise pay. Anything else goes through the full command line.
 */
function plainHookRun(args: readonly string[]): { hook: string; rest: string[]; gitStdin: boolean } | undefined {
  const [command, sub, hook, ...after] = args;
  if (command !== 'hook' || sub !== 'run' || hook === undefined || hook.startsWith('-')) return undefined;
  const gitStdin = after[0] === '--git-stdin';
  const rest = gitStdin ? after.slice(1) : after;
  if (rest.some((arg) => arg.startsWith('-'))) return undefined;
  return { hook, rest, gitStdin };
}

/** `check`'s options as commander would hand them over, for the command lines the fast path takes. */
type PlainCheckOptions = CheckCommandOptions & ColorOptions;

const CHECK_CHOICES: Readonly<Record<string, readonly string[]>> = {
  '--format': ['text', 'json', 'sarif', 'ndjson', 'html', 'junit'],
  '--fail-on': ['block', 'warn', 'never'],
};
const CHECK_VALUE_OPTIONS: Readonly<Record<string, keyof CheckCommandOptions>> = {
  '--policy': 'policy',
  '--format': 'format',
  '--fail-on': 'failOn',
  '--output': 'output',
  '--commits': 'commits',
};
const CHECK_FLAGS: Readonly<Record<string, (options: PlainCheckOptions) => void>> = {
  '--commits-only': (o) => (o.commitsOnly = true),
  '--kill': (o) => (o.kill = true),
  '--dry-run': (o) => (o.dryRun = true),
  '--color': (o) => (o.color = true),
  '--no-color': (o) => (o.color = false),
};

/**
 * `check` (or nothing, check being the default) with only its own options,
 * each given once, spelled out and valid: parsed here without commander
 * (~10 ms of start-up, a sixth of a check's own time). Anything else (help,
 * `--opt=value`, a repeated or unknown option, a bad choice, --debug) returns
 * undefined and goes through commander, which says what is wrong exactly as
 * before. test/cli/fast-args.test.ts holds this equal to commander's parse.
 */
export function plainCheck(args: readonly string[]): PlainCheckOptions | undefined {
  const rest = args[0] === 'check' ? args.slice(1) : args;
  const options: PlainCheckOptions = { format: 'text', failOn: 'block' };
  const seen = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (seen.has(arg)) return undefined;
    seen.add(arg);
    const flag = CHECK_FLAGS[arg];
    if (flag) {
      flag(options);
      continue;
    }
    const key = CHECK_VALUE_OPTIONS[arg];
    const value = rest[i + 1];
    if (key === undefined || value === undefined || value === '' || value.startsWith('-')) return undefined;
    if (CHECK_CHOICES[arg] && !CHECK_CHOICES[arg].includes(value)) return undefined;
    (options as unknown as Record<string, string>)[key] = value;
    i++;
  }
  // --color and --no-color together: commander's answer depends on their order; leave it to commander.
  if (seen.has('--color') && seen.has('--no-color')) return undefined;
  return options;
}

type CommanderModule = typeof import('commander');

function buildProgram({ Command, Option }: CommanderModule, io: Io, setExit: (code: number) => void): Command {
  const failOnOption = () =>
    new Option('--fail-on <action>', 'exit 1 when a finding is at or above this action').choices(['block', 'warn', 'never']).default('block');
  const formatOption = (formats: string[]) => new Option('--format <format>', 'output format').choices(formats).default('text');
  const policyOption = () => new Option('--policy <file>', 'policy file, the topmost layer (also AITOOL_POLICY)');

  const program = new Command('aitool')
    .description('Find AI coding tools on this machine and hold them to your organisation\'s policy.')
    .version(VERSION, '-v, --version')
    .option('--debug', 'show stack traces for internal errors')
    .showHelpAfterError('(run aitool --help for usage)')
    .configureOutput({
      // Commander quotes the arguments it was given ("unknown option '…'"), which may come from anywhere.
      writeOut: (s) => io.stdout.write(printableText(s)),
      writeErr: (s) => io.stderr.write(printableText(s)),
    })
    .exitOverride();

  const commandIo = (options: ColorOptions): CommandIo => commandIoFor(io, options);
  const print = (result: { stdout: string; stderr: string; exitCode: number }) => {
    io.stdout.write(result.stdout);
    io.stderr.write(result.stderr);
    setExit(result.exitCode);
  };

  program
    .command('check', { isDefault: true })
    .description('scan this machine, report AI tools with the policy\'s verdict, exit 1 if any is blocked')
    .addOption(policyOption())
    .addOption(formatOption(['text', 'json', 'sarif', 'ndjson', 'html', 'junit']))
    .addOption(failOnOption())
    .option('--output <file>', 'write the report to this file (atomically: a collector never reads half of it) instead of stdout')
    .option('--commits <range>', 'also check these commits (a git revision range: origin/main..HEAD): AI trailers and authors, the AI tool files they add, and the agent SDKs they add to manifests and lockfiles')
    .option('--commits-only', 'with --commits: check those commits alone, as CI and the pre-receive hook do (no machine scan; the repository\'s own policy files are not read)')
    .option('--kill', 'stop the running processes of every blocked tool (SIGTERM, then SIGKILL); rules with terminate: true do so without it')
    .option('--dry-run', 'with --kill: show what would be stopped, stop nothing')
    .option('--color', 'force colour')
    .option('--no-color', 'no colour')
    .action(async (options: CheckCommandOptions & ColorOptions) => {
      const { checkCommand } = await import('./commands/check.js');
      print(await checkCommand(options, commandIo(options)));
    });

  const policy = program.command('policy').description('show, check, install or describe policies');
  policy
    .command('show')
    .description('print the effective policy and the layer each value came from')
    .addOption(policyOption())
    .addOption(formatOption(['text', 'json']))
    .action(async (options: { policy?: string; format: string }) => {
      const { policyFor } = await import('./run.js');
      const { createHost } = await import('./host.js');
      const resolved = await policyFor({ cwd: io.cwd, env: io.env, ...(options.policy ? { policyFile: options.policy } : {}) }, createHost({ env: io.env }));
      const managedFiles = resolved.files.filter((f) => f.layer === 'managed' && f.file !== undefined && !f.file.startsWith('aitool:')).map((f) => f.file!);
      const { formatManagedAccess } = await import('./policy/install.js');
      const access = await formatManagedAccess(managedFiles, createHost({ env: io.env }).os);
      if (options.format === 'json') {
        io.stdout.write(`${JSON.stringify(resolved, null, 2)}\n`);
      } else {
        const { formatPolicy } = await import('./policy/show.js');
        io.stdout.write(formatPolicy(resolved));
        const lines = [...access.lines, ...access.warnings.map((warning) => `  warning: ${warning}`)];
        if (lines.length > 0) io.stdout.write(`\nmanaged policy files (owner, mode):\n${lines.map((line) => `${printable(line)}\n`).join('')}`);
      }
      // Also on stderr, where a script running `policy show` would see it.
      for (const warning of access.warnings) io.stderr.write(`aitool: warning: ${printable(warning)}\n`);
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
        for (const w of warnings) io.stderr.write(warningLine(w));
        io.stdout.write(`${printable(file)}: valid\n`);
      } else {
        const { policyFor } = await import('./run.js');
        const resolved = await policyFor({ cwd: io.cwd, env: io.env }, host);
        for (const w of resolved.warnings) io.stderr.write(warningLine(w));
        const files = resolved.files.map((f) => printable(f.file ?? f.layer));
        io.stdout.write(files.length > 0 ? `valid: ${files.join(', ')}\n` : 'no policy files here; the built-in default applies\n');
      }
    });
  policy
    .command('install')
    .description('as root, for MDM and configuration management: check a policy file as the managed layer reads it and install it as the machine\'s managed policy (root-owned 0644, atomically, the previous one kept beside it)')
    .requiredOption('--managed <file>', 'the organisation policy to install (.yaml, .yml or .json; data only)')
    .option('--dry-run', 'check the file and print the diff against the installed policy; write nothing')
    .option('--root <dir>', 'write under this folder instead of / (a staging tree, a disk image); needs no privilege')
    .action(async (options: { managed: string; dryRun?: boolean; root?: string }) => {
      const { policyInstallCommand } = await import('./policy/install.js');
      const result = await policyInstallCommand(options, commandIo({}));
      print({ ...result, stdout: printableText(result.stdout), stderr: printableText(result.stderr) });
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

  const hook = program.command('hook').description("install, remove or run aitool's git hooks");
  hook
    .command('install')
    .description('add aitool to the repository\'s git hooks (by default commit-msg alone, checking the session, the staged files and the message in one process); an existing hook is chained, not replaced')
    .option('--pre-commit', 'a pre-commit hook as well (refusals before the editor opens): it checks the session and the staged files, commit-msg then only the message')
    .option('--commit-msg', 'the commit-msg hook (the default): the session, the staged files and AI trailers in the message')
    .option('--pre-push', 'the pre-push hook: AI trailers in the commits being pushed')
    .option('--repo <dir>', 'the repository (default: the working folder)')
    .option('--write', 'with husky or lefthook: write the snippet into their configuration instead of printing it')
    .action(async (options: { preCommit?: boolean; commitMsg?: boolean; prePush?: boolean; repo?: string; write?: boolean }) => {
      const { installHooksCommand } = await import('./hooks/command.js');
      const result = await installHooksCommand(options, io);
      io.stdout.write(printableText(result.text));
      setExit(result.exitCode);
    });
  hook
    .command('uninstall')
    .description('remove aitool from the git hooks, restoring exactly what was there before')
    .option('--repo <dir>', 'the repository (default: the working folder)')
    .action(async (options: { repo?: string }) => {
      const { uninstallHooksCommand } = await import('./hooks/command.js');
      const result = await uninstallHooksCommand(options, io);
      io.stdout.write(printableText(result.text));
      setExit(result.exitCode);
    });
  hook
    .command('run <hook> [args...]')
    .description('what an installed hook runs: commit <file> (session, staged files and message: the default commit-msg hook), pre-commit (session, staged files), commit-msg <file> (session, message), pre-push (the pushed commits, refs on stdin), pre-receive (on a server: the received commits, refs on stdin)')
    .addOption(policyOption())
    .addOption(formatOption(['text', 'json', 'sarif']))
    .addOption(failOnOption())
    .option('--color', 'force colour')
    .option('--no-color', 'no colour')
    .option('--git-stdin', "what the installed hook scripts pass: git's answers (staged files, committer) are on stdin, ending with aitool's end mark; without the mark aitool asks git itself")
    .action(async (name: string, args: string[], options: { policy?: string; format: 'text' | 'json' | 'sarif'; failOn: FailOn; gitStdin?: boolean } & ColorOptions) => {
      const { hookRunCommand } = await import('./commands/check.js');
      // A hook's report goes to stderr: colour follows that stream.
      print(await hookRunCommand(name, args, options, hookIoFor(io, options)));
    });

  program
    .command('export <target>')
    .description(
      "write the policy as the fleet's own checks (osquery, fleet) or the vendors' own controls (claude-code, vscode, copilot, gemini-cli, santa, jamf); all: every target into one folder",
    )
    .addOption(policyOption())
    .option('--output <file>', 'write to this file (atomically) instead of stdout')
    .option('--fleetd', "the hosts run Fleet's agent (fleetd): also query its ai_tools table (MCP servers, editor plugins, agent CLIs, instruction files)")
    .option('--os <os>', "for the vendors' own controls: the OS the files are for (linux, macos, windows; default: this one)")
    .action(async (target: string, options: { policy?: string; output?: string; fleetd?: boolean; os?: string }) => {
      const { exportCommand } = await import('./export/command.js');
      // stdout is the export itself (a file format, kept exact); stderr says in words what it cannot check.
      const result = await exportCommand(target, options, commandIo({}));
      print({ ...result, stderr: printableText(result.stderr) });
    });

  program
    .command('apply')
    .description("as root, for onboarding and MDM scripts: write the vendors' own settings files (what `aitool export` makes) where the tools read them, merged so nothing already there is loosened; --undo puts back what was there")
    .option('--policy <file>', 'policy file over the managed policy (apply never reads the project or user layer, nor AITOOL_POLICY)')
    .option('--targets <names>', 'comma-separated targets (default: all; claude-code, copilot, gemini-cli, vscode write files, the others say how they are deployed)')
    .option('--dry-run', 'change nothing; print a diff of each file')
    .option('--undo', 'restore every file apply changed, byte for byte, and remove what it created')
    .option('--root <dir>', 'write under this folder instead of / (a staging tree, a disk image); needs no privilege')
    .option('--os <os>', 'the OS whose paths to write (linux, macos, windows; another than this one needs --root)')
    .action(async (options: { policy?: string; targets?: string; dryRun?: boolean; undo?: boolean; root?: string; os?: string }) => {
      const { applyCommand } = await import('./apply/command.js');
      const result = await applyCommand(options, commandIo({}));
      print({ ...result, stdout: printableText(result.stdout), stderr: printableText(result.stderr) });
    });

  program
    .command('watch')
    .description('keep watching: report (and, where the policy says so, stop) AI tools as they start; one JSON line per event')
    .addOption(policyOption())
    .option('--interval <duration>', 'time between cycles (30s, 500ms, 2m)', '30s')
    .option('--log <file>', 'append the JSON lines to this file instead of stdout')
    .action(async (options: { policy?: string; interval: string; log?: string }) => {
      const { watchCommand } = await import('./watch/command.js');
      print(await watchCommand(options, commandIo({})));
    });

  const service = program.command('service').description('run `aitool watch` as a service: of the logged-in user, or (--system) of the machine');
  const osOption = () => new Option('--os <os>', 'with --system: the target OS (default: this one); another OS needs --root').choices(['linux', 'macos', 'windows']);
  service
    .command('install')
    .description('print (or with --write, install) a systemd unit, a LaunchAgent/LaunchDaemon or (--system) a Windows scheduled task')
    .option('--user', 'for the logged-in user (the default)')
    .option('--system', 'for the whole machine, as root/SYSTEM, under the managed policy')
    .option('--write', 'write the file where the service manager looks for it, instead of printing it')
    .option('--interval <duration>', 'the watch interval (default 30s); Windows --system: how often the check runs (default 5m)')
    .option('--log <file>', '--user: where the watch writes its JSON lines')
    .option('--root <dir>', 'with --system: write into this staging folder instead of /')
    .addOption(osOption())
    .action(async (options: { user?: boolean; system?: boolean; write?: boolean; interval?: string; log?: string; root?: string; os?: OperatingSystem }) => {
      if (options.system) {
        if (options.user || options.log !== undefined) throw new UserError('service install: --system takes neither --user nor --log (the system service logs where the OS keeps logs)');
        const { systemInstallCommand } = await import('./watch/service-system.js');
        const result = await systemInstallCommand(options, commandIo({}));
        print({ ...result, stdout: options.write ? printableText(result.stdout) : result.stdout, stderr: printableText(result.stderr) });
        return;
      }
      if (options.root !== undefined || options.os !== undefined) throw new UserError('service install: --root and --os go with --system');
      const { serviceInstallCommand } = await import('./watch/service.js');
      // Without --write stdout is the unit or plist itself (kept exact: `> file` captures it); the rest is words.
      const result = await serviceInstallCommand({ ...options, interval: options.interval ?? '30s' }, commandIo({}));
      print({ ...result, stdout: options.write ? printableText(result.stdout) : result.stdout, stderr: printableText(result.stderr) });
    });
  service
    .command('uninstall')
    .description('remove the system service files `service install --system --write` wrote, if unchanged')
    .option('--system', 'the system service (required: the --user file is yours to delete)')
    .option('--root <dir>', 'the staging folder it was installed into')
    .addOption(osOption())
    .action(async (options: { system?: boolean; root?: string; os?: OperatingSystem }) => {
      if (!options.system) throw new UserError('service uninstall: only --system is supported; a --user service is one file, printed by `aitool service install --user`');
      const { systemUninstallCommand } = await import('./watch/service-system.js');
      const result = await systemUninstallCommand(options, commandIo({}));
      print({ ...result, stdout: printableText(result.stdout), stderr: printableText(result.stderr) });
    });

  program
    .command('onboard')
    .description('for onboarding scripts: check this machine, say what to remove and what to install instead, install the git hooks into the given repositories; never asks')
    .option('--repo <dir>', 'a repository to install the hooks into (repeatable)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--pre-push', 'install the pre-push hook as well')
    .option('--write', 'with husky or lefthook: write aitool into their configuration instead of printing the snippet')
    .addOption(policyOption())
    .addOption(formatOption(['text', 'json']))
    .addOption(failOnOption())
    .option('--color', 'force colour')
    .option('--no-color', 'no colour')
    .action(async (options: { repo: string[]; prePush?: boolean; write?: boolean; policy?: string; format: 'text' | 'json'; failOn: FailOn } & ColorOptions) => {
      const { onboardCommand } = await import('./commands/onboard.js');
      print(await onboardCommand(options, commandIo(options)));
    });

  program
    .command('report <paths...>')
    .description("summarise many machines' collected `check --format json` or `--format ndjson` outputs (files, or folders of them) for a security team: machines × tools with the strictest verdict, counts per tool and verdict, machines that stopped reporting, unusable inputs")
    .option('--output <file>', 'write the summary as a self-contained HTML page (atomically)')
    .option('--csv <file>', 'write one row per machine as CSV (atomically); with --output, both are written')
    .option('--stale-days <n>', 'a machine whose newest report is older than this many days is listed as not reporting', '7')
    .option('--now <time>', 'the time staleness is measured from (ISO 8601; default: now)')
    .option('--max-files <n>', 'read at most this many files; the rest are counted as left out', '100000')
    .option('--max-file-size <size>', 'a file larger than this is listed as unusable, not read (16M, 512k, bytes)', '16M')
    .action(async (paths: string[], options: { output?: string; csv?: string; staleDays?: string; now?: string; maxFiles?: string; maxFileSize?: string }) => {
      const { reportCommand } = await import('./fleet/command.js');
      print(await reportCommand(paths, options));
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
      io.stdout.write(printableText(await initCommand(options, io)));
    });

  return program;
}

function warningLine(warning: PolicyWarning): string {
  return `aitool: warning: ${[warning.file, warning.key, warning.message].filter(Boolean).map(printable).join(': ')}\n`;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

/** Set when a check, a hook run or --version took the fast path and wrote its whole answer to the descriptors. */
let answeredDirectly = false;

/**
 * Whether the process may end the moment main() resolves (bin/aitool.js then
 * calls process.exit): the command was a check, a hook run or --version, and
 * its report went to the descriptors with synchronous writes, so no stream
 * holds bytes yet to be written. Ending then skips tearing the heap down
 * (~1.5 ms) and leaves behind nothing of the run that still matters: a
 * scanner stopped at its time budget may have reads in flight, and git may
 * still be listing files for a scanner the policy turned off.
 */
export function mayExitAtOnce(): boolean {
  return answeredDirectly && !stdioStreamUsed();
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: readonly string[], io: Io = defaultIo()): Promise<number> {
  let exitCode = EXIT_OK;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  let commander: CommanderModule | undefined;
  try {
    if (argv[2] === 'hook' && argv[3] === 'spare' && (argv.length === 6 || (argv.length === 7 && argv[6] === SPARE_STARTED))) {
      return await spare(argv[4]!, argv[5]!, argv.length === 7);
    }
    const plain = plainHookRun(argv.slice(2));
    if (plain) {
      const { hookRunCommand } = await import('./commands/check.js');
      const result = await hookRunCommand(plain.hook, plain.rest, { format: 'text', failOn: 'block', gitStdin: plain.gitStdin }, hookIoFor(io, {}));
      emit(io, 'stdout', result.stdout);
      emit(io, 'stderr', result.stderr);
      answeredDirectly = io.direct === true;
      return result.exitCode;
    }
    // `aitool --version` in an onboarding script: the version, without commander.
    if (argv.length === 3 && (argv[2] === '--version' || argv[2] === '-v')) {
      emit(io, 'stdout', `${VERSION}\n`);
      answeredDirectly = io.direct === true;
      return EXIT_OK;
    }
    const check = plainCheck(argv.slice(2));
    if (check) {
      const { checkCommand } = await import('./commands/check.js');
      const result = await checkCommand(check, commandIoFor(io, check));
      emit(io, 'stdout', result.stdout);
      emit(io, 'stderr', result.stderr);
      answeredDirectly = io.direct === true;
      return result.exitCode;
    }
    commander = await import('commander');
    await buildProgram(commander, io, setExit).parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (commander && error instanceof commander.CommanderError) {
      // Help and version end with code 0; a bad flag has already been printed.
      return error.exitCode === 0 ? EXIT_OK : EXIT_ERROR;
    }
    // Messages quote file names, keys and values read from the machine: escaped, the message stays one line (printable escapes newlines too).
    if (error instanceof UserError) {
      emit(io, 'stderr', `aitool: ${printable(error.message)}\n`);
      return EXIT_ERROR;
    }
    if (errorCode(error) === 'EPIPE') return exitCode;
    const debug = argv.includes('--debug');
    const detail = debug && error instanceof Error ? `\n${(error.stack ?? '').split('\n').map(printable).join('\n')}` : ' (run with --debug for details)';
    emit(io, 'stderr', `aitool: internal error: ${printable(error instanceof Error ? error.message : String(error))}${detail}\n`);
    return EXIT_ERROR;
  }
}

/** What the spare's own start adds to its command line (below). */
const SPARE_STARTED = '--started';

/**
 * `hook spare <folder> <name>` (hooks/spare.ts), as the v4 hook script
 * starts it in the background, starts the spare itself, detached (a session
 * of its own, stdio on /dev/null), and ends. The spare is thus a process
 * that holds none of what git passed the script: Node marks the descriptors
 * it inherits close-on-exec (as far as it finds them; hooks/spare.ts closes
 * the rest). The spare (`--started`) loads the modules a hook run loads, then
 * answers one hook script with this same main().
 */
async function spare(folder: string, name: string, started: boolean): Promise<number> {
  const { currentLauncher } = await import('./hooks/command.js');
  const launcher = currentLauncher();
  if (!started) {
    // Under a CI system, none (hooks/spare.ts, CI_VARIABLES): nothing should outlive the job.
    const { ciVariable, dropSpareFifos } = await import('./hooks/spare.js');
    if (ciVariable(process.env) !== undefined) {
      dropSpareFifos(folder, name);
      return EXIT_OK;
    }
    const { spawn } = await import('node:child_process');
    const [file, ...first] = 'standalone' in launcher ? [launcher.standalone] : [launcher.node, launcher.bin];
    // An empty environment: the spare takes the script's when it answers, and until then it must not look like what
    // the commit that started it ran inside (CLAUDECODE=1 in /proc/<pid>/environ, read by every check's scanners).
    spawn(file!, [...first, 'hook', 'spare', folder, name, SPARE_STARTED], { detached: true, stdio: 'ignore', env: {} }).unref();
    return EXIT_OK;
  }
  const { runSpare } = await import('./hooks/spare.js');
  const preload = (): Promise<unknown> => Promise.all([import('./commands/check.js'), import('./run.js'), import('./git/files.js'), import('./git/commits.js')]);
  let code: number = EXIT_ERROR;
  try {
    code = await runSpare(folder, name, launcher, (argv, io) => main(argv, io as unknown as Io), preload);
  } finally {
    // Answered or refused: whatever is still in flight (a scanner past its budget, a git, a timer) ends with the spare.
    process.exitCode = code;
    setImmediate(() => process.exit());
  }
  return code;
}

function defaultIo(): Io {
  return {
    get stdout() {
      return stdioStream('stdout');
    },
    get stderr() {
      return stdioStream('stderr');
    },
    env: process.env,
    // Read when a command asks: `--version` needs no working folder.
    get cwd() {
      return workingFolder();
    },
    direct: true,
  };
}

/** The working folder; one line (exit 2) instead of Node's stack when it was deleted under the shell that started aitool. */
function workingFolder(): string {
  try {
    return process.cwd();
  } catch (error) {
    throw new UserError(`the working folder cannot be read (${errorCode(error) ?? String(error)}): was it deleted?`);
  }
}

export type { Io };
