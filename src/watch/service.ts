/**
 * `aitool service install [--user] [--write] [--interval 30s] [--log file]`:
 * the service definition that runs `aitool watch` for the logged-in user.
 *
 * - Linux: a systemd user unit, `$XDG_CONFIG_HOME/systemd/user/aitool-watch.service`
 *   (~/.config/systemd/user), Restart=on-failure.
 * - macOS: a LaunchAgent, `~/Library/LaunchAgents/com.aitool.watch.plist`,
 *   RunAtLoad, KeepAlive (restart unless it exited cleanly).
 * - Windows: not supported (one line, exit 2).
 *
 * The file runs this node (absolute process.execPath) with this aitool's
 * bin/aitool.js (absolute), so it does not depend on the service manager's
 * PATH. Without --write it is printed on stdout (so `> file` captures just
 * the file) and what to do with it on stderr; with --write it is written
 * atomically. aitool never runs systemctl or launchctl itself: starting a
 * service is the user's decision, and the commands are printed.
 *
 * An existing file is replaced only when aitool wrote it: the file carries a
 * marker line, and a file without it (hand-written, or edited with the marker
 * removed, as the marker invites) is left alone, exit 2.
 */
import { readFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OperatingSystem } from '../catalog/schema.js';
import type { CommandIo, CommandResult } from '../commands/check.js';
import { standaloneExecutable } from '../embedded.js';
import { EXIT_OK, UserError } from '../errors.js';
import { createHost } from '../host.js';
import { writeFileAtomic } from '../output.js';
import { formatInterval, parseInterval } from './interval.js';

export interface ServiceInstallOptions {
  user?: boolean;
  write?: boolean;
  interval: string;
  log?: string;
}

/** Where the service runs and what it runs: inputs, so both formats are tested on any OS. */
export interface ServiceContext {
  os: OperatingSystem;
  home: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Resolves a relative --log. */
  cwd: string;
  /** Absolute path of the node that runs aitool, or of the standalone executable. */
  nodePath: string;
  /** Absolute path of bin/aitool.js; undefined when nodePath is the standalone executable (it runs aitool itself). */
  binPath: string | undefined;
}

/** What the service runs. */
export interface ServiceSpec {
  nodePath: string;
  binPath: string | undefined;
  /** Normalised (`30s`). */
  interval: string;
  /** Absolute. */
  log?: string;
  /** macOS: where launchd puts stdout and stderr (the JSON lines when there is no --log). */
  stdoutPath?: string;
  stderrPath?: string;
}

export const SYSTEMD_UNIT_NAME = 'aitool-watch';
export const LAUNCH_AGENT_LABEL = 'com.aitool.watch';

/** The marker line: its presence means aitool may replace the file. */
export const SYSTEMD_MARKER = '# Written by `aitool service install`; it may replace this file. Delete this line to keep your own edits.';
export const PLIST_MARKER = '<!-- Written by `aitool service install`; it may replace this file. Delete this comment to keep your own edits. -->';

/** bin/aitool.js of this installation: dist/watch/ (and src/watch/ under tests) sit two levels below the package root. */
export function defaultBinPath(): string {
  return fileURLToPath(new URL('../../bin/aitool.js', import.meta.url));
}

/**
 * What a service runs: this node and this installation's bin/aitool.js, or
 * the standalone executable running now (no bin/aitool.js in it, maybe no
 * node on the machine).
 */
export function currentProgram(): { nodePath: string; binPath: string | undefined } {
  const standalone = standaloneExecutable();
  return standalone === undefined ? { nodePath: process.execPath, binPath: defaultBinPath() } : { nodePath: standalone, binPath: undefined };
}

/** What comes before aitool's own arguments after nodePath: bin/aitool.js, or nothing for the standalone executable. */
export function scriptArgs(binPath: string | undefined): string[] {
  return binPath === undefined ? [] : [binPath];
}

/** The arguments node is given (the service runs spec.nodePath with these). */
export function watchArgs(spec: ServiceSpec): string[] {
  return [...scriptArgs(spec.binPath), 'watch', '--interval', spec.interval, ...(spec.log === undefined ? [] : ['--log', spec.log])];
}

// ---------------------------------------------------------------------------
// systemd
// ---------------------------------------------------------------------------

