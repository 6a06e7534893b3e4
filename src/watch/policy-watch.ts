/**
 * Keeping the watch's policy current.
 *
 * Every cycle the watch stats a short list of paths (`watchedPaths`): every
 * policy file the current policy was read from, every place a layer file
 * could appear (the managed and user candidates, --policy or AITOOL_POLICY),
 * and for the project layer each searched folder (and its `.config`) — a
 * folder's mtime changes when a file is created, removed or renamed in it,
 * which is how a new `.aitoolrc.yaml` is noticed without listing anything.
 * Only when a stamp (inode, size, mtime, ctime) differs is the policy loaded
 * again, through the same loadPolicy() as `aitool check`.
 *
 * Why stamps and not fs.watch: editors save atomically (write a temporary
 * file, rename it over the original), which leaves an inotify watch on the
 * old inode, and fs.watch is not recursive on Linux for Node 20. Why not
 * loadPolicy() every cycle: it is cheap while its on-disk cache hits, but the
 * cache is skipped for policies written as code (.js/.ts, which would then run
 * every cycle) and for two seconds after each edit; the stamps cost a dozen
 * or two stat calls either way (src/watch/measure.ts on a 2-core VM: 0.3 ms
 * for 13 paths, against 1.4 ms for a loadPolicy() that hits its cache).
 *
 * A load that fails keeps the last good policy; each distinct error is
 * reported once (the same broken file saved again is not news), and the first
 * good load after an error is reported even if it equals the last good one,
 * so the log shows the problem is over.
 */
import path from 'node:path';
import { PolicyError } from '../errors.js';
import { sameStamp, stampOf, type FileStamp } from '../policy/cache.js';
import type { Host } from '../host.js';
import { managedPolicyCandidates, projectScope, userPolicyCandidates } from '../policy/locate.js';
import type { ResolvedPolicy } from '../policy/types.js';
import { policyFor } from '../run.js';

export interface PolicyWatchOptions {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** --policy */
  policyFile?: string;
  host: Host;
}

export type PolicyChange =
  | { kind: 'reloaded'; policy: ResolvedPolicy; recovered: boolean }
  | { kind: 'error'; file?: string; key?: string; message: string };

const MANAGED_NAMES = ['policy.yaml', 'policy.yml', 'policy.json'];

export class PolicyWatch {
  #policy: ResolvedPolicy;
  #json: string;
  #paths: string[];
  #stamps: FileStamp[];
  /** The message of the error last reported, while the policy stays broken. */
  #lastError: string | undefined;

  private constructor(
    private readonly options: PolicyWatchOptions,
    policy: ResolvedPolicy,
    paths: string[],
    stamps: FileStamp[],
  ) {
    this.#policy = policy;
    this.#json = JSON.stringify(policy);
    this.#paths = paths;
    this.#stamps = stamps;
  }

  /** Loads the policy; throws (UserError, one line) when it cannot be used: at start there is no last good policy to keep. */
  static async start(options: PolicyWatchOptions): Promise<PolicyWatch> {
    // Stamps before the load: an edit made while the policy loads is then seen on the first poll.
    const paths = await watchedPathsFor(options, undefined, undefined);
    const stamps = await Promise.all(paths.map(stampOf));
    const policy = await loadFor(options);
    const watch = new PolicyWatch(options, policy, paths, stamps);
    await watch.#restamp(await watchedPathsFor(options, policy, undefined));
    return watch;
  }

  get policy(): ResolvedPolicy {
    return this.#policy;
  }

  /** The paths whose stamps are compared each cycle (for tests and measurement). */
  get watchedPaths(): readonly string[] {
    return this.#paths;
  }

  /** Called each cycle: undefined when nothing changed (or nothing worth reporting). */
  async poll(): Promise<PolicyChange | undefined> {
    const now = await Promise.all(this.#paths.map(stampOf));
    if (now.every((stamp, index) => sameStamp(stamp, this.#stamps[index]!))) return undefined;
    this.#stamps = now;
    try {
      const policy = await loadFor(this.options);
      const json = JSON.stringify(policy);
      const recovered = this.#lastError !== undefined;
      this.#lastError = undefined;
      const changed = json !== this.#json;
      this.#policy = policy;
      this.#json = json;
      await this.#restamp(await watchedPathsFor(this.options, policy, undefined));
      return changed || recovered ? { kind: 'reloaded', policy, recovered } : undefined;
    } catch (error) {
      await this.#restamp(await watchedPathsFor(this.options, this.#policy, error));
      const message = error instanceof Error ? error.message : String(error);
      if (message === this.#lastError) return undefined;
      this.#lastError = message;
      if (error instanceof PolicyError) {
        return { kind: 'error', file: error.file, ...(error.key === undefined ? {} : { key: error.key }), message: error.problem };
      }
      return { kind: 'error', message };
    }
  }

  /** Starts comparing against a new path list; stamps of paths already watched are kept, so a change between poll and here is not lost. */
  async #restamp(paths: string[]): Promise<void> {
    if (paths.join('\0') === this.#paths.join('\0')) return;
    const previous = new Map(this.#paths.map((file, index) => [file, this.#stamps[index]!]));
    const fresh = await Promise.all(paths.map((file) => previous.get(file) ?? stampOf(file)));
    this.#paths = paths;
    this.#stamps = fresh;
  }
}

function loadFor(options: PolicyWatchOptions): Promise<ResolvedPolicy> {
  return policyFor(
    { cwd: options.cwd, env: options.env, ...(options.policyFile ? { policyFile: options.policyFile } : {}) },
    options.host,
  );
}

/** Every path whose change could change the policy (see the top of this file). */
export async function watchedPathsFor(options: PolicyWatchOptions, policy: ResolvedPolicy | undefined, error: unknown): Promise<string[]> {
  const { cwd, env, host } = options;
  const paths = new Set<string>();
  const add = (file: string | undefined) => {
    if (file !== undefined && path.isAbsolute(file)) paths.add(path.normalize(file));
  };
  for (const origin of policy?.files ?? []) add(origin.file);
  if (error instanceof PolicyError) add(error.file);

  // The system file wins over the variable (see findManagedPolicy), so both are watched.
  for (const file of managedPolicyCandidates({ env, os: host.os })) add(file);
  const override = env.AITOOL_MANAGED_POLICY;
  if (override && path.isAbsolute(override)) {
    add(override);
    for (const name of MANAGED_NAMES) add(path.join(override, name));
  }
  for (const file of userPolicyCandidates({ env, os: host.os, home: host.home })) add(file);
  const cli = options.policyFile ?? (env.AITOOL_POLICY || undefined);
  if (cli !== undefined) add(path.resolve(cwd, cli));

  const scope = await projectScope(cwd, host.home);
  for (const dir of scope.dirs) {
    add(dir);
    add(path.join(dir, '.config'));
  }
  // In-place edits do not touch the folder's mtime: the files found are stamped themselves.
  for (const file of scope.candidates) add(file);
  return [...paths].sort();
}
