/**
 * Evaluates a policy written as code (.js, .cjs, .mjs) without letting it run
 * inside aitool.
 *
 * A repository's `.aitoolrc.cjs` evaluated in aitool's own process could do
 * anything aitool can: `process.exit(0)` before the scan, patch aitool's
 * modules, set `process.env.AITOOL_MANAGED_POLICY` for the next reload of a
 * watch. So it runs in a separate Node process under Node's permission model:
 *
 * - reads only under the folders given (the policy's own folder and the
 *   repository), no writes anywhere, no child processes, no worker threads,
 *   no native addons, no WASI (all denied by --experimental-permission unless
 *   allowed, and nothing is allowed);
 * - an empty environment (no tokens to read, no NODE_OPTIONS to inject);
 * - a time limit and an output cap, after which it is killed;
 * - only JSON comes back, which is then validated like any YAML file.
 *
 * Node 20's permission model does not restrict the network, so the loader
 * (src/policy/load.ts) runs code only where no managed policy is installed:
 * with an organisation policy present, code below it is refused outright.
 * Without one there is no organisation floor to protect, and the sandbox
 * keeps the repository's code out of aitool's process and off the disk.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { PolicyError } from '../errors.js';

const TIME_LIMIT_MS = 3000;
const OUTPUT_LIMIT_BYTES = 1024 * 1024;

/**
 * The child: imports the file and prints its default export as JSON after a
 * marker, so whatever the policy itself prints is not taken for the result.
 */
const CHILD = `
const { pathToFileURL } = require('node:url');
const [file, marker] = process.argv.slice(1);
import(pathToFileURL(file).href).then(
  (module) => {
    const config = module && 'default' in module ? module.default : module;
    process.stdout.write('\\n' + marker + JSON.stringify(config === undefined ? null : config));
  },
  (error) => {
    process.stderr.write(String(error && error.message ? error.message : error).split('\\n')[0]);
    process.exit(3);
  },
);
`;

/** The policy's data, or a PolicyError saying why there is none. */
export function loadCodePolicy(file: string, readableDirs: readonly string[]): Promise<unknown> {
  const marker = `aitool-policy-${randomBytes(8).toString('hex')}:`;
  const args = [
    '--experimental-permission',
    // One flag per folder (Node 22 and later no longer split a list on commas);
    // the policy's own folder, the one that matters most, comes last in case an
    // older Node 20 honours only the last flag.
    ...[...new Set(readableDirs)].reverse().map((dir) => `--allow-fs-read=${dir}`),
    '-e',
    CHILD,
    file,
    marker,
  ];
  // Windows needs SystemRoot to start a process at all; nothing else is passed.
  const env: Record<string, string> = process.env.SystemRoot ? { SystemRoot: process.env.SystemRoot } : {};
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { env, timeout: TIME_LIMIT_MS, killSignal: 'SIGKILL', maxBuffer: OUTPUT_LIMIT_BYTES, windowsHide: true, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const failed = (problem: string): void => reject(new PolicyError(file, undefined, problem));
        if (error) {
          const killed = (error as { killed?: boolean }).killed || (error as { signal?: unknown }).signal;
          if ((error as { code?: unknown }).code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return failed(`cannot load: printed more than ${OUTPUT_LIMIT_BYTES / 1024} KiB`);
          if (killed) return failed(`cannot load: did not finish within ${TIME_LIMIT_MS / 1000} s`);
          // Node prints a warning that the permission model is experimental (--disable-warning is newer than Node 20.0).
          const detail = stderr.split('\n').find((line) => line.trim() !== '' && !/ExperimentalWarning|--trace-warnings/.test(line)) ?? '';
          const denied = /ERR_ACCESS_DENIED|Access to this API has been restricted/.test(stderr) ? ' (policies written as code may only read files; they cannot write, start programs or load addons)' : '';
          return failed(`cannot load: ${detail || `exited with code ${String((error as { code?: unknown }).code)}`}${denied}`);
        }
        const at = stdout.lastIndexOf(`\n${marker}`);
        if (at === -1) return failed('cannot load: it ended before exporting a policy');
        try {
          resolve(JSON.parse(stdout.slice(at + marker.length + 1)) as unknown);
        } catch {
          failed('cannot load: its export cannot be represented as JSON');
        }
      },
    );
  });
}
