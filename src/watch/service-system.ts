/**
 * `aitool service install --system` / `aitool service uninstall --system`:
 * aitool for every user of the machine, run by the system's service manager
 * as root (SYSTEM on Windows), under the managed policy alone (no --policy:
 * the organisation's managed layer is what applies).
 *
 * - Linux: a systemd system unit running `aitool watch --log
 *   /var/log/aitool/watch.ndjson`, hardened only as far as the watch allows:
 *   it reads every user's /proc entries and may signal their processes when
 *   the managed policy says terminate, so the PID namespace and /proc stay
 *   visible.
 * - macOS: a LaunchDaemon doing the same, logs under /Library/Logs/aitool.
 * - Windows: a Task Scheduler task (XML) that runs `aitool check --output`
 *   at logon and every N minutes as SYSTEM: periodic collection, which the
 *   issue allows, rather than a resident watch.
 *
 * Without --write the files are printed with where they go. With --write they
 * are written (as root, or into a staging tree with --root), a manifest
 * records what was written and which folders were created, and the commands
 * that load the service are printed; aitool never runs systemctl, launchctl
 * or schtasks. Uninstall removes exactly what the manifest names, and only
 * files that still hold what aitool wrote.
 */
import { createHash } from 'node:crypto';
import { lchown, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { OperatingSystem } from '../catalog/schema.js';
import type { CommandIo, CommandResult } from '../commands/check.js';
import { EXIT_FINDINGS, EXIT_OK, UserError } from '../errors.js';
import type { Locations } from '../apply/locations.js';
import { formatInterval, parseInterval } from './interval.js';
import { currentProgram, launchdPlist, PLIST_MARKER, plistString, SYSTEMD_MARKER, scriptArgs, systemdExecutable, systemdQuote, xmlEscape } from './service.js';

export const SYSTEM_UNIT_NAME = 'aitool-watch';
export const LAUNCH_DAEMON_LABEL = 'com.aitool.watch';
export const WINDOWS_TASK_NAME = 'aitool';

export const LINUX_UNIT = `/etc/systemd/system/${SYSTEM_UNIT_NAME}.service`;
export const LINUX_LOG = '/var/log/aitool/watch.ndjson';
export const MACOS_PLIST = `/Library/LaunchDaemons/${LAUNCH_DAEMON_LABEL}.plist`;
export const MACOS_LOGS = '/Library/Logs/aitool';
export const WINDOWS_DATA = 'C:\\ProgramData\\aitool';
export const WINDOWS_TASK_XML = `${WINDOWS_DATA}\\service\\aitool-task.xml`;
export const WINDOWS_REPORT = `${WINDOWS_DATA}\\check.json`;
/** Where a standalone aitool is placed on Windows when the task is generated on another OS (no local path to use). */
export const WINDOWS_STANDALONE = 'C:\\Program Files\\aitool\\aitool.exe';

export const TASK_MARKER = '<!-- Written by `aitool service install` with the system option; uninstall removes it only while it is unchanged. -->';

export interface SystemServiceOptions {
  write?: boolean;
  root?: string;
  os?: OperatingSystem;
  /** Linux/macOS: the watch interval (default 30s). Windows: how often the check runs (default 5m, whole minutes). */
  interval?: string;
}

export interface SystemServiceContext {
  /** The OS this aitool runs on. */
  hostOs: OperatingSystem;
  /** The node that runs aitool, or the standalone executable. */
  nodePath: string;
  /** bin/aitool.js; undefined when nodePath is the standalone executable. */
  binPath: string | undefined;
  /** undefined where there is none (Windows). */
  euid: number | undefined;
}

/** One file install writes. */
export interface SystemFile {
  /** The path on the target OS. */
  logical: string;
  bytes: Buffer;
  /** Shown when printing (the task XML is written as UTF-16). */
  text: string;
  mode: number;
}

export interface SystemService {
  os: OperatingSystem;
  files: SystemFile[];
  /** Folders to create (when missing) besides the files' own, with their modes: the log folder launchd does not create. */
  folders: { logical: string; mode: number }[];
  manifest: string;
  /** Commands to load and start it (printed, never run). */
  enable: string[];
  /** Commands to stop it before uninstalling. */
  disable: string[];
  notes: string[];
}

const FILE_MODE = 0o644;
const FOLDER_MODE = 0o755;
const LOG_FOLDER_MODE = 0o750;

function manifestPath(os: OperatingSystem): string {
  switch (os) {
    case 'windows':
      return `${WINDOWS_DATA}\\service\\service.json`;
    case 'macos':
      return '/Library/Application Support/aitool/service.json';
    default:
      return '/var/lib/aitool/service.json';
  }
}

// ---------------------------------------------------------------------------
// The files
// ---------------------------------------------------------------------------

export function systemUnit(nodePath: string, binPath: string | undefined, interval: string): string {
  const args = [...scriptArgs(binPath), 'watch', '--interval', interval, '--log', LINUX_LOG];
  return [
    SYSTEMD_MARKER,
    '[Unit]',
    'Description=aitool watch for every user: report (and stop, where the managed policy says so) AI coding tools as they start',
    'After=local-fs.target',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${[systemdExecutable(nodePath), ...args.map(systemdQuote)].join(' ')}`,
    // No project policy for a machine-wide watch: / holds none, so the managed layer (with the user layer of root) applies.
    'WorkingDirectory=/',
    // root's cache folder is read-only below (ProtectHome); a resident watch loads its policy once anyway.
    'Environment=AITOOL_NO_CACHE=1',
    'Restart=on-failure',
    'RestartSec=30',
    // The log holds command lines (tokens passed as arguments): root's alone, and systemd makes the folder writable under ProtectSystem=strict.
    'LogsDirectory=aitool',
    'LogsDirectoryMode=0750',
    'UMask=0077',
    'NoNewPrivileges=yes',
    'ProtectSystem=strict',
    'ProtectHome=read-only',
    'PrivateTmp=yes',
    'PrivateDevices=yes',
    'ProtectKernelTunables=yes',
    'ProtectKernelModules=yes',
    'ProtectKernelLogs=yes',
    'ProtectControlGroups=yes',
    'ProtectClock=yes',
    'ProtectHostname=yes',
    'RestrictSUIDSGID=yes',
    'RestrictRealtime=yes',
    'LockPersonality=yes',
    // Reading other users' /proc/<pid>/{exe,cwd,environ} needs ptrace access; stopping their processes needs CAP_KILL;
    // reading their tool folders (0700 homes) needs CAP_DAC_READ_SEARCH. Nothing else. /proc stays fully visible
    // (no ProtectProc=invisible, no private PID namespace): the watch must see every user's processes.
    'CapabilityBoundingSet=CAP_KILL CAP_SYS_PTRACE CAP_DAC_READ_SEARCH',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

export function launchDaemonPlist(nodePath: string, binPath: string | undefined, interval: string): string {
  const args = [nodePath, ...scriptArgs(binPath), 'watch', '--interval', interval, '--log', `${MACOS_LOGS}/watch.ndjson`];
  return launchdPlist(LAUNCH_DAEMON_LABEL, args, [
    '\t<key>WorkingDirectory</key>',
    `\t${plistString('/')}`,
    '\t<key>EnvironmentVariables</key>',
    '\t<dict>',
    '\t\t<key>AITOOL_NO_CACHE</key>',
    `\t\t${plistString('1')}`,
    '\t</dict>',
    '\t<key>RunAtLoad</key>',
    '\t<true/>',
    '\t<key>KeepAlive</key>',
    '\t<true/>',
    '\t<key>ThrottleInterval</key>',
    '\t<integer>30</integer>',
    // Files launchd creates get this umask: the logs carry command lines.
    '\t<key>Umask</key>',
    '\t<integer>63</integer>',
    '\t<key>StandardOutPath</key>',
    `\t${plistString(`${MACOS_LOGS}/watch.out.log`)}`,
    '\t<key>StandardErrorPath</key>',
    `\t${plistString(`${MACOS_LOGS}/watch.err.log`)}`,
  ]);
}

/** One argument for a Windows command line, quoted the way CommandLineToArgvW reads it back. */
export function windowsArg(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  let out = '"';
  let backslashes = 0;
  for (const char of arg) {
    if (char === '\\') {
      backslashes++;
      continue;
    }
    // Backslashes before a quote are doubled, and the quote escaped.
    out += char === '"' ? `${'\\'.repeat(backslashes * 2 + 1)}"` : `${'\\'.repeat(backslashes)}${char}`;
    backslashes = 0;
  }
  return `${out}${'\\'.repeat(backslashes * 2)}"`;
}

/**
 * The task in the Task Scheduler schema (version 1.2, Windows 7 and later):
 * at any user's logon and every `minutes` from registration, as SYSTEM
 * (S-1-5-18) with the highest privileges, one instance at a time.
 */
export function scheduledTaskXml(command: string, args: readonly string[], minutes: number): string {
  const x = xmlEscape;
  return [
    '<?xml version="1.0" encoding="UTF-16"?>',
    TASK_MARKER,
    '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">',
    '  <RegistrationInfo>',
    '    <Description>aitool: report AI coding tools on this machine against the managed policy</Description>',
    `    <URI>\\${WINDOWS_TASK_NAME}</URI>`,
    '  </RegistrationInfo>',
    '  <Triggers>',
    '    <LogonTrigger>',
    '      <Enabled>true</Enabled>',
    '    </LogonTrigger>',
    '    <TimeTrigger>',
    '      <Repetition>',
    `        <Interval>PT${minutes}M</Interval>`,
    '        <StopAtDurationEnd>false</StopAtDurationEnd>',
    '      </Repetition>',
    // A start in the past: the repetition runs from registration on, indefinitely (no Duration).
    '      <StartBoundary>2024-01-01T00:00:00</StartBoundary>',
    '      <Enabled>true</Enabled>',
    '    </TimeTrigger>',
    '  </Triggers>',
    '  <Principals>',
    '    <Principal id="Author">',
    '      <UserId>S-1-5-18</UserId>',
    '      <RunLevel>HighestAvailable</RunLevel>',
    '    </Principal>',
    '  </Principals>',
    '  <Settings>',
    '    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>',
    '    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>',
    '    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>',
    '    <StartWhenAvailable>true</StartWhenAvailable>',
    '    <ExecutionTimeLimit>PT10M</ExecutionTimeLimit>',
    '    <Enabled>true</Enabled>',
    '  </Settings>',
    '  <Actions Context="Author">',
    '    <Exec>',
    `      <Command>${x(command)}</Command>`,
    `      <Arguments>${x(args.map(windowsArg).join(' '))}</Arguments>`,
    `      <WorkingDirectory>${x(WINDOWS_DATA)}</WorkingDirectory>`,
    '    </Exec>',
    '  </Actions>',
    '</Task>',
    '',
  ].join('\r\n');
}

/** Task Scheduler exports and reads task XML as UTF-16 LE with a byte order mark; the declaration says so. */
function utf16(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

function quoteShell(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function systemService(options: SystemServiceOptions, context: SystemServiceContext): SystemService {
  const os = options.os ?? context.hostOs;
  if (os === 'windows') {
    const ms = parseInterval(options.interval ?? '5m');
    if (ms % 60_000 !== 0) throw new UserError(`--interval: the Windows task repeats in whole minutes, got '${options.interval}'`);
    // Here the local node runs this aitool; generated elsewhere, the task runs the standalone binary where the recipes put it.
    const local = context.hostOs === 'windows';
    const command = local ? context.nodePath : WINDOWS_STANDALONE;
    const args = [...(local ? scriptArgs(context.binPath) : []), 'check', '--output', WINDOWS_REPORT, '--format', 'json'];
    const text = scheduledTaskXml(command, args, ms / 60_000);
    return {
      os,
      files: [{ logical: WINDOWS_TASK_XML, text, bytes: utf16(text), mode: FILE_MODE }],
      folders: [],
      manifest: manifestPath(os),
      enable: [`schtasks /Create /XML "${WINDOWS_TASK_XML}" /TN ${WINDOWS_TASK_NAME} /F`],
      disable: [`schtasks /Delete /TN ${WINDOWS_TASK_NAME} /F`],
      notes: [
        ...(local ? [] : [`the task runs ${WINDOWS_STANDALONE} (the standalone binary): place it there`]),
        `each run writes ${WINDOWS_REPORT} for collection; ProgramData\\aitool inherits ProgramData's ACL (users may read): restrict it with icacls if reports must stay private`,
      ],
    };
  }
  const interval = formatInterval(parseInterval(options.interval ?? '30s'));
  if (os === 'macos') {
    const text = launchDaemonPlist(context.nodePath, context.binPath, interval);
    return {
      os,
      files: [{ logical: MACOS_PLIST, text, bytes: Buffer.from(text), mode: FILE_MODE }],
      // launchd opens StandardOutPath but does not create its folder.
      folders: [{ logical: MACOS_LOGS, mode: LOG_FOLDER_MODE }],
      manifest: manifestPath(os),
      enable: [`launchctl bootout system/${LAUNCH_DAEMON_LABEL} 2>/dev/null; launchctl bootstrap system ${quoteShell(MACOS_PLIST)}`],
      disable: [`launchctl bootout system/${LAUNCH_DAEMON_LABEL}`],
      notes: [`its JSON lines go to ${MACOS_LOGS}/watch.ndjson, its errors to ${MACOS_LOGS}/watch.err.log`],
    };
  }
  const text = systemUnit(context.nodePath, context.binPath, interval);
  return {
    os,
    files: [{ logical: LINUX_UNIT, text, bytes: Buffer.from(text), mode: FILE_MODE }],
    folders: [],
    manifest: manifestPath(os),
    enable: [`systemctl daemon-reload && systemctl enable --now ${SYSTEM_UNIT_NAME}`],
    disable: [`systemctl disable --now ${SYSTEM_UNIT_NAME} && systemctl daemon-reload`],
    notes: [`its JSON lines go to ${LINUX_LOG} (folder 0750, file 0600, root's)`],
  };
}

// ---------------------------------------------------------------------------
// Install and uninstall
// ---------------------------------------------------------------------------

interface Manifest {
  version: 1;
  os: OperatingSystem;
  files: { path: string; sha256: string }[];
  /** Folders install created, topmost first: uninstall removes them when empty. */
  folders: string[];
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export function defaultSystemContext(): SystemServiceContext {
  const hostOs: OperatingSystem = process.platform === 'win32' ? 'windows' : process.platform === 'darwin' ? 'macos' : 'linux';
  // The same paths the --user unit uses: this node and this aitool's bin/aitool.js, or the standalone executable.
  return { hostOs, ...currentProgram(), euid: typeof process.geteuid === 'function' ? process.geteuid() : undefined };
}

async function locationsFor(os: OperatingSystem, options: SystemServiceOptions, context: SystemServiceContext, io: Pick<CommandIo, 'cwd'>, verb: string): Promise<Locations> {
  if (options.root === undefined) {
    if (os !== context.hostOs) throw new UserError(`service ${verb}: --os ${os} on this ${context.hostOs} machine writes only into a staging folder: add --root <dir>`);
    if (context.euid !== undefined && context.euid !== 0) {
      throw new UserError(`service ${verb}: the system service belongs to root: run it with sudo, or stage it into a folder with --root <dir>`);
    }
  }
  const { Locations } = await import('../apply/locations.js');
  return asServiceError(verb, () => Locations.create(os, options.root, io.cwd));
}

async function asServiceError<T>(verb: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof UserError) throw new UserError(error.message.replace(/^(apply|[^:]*): (?=refusing|--root|cannot)/, `service ${verb}: `));
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`service ${verb}: ${code ?? String(error)}${code === 'EPERM' || code === 'EACCES' ? ': run it as root or an administrator' : ''}`);
  }
}

function printed(service: SystemService): CommandResult {
  const out: string[] = [];
  for (const file of service.files) out.push(`# ${file.logical} (mode ${file.mode.toString(8)}${service.os === 'windows' ? ', UTF-16' : ', owner root'})`, file.text.replace(/\r\n/g, '\n').trimEnd(), '');
  const words = [
    `aitool: install them with \`aitool service install --system --write\` (as root), which also records them for \`aitool service uninstall --system\`.`,
    `aitool: then run:`,
    ...service.enable.map((command) => `aitool:   ${command}`),
    ...service.notes.map((note) => `aitool: ${note}.`),
  ];
  return { stdout: `${out.join('\n')}\n`, stderr: `${words.join('\n')}\n`, exitCode: EXIT_OK };
}

function hasMarker(bytes: Buffer, os: OperatingSystem): boolean {
  const text = os === 'windows' && bytes[0] === 0xff && bytes[1] === 0xfe ? bytes.subarray(2).toString('utf16le') : bytes.toString('utf8');
  return text.split(/\r?\n/).some((line) => [SYSTEMD_MARKER, PLIST_MARKER, TASK_MARKER].includes(line.trim()));
}

async function readManifest(locations: Locations, logical: string, verb: string): Promise<Manifest | undefined> {
  const { readExisting } = await import('../apply/locations.js');
  await asServiceError(verb, () => locations.check(logical));
  const found = await asServiceError(verb, () => readExisting(locations.real(logical), logical));
  if (found === undefined) return undefined;
  try {
    const parsed = JSON.parse(found.bytes.toString('utf8')) as Manifest;
    if (parsed.version !== 1 || !Array.isArray(parsed.files) || !Array.isArray(parsed.folders)) throw new Error('unknown format');
    return parsed;
  } catch {
    throw new UserError(`service ${verb}: ${logical} is not a manifest aitool wrote; left as it is`);
  }
}

export async function systemInstallCommand(
  options: SystemServiceOptions,
  io: Pick<CommandIo, 'cwd'>,
  context: SystemServiceContext = defaultSystemContext(),
): Promise<CommandResult> {
  const service = systemService(options, context);
  if (!options.write) return printed(service);

  const locations = await locationsFor(service.os, options, context, io, 'install');
  const { readExisting } = await import('../apply/locations.js');
  const { writeFileAtomic } = await import('../output.js');
  const privileged = options.root === undefined && context.euid === 0;
  const previous = await readManifest(locations, service.manifest, 'install');
  const created = [...(previous?.folders ?? [])];
  const out: string[] = [];

  // Every check first, then the writes: a refusal leaves nothing behind.
  const plan: { file: SystemFile; missing: string[]; unchanged: boolean }[] = [];
  for (const file of service.files) {
    const missing = await asServiceError('install', () => locations.check(file.logical));
    const before = await asServiceError('install', () => readExisting(locations.real(file.logical), file.logical));
    if (before !== undefined && !before.bytes.equals(file.bytes) && !hasMarker(before.bytes, service.os)) {
      throw new UserError(`service install: ${file.logical} exists and was not written by aitool (or its marker line was removed); left as it is: move it away to install aitool's`);
    }
    plan.push({ file, missing, unchanged: before !== undefined && before.bytes.equals(file.bytes) && before.mode === file.mode });
  }
  const manifestMissing = await asServiceError('install', () => locations.check(service.manifest));
  const extraFolders = [];
  for (const folder of service.folders) extraFolders.push({ missing: await asServiceError('install', () => locations.check(`${folder.logical}${service.os === 'windows' ? '\\' : '/'}.aitool-check`)), folder });

  const makeFolders = async (missing: string[], mode: number) => {
    const fresh = missing.filter((real) => !created.includes(locations.logical(real)));
    await asServiceError('install', () => locations.createFolders(fresh, mode));
    for (const real of fresh) {
      if (privileged) await lchown(real, 0, 0);
      created.push(locations.logical(real));
      out.push(`Created folder ${locations.logical(real)} (mode ${mode.toString(8)}).`);
    }
  };
  for (const { file, missing, unchanged } of plan) {
    await makeFolders(missing, FOLDER_MODE);
    if (unchanged) {
      out.push(`${file.logical} is already up to date.`);
      continue;
    }
    const real = locations.real(file.logical);
    await asServiceError('install', () => writeFileAtomic(real, file.bytes, file.mode));
    // root:wheel (gid 0) on macOS, root:root on Linux: created by root, the group would be the process's.
    if (privileged) await lchown(real, 0, 0);
    out.push(`Wrote ${file.logical} (mode ${file.mode.toString(8)}${privileged ? ', owner root' : ''}).`);
  }
  for (const { missing, folder } of extraFolders) {
    // The parents get the usual mode; the log folder itself is root's alone.
    await makeFolders(missing.slice(0, -1), FOLDER_MODE);
    await makeFolders(missing.slice(-1), folder.mode);
  }
  await makeFolders(manifestMissing, FOLDER_MODE);
  const manifest: Manifest = { version: 1, os: service.os, files: service.files.map((file) => ({ path: file.logical, sha256: sha256(file.bytes) })), folders: created };
  const manifestReal = locations.real(service.manifest);
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  const manifestBefore = await asServiceError('install', () => readExisting(manifestReal, service.manifest));
  // An MDM re-runs the install on every check-in: an unchanged install must leave every file as it was.
  if (manifestBefore === undefined || !manifestBefore.bytes.equals(manifestBytes) || manifestBefore.mode !== FILE_MODE) {
    await asServiceError('install', () => writeFileAtomic(manifestReal, manifestBytes, FILE_MODE));
    if (privileged) await lchown(manifestReal, 0, 0);
  }
  out.push(`Recorded them in ${service.manifest} (for \`aitool service uninstall --system\`).`);
  out.push('To start it now and at every boot, run:', ...service.enable.map((command) => `  ${command}`), ...service.notes.map((note) => `Note: ${note}.`));
  return { stdout: `${out.join('\n')}\n`, stderr: '', exitCode: EXIT_OK };
}

export async function systemUninstallCommand(
  options: SystemServiceOptions,
  io: Pick<CommandIo, 'cwd'>,
  context: SystemServiceContext = defaultSystemContext(),
): Promise<CommandResult> {
  const os = options.os ?? context.hostOs;
  const locations = await locationsFor(os, options, context, io, 'uninstall');
  const { readExisting } = await import('../apply/locations.js');
  const logicalManifest = manifestPath(os);
  const manifest = await readManifest(locations, logicalManifest, 'uninstall');
  if (manifest === undefined) return { stdout: `Nothing to uninstall: ${logicalManifest} does not exist.\n`, stderr: '', exitCode: EXIT_OK };
  if (manifest.os !== os) throw new UserError(`service uninstall: ${logicalManifest} records a ${manifest.os} service, not ${os}`);

  const out: string[] = [];
  const errors: string[] = [];
  for (const entry of manifest.files) {
    await asServiceError('uninstall', () => locations.check(entry.path));
    const current = await asServiceError('uninstall', () => readExisting(locations.real(entry.path), entry.path));
    if (current === undefined) {
      out.push(`${entry.path} was already gone.`);
    } else if (sha256(current.bytes) !== entry.sha256) {
      errors.push(`service uninstall: ${entry.path} changed since aitool wrote it; left as it is`);
    } else {
      await asServiceError('uninstall', () => unlink(locations.real(entry.path)));
      out.push(`Removed ${entry.path}.`);
    }
  }
  await asServiceError('uninstall', () => unlink(locations.real(logicalManifest)));
  out.push(`Removed ${logicalManifest}.`);
  for (const folder of [...manifest.folders].reverse()) {
    try {
      await rmdir(locations.real(folder));
      out.push(`Removed folder ${folder}.`);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue;
      // The log folder holds the service's logs: those are the administrator's to keep or delete.
      out.push(`Left folder ${folder}: ${code === 'ENOTEMPTY' || code === 'EEXIST' ? 'not empty' : code}.`);
    }
  }
  out.push('If the service is still loaded, stop it:', ...systemService({ os }, context).disable.map((command) => `  ${command}`));
  return { stdout: `${out.join('\n')}\n`, stderr: errors.map((line) => `aitool: ${line}\n`).join(''), exitCode: errors.length > 0 ? EXIT_FINDINGS : EXIT_OK };
}