/**
 * One argument of an Exec line, double-quoted. Inside quotes systemd takes
 * C-style escapes (so `\` and `"` are escaped, and control characters are
 * written as escapes); `%` starts a specifier and `$` an environment variable
 * anywhere in the arguments, so both are doubled (systemd.service(5),
 * "Command lines"; systemd.syntax(7), "Quoting"). Checked with
 * `systemd-analyze verify` (systemd 252).
 */
export function systemdQuote(word: string): string {
  let out = '';
  for (const char of word) {
    const code = char.codePointAt(0)!;
    if (char === '\\') out += '\\\\';
    else if (char === '"') out += '\\"';
    else if (char === '%') out += '%%';
    else if (char === '$') out += '$$';
    else if (char === '\n') out += '\\n';
    else if (char === '\t') out += '\\t';
    else if (char === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += char;
  }
  return `"${out}"`;
}

/**
 * The executable, the first word of an Exec line, follows other rules:
 * variables are not expanded in it (so `$` stays single) and systemd refuses
 * an executable name holding quotes, backslashes or control characters however
 * it is quoted ("Executable name contains special characters"). Such a path
 * cannot be written, so it is refused here rather than in systemctl.
 */
export function systemdExecutable(file: string): string {
  // systemd's string_is_safe(): no control characters, quotes or backslashes.
  if (/[\u0000-\u001f\u007f"'\\]/.test(file)) {
    throw new UserError(`systemd does not accept an executable path with quotes, backslashes or control characters: ${JSON.stringify(file)}; run aitool with a node installed elsewhere`);
  }
  return `"${file.replace(/%/g, '%%')}"`;
}

export function systemdUnit(spec: ServiceSpec): string {
  return [
    SYSTEMD_MARKER,
    '[Unit]',
    'Description=aitool watch: report (and stop, where the policy says so) AI coding tools as they start',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${[systemdExecutable(spec.nodePath), ...watchArgs(spec).map(systemdQuote)].join(' ')}`,
    // The project policy layer is searched from the working folder: the home folder, not /.
    'WorkingDirectory=~',
    'Restart=on-failure',
    // A broken policy at start exits 2: retry slowly (a fixed file is picked up), never hit the start limit.
    'RestartSec=30',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------
// launchd
// ---------------------------------------------------------------------------

/** Text for an XML element or attribute; characters XML 1.0 cannot carry at all are refused. */
export function xmlEscape(text: string): string {
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(text)) {
    throw new UserError(`cannot put ${JSON.stringify(text)} in a property list: it holds a control character XML cannot represent`);
  }
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * A launchd property list: the label and the program's arguments, then
 * `body`, the job's other keys (lines already indented one tab).
 */
export function launchdPlist(label: string, programArguments: readonly string[], body: readonly string[]): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    PLIST_MARKER,
    '<plist version="1.0">',
    '<dict>',
    '\t<key>Label</key>',
    `\t${plistString(label)}`,
    '\t<key>ProgramArguments</key>',
    '\t<array>',
    ...programArguments.map((arg) => `\t\t${plistString(arg)}`),
    '\t</array>',
    ...body,
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}

/** A `<string>` of a property list. */
export function plistString(value: string): string {
  return `<string>${xmlEscape(value)}</string>`;
}

export function launchAgentPlist(spec: ServiceSpec): string {
  return launchdPlist(LAUNCH_AGENT_LABEL, [spec.nodePath, ...watchArgs(spec)], [
    '\t<key>RunAtLoad</key>',
    '\t<true/>',
    // Restart when it fails or is killed; a clean exit (SIGTERM at logout, exit 0) stays down.
    '\t<key>KeepAlive</key>',
    '\t<dict>',
    '\t\t<key>SuccessfulExit</key>',
    '\t\t<false/>',
    '\t</dict>',
    // Same pace as systemd's RestartSec: a broken policy at start is retried slowly.
    '\t<key>ThrottleInterval</key>',
    '\t<integer>30</integer>',
    ...(spec.stdoutPath === undefined ? [] : ['\t<key>StandardOutPath</key>', `\t${plistString(spec.stdoutPath)}`]),
    ...(spec.stderrPath === undefined ? [] : ['\t<key>StandardErrorPath</key>', `\t${plistString(spec.stderrPath)}`]),
  ]);
}

// ---------------------------------------------------------------------------
// The command
// ---------------------------------------------------------------------------

/** The file to write, its text, and what the user runs afterwards. */
export interface ServiceFile {
  path: string;
  text: string;
  marker: string;
  /** Commands to enable and start it (printed, never run). */
  enable: string[];
  /** Where its output goes, in words. */
  output: string;
}

/** POSIX shell quoting for the commands shown to the user. */
function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function serviceFile(options: ServiceInstallOptions, context: ServiceContext): ServiceFile {
  if (context.os === 'windows') {
    throw new UserError('service install: Windows is not supported; run `aitool watch --log <file>` from Task Scheduler instead');
  }
  const interval = formatInterval(parseInterval(options.interval));
  const log = options.log === undefined ? undefined : path.resolve(context.cwd, options.log);
  const base = { nodePath: context.nodePath, binPath: context.binPath, interval, ...(log === undefined ? {} : { log }) };

  if (context.os === 'macos') {
    const logs = path.posix.join(context.home, 'Library', 'Logs');
    const spec: ServiceSpec = { ...base, stdoutPath: path.posix.join(logs, 'aitool-watch.log'), stderrPath: path.posix.join(logs, 'aitool-watch.err.log') };
    const file = path.posix.join(context.home, 'Library', 'LaunchAgents', `${LAUNCH_AGENT_LABEL}.plist`);
    return {
      path: file,
      text: launchAgentPlist(spec),
      marker: PLIST_MARKER,
      enable: [`launchctl bootout gui/$(id -u)/${LAUNCH_AGENT_LABEL} 2>/dev/null; launchctl bootstrap gui/$(id -u) ${shellQuote(file)}`],
      output: `its JSON lines go to ${log ?? spec.stdoutPath}, its errors to ${spec.stderrPath}`,
    };
  }

  // XDG: a relative XDG_CONFIG_HOME is invalid and ignored (as for the user policy).
  const xdg = context.env.XDG_CONFIG_HOME;
  const configHome = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(context.home, '.config');
  const file = path.posix.join(configHome, 'systemd', 'user', `${SYSTEMD_UNIT_NAME}.service`);
  return {
    path: file,
    text: systemdUnit(base),
    marker: SYSTEMD_MARKER,
    enable: [`systemctl --user daemon-reload && systemctl --user enable --now ${SYSTEMD_UNIT_NAME}`],
    output: log === undefined ? `its JSON lines go to the journal: journalctl --user -u ${SYSTEMD_UNIT_NAME} -f` : `its JSON lines go to ${log}`,
  };
}

function hasMarker(text: string, marker: string): boolean {
  return text.split(/\r?\n/).some((line) => line.trim() === marker);
}

/** The file as it is now: undefined when there is none. */
async function existing(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new UserError(`${file}: cannot read (${code ?? String(error)})`);
  }
}

export function defaultServiceContext(io: Pick<CommandIo, 'cwd' | 'env'>): ServiceContext {
  const host = createHost({ env: io.env });
  return { os: host.os, home: host.home, env: io.env, cwd: io.cwd, ...currentProgram() };
}

export async function serviceInstallCommand(
  options: ServiceInstallOptions,
  io: Pick<CommandIo, 'cwd' | 'env'>,
  context: ServiceContext = defaultServiceContext(io),
): Promise<CommandResult> {
  const service = serviceFile(options, context);
  const then = [`To start it now and at every login, run:`, ...service.enable.map((command) => `  ${command}`), `Once running, ${service.output}.`];

  if (!options.write) {
    const guidance = [
      `aitool: save this as ${service.path} (or run \`aitool service install --write\`).`,
      ...then.map((line) => `aitool: ${line}`),
    ];
    return { stdout: service.text, stderr: `${guidance.join('\n')}\n`, exitCode: EXIT_OK };
  }

  const before = await existing(service.path);
  if (before === service.text) {
    return { stdout: [`${service.path} is already up to date.`, ...then, ''].join('\n'), stderr: '', exitCode: EXIT_OK };
  }
  if (before !== undefined && !hasMarker(before, service.marker)) {
    throw new UserError(`${service.path} exists and was not written by aitool (or its marker line was removed); left as it is: move it away to install aitool's`);
  }
  await mkdir(path.dirname(service.path), { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw new UserError(`${path.dirname(service.path)}: cannot create (${error.code ?? error.message})`);
  });
  await writeFileAtomic(service.path, service.text, 0o644);
  const verb = before === undefined ? 'Wrote' : 'Updated';
  return { stdout: [`${verb} ${service.path}.`, ...then, ''].join('\n'), stderr: '', exitCode: EXIT_OK };
}
