/**
 * One watch cycle, the check pipeline cut down to what is new:
 *
 *   policy stamps (reload if a file changed) → process table (what started,
 *   exec'd, ended since last cycle) → observe the new ones only → match →
 *   decide → events → stop what the policy says to stop (src/terminate.ts,
 *   with all its safety rules).
 *
 * The first cycle sees every process as new: it is the baseline, and its
 * findings say `trigger: initial`. A process is reported once per tool; it is
 * reported again only when a reloaded policy gives it another verdict (action,
 * rule or terminate), and then the new verdict is enforced on it too.
 *
 * A process seen before is looked at again when a new child of its appears
 * and it has no finding yet, or only a name-only one: children carrying an
 * agent's session markers vouch for their parent, so a renamed agent binary
 * is proven by the first tool call it makes, not only if one was running when
 * the watch first saw it. Only parents of new processes are looked at again,
 * and of their children only the new ones are read.
 *
 * The watch looks at processes only, whatever the policy's `scanners` say
 * (those choose what `aitool check` scans); installs, extensions and configs
 * change rarely and are `aitool check`'s business.
 */
import { effectiveAction } from '../labels.js';
import { currentIdentity, evaluateExceptions, type Identity } from '../policy/exceptions.js';
import type { PolicyException } from '../policy/types.js';
import { performance } from 'node:perf_hooks';
import { CATALOG } from '../catalog/index.js';
import type { ToolEntry } from '../catalog/schema.js';
import { decide, ruleFor } from '../decide.js';
import { createHost, type Host, type RawProcess } from '../host.js';
import { compileCatalog, match, type CompiledCatalog } from '../match/index.js';
import { toolSources } from '../match/sources.js';
import { precompiledCatalog } from '../match/precompiled.js';
import type { ResolvedPolicy } from '../policy/types.js';
import { createPackageCache } from '../scanners/package-ref.js';
import { isKernelThread, observe, readProcessExtras } from '../scanners/processes.js';
import { targetOf, terminate, type TerminationTarget } from '../terminate.js';
import type { Confidence, Finding, ProcessObservation } from '../types.js';
import type { Emit, FindingEvent, FindingTrigger } from './events.js';
import { PolicyWatch } from './policy-watch.js';
import { bootTimeForTermination, procReader } from './proc.js';
import { ListedTable, ProcTable, type LiveProcess, type ProcessTable } from './table.js';

export interface WatcherOptions {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** --policy */
  policyFile?: string;
  /** The machine; the real one unless given. */
  host?: Host;
  /** How the process table is read; chosen for the host unless given (a seam for tests). */
  table?: ProcessTable;
}

/** What one cycle did and what it cost, in milliseconds. */
export interface CycleReport {
  /** Stat of the policy's files and locations, and the reload when one changed. */
  policyMs: number;
  /** Reading the process table (stat of every known pid, full read of new ones). */
  tableMs: number;
  /** observe + match + decide for the processes looked at. */
  matchMs: number;
  /** Stopping processes (bounded by the policy's graceMs). */
  terminateMs: number;
  totalMs: number;
  /** Processes observed in full this cycle. */
  observed: number;
  /** Processes alive after this cycle. */
  live: number;
  /** This cycle took the baseline: the first to read the process table (every process in it was new). */
  baseline: boolean;
  /** The cycle was cut short by the stop signal. */
  aborted: boolean;
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error instanceof Error && error.name === 'AbortError');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A verdict as compared between policy versions: a change in any part is reported and applied. */
function verdictOf(finding: Finding, terminates: boolean): string {
  return `${finding.action}|${finding.rule}|${terminates ? 'terminate' : ''}`;
}

const stronger = (a: Confidence, b: Confidence): Confidence => (a === 'confirmed' || b === 'confirmed' ? 'confirmed' : 'name-only');

/** Proven already: every finding reported for it is confirmed, so no child can add to what is known. */
function proven(entry: LiveProcess): boolean {
  return entry.reported !== undefined && entry.reported.size > 0 && [...entry.reported.values()].every((r) => r.confidence === 'confirmed');
}

/** The table for this machine: /proc read incrementally on Linux, else the host's listing every cycle. */
export async function defaultTable(host: Host): Promise<{ table: ProcessTable; source: 'proc' | 'listing' }> {
  if (host.os === 'linux' && process.platform === 'linux') {
    const reader = procReader(await bootTimeForTermination());
    const pids = await reader.pids();
    // No readable /proc (an unusual mount, a locked-down container): ps, through ps-list, as host.ts does.
    if (pids !== undefined && pids.length > 0) return { table: new ProcTable(reader), source: 'proc' };
  }
  return { table: new ListedTable(host), source: 'listing' };
}

interface Compiled {
  policy: ResolvedPolicy;
  catalog: CompiledCatalog;
  byId: Map<string, ToolEntry>;
}

export class Watcher {
  #compiled: Compiled;
  #cycles = 0;
  /** Whether a cycle has read the process table yet; until then every process is one that was there at start. */
  #baselined = false;

  private constructor(
    readonly host: Host,
    private readonly policyWatch: PolicyWatch,
    private readonly table: ProcessTable,
    /** How the table is read, for the start event. */
    readonly source: 'proc' | 'listing',
  ) {
    this.#compiled = this.#compile(policyWatch.policy);
  }

  /** Loads the policy (throws UserError when it cannot be used) and picks the process table. */
  static async create(options: WatcherOptions): Promise<Watcher> {
    const host = options.host ?? createHost({ env: { ...options.env } });
    const policyWatch = await PolicyWatch.start({
      cwd: options.cwd,
      env: options.env,
      host,
      ...(options.policyFile ? { policyFile: options.policyFile } : {}),
    });
    const { table, source } = options.table ? { table: options.table, source: options.table instanceof ProcTable ? ('proc' as const) : ('listing' as const) } : await defaultTable(host);
    return new Watcher(host, policyWatch, table, source);
  }

  get policy(): ResolvedPolicy {
    return this.#compiled.policy;
  }

  get cycles(): number {
    return this.#cycles;
  }

  /** The policy's watched paths (for measurement). */
  get policyPaths(): readonly string[] {
    return this.policyWatch.watchedPaths;
  }

  /** What the watch holds: live processes, and those with a reported finding. Both fall as processes end. */
  stats(): { live: number; reported: number } {
    let reported = 0;
    for (const entry of this.table.live.values()) if (entry.reported !== undefined) reported += 1;
    return { live: this.table.live.size, reported };
  }

  #compile(policy: ResolvedPolicy): Compiled {
    const tools: ToolEntry[] = [...CATALOG, ...policy.customTools];
    return {
      policy,
      catalog: compileCatalog(tools, { os: this.host.os, home: this.host.home, env: this.host.env }, toolSources(policy), precompiledCatalog(this.host.os)),
      byId: new Map(tools.map((tool) => [tool.id, tool])),
    };
  }

  /**
   * One cycle. Events go to `emit` as they happen, so a cycle cut short by
   * `signal` has already logged what it did. Throws only when the process
   * table cannot be read at all (the caller logs it and goes on).
   */
  async cycle(emit: Emit, signal?: AbortSignal): Promise<CycleReport> {
    const started = performance.now();
    // The policy loaded at start is current for the first cycle; the baseline is the first table read that worked.
    const pollPolicy = this.#cycles > 0;
    this.#cycles += 1;
    const report: CycleReport = { policyMs: 0, tableMs: 0, matchMs: 0, terminateMs: 0, totalMs: 0, observed: 0, live: 0, baseline: false, aborted: false };
    const finish = (aborted: boolean): CycleReport => {
      report.aborted = aborted;
      report.live = this.table.live.size;
      report.totalMs = performance.now() - started;
      return report;
    };

    // 1. The policy.
    let policyChanged = false;
    if (pollPolicy) {
      const change = await this.policyWatch.poll();
      if (change?.kind === 'reloaded') {
        this.#compiled = this.#compile(change.policy);
        policyChanged = true;
        emit({ event: 'policy-reloaded', files: change.policy.files, warnings: change.policy.warnings, ...(change.recovered ? { recovered: true } : {}) });
      } else if (change?.kind === 'error') {
        emit({ event: 'policy-error', ...(change.file ? { file: change.file } : {}), ...(change.key ? { key: change.key } : {}), message: change.message });
      }
    }
    report.policyMs = performance.now() - started;
    if (signal?.aborted) return finish(true);

    // 2. The process table.
    const tableStart = performance.now();
    const changes = await this.table.refresh();
    report.tableMs = performance.now() - tableStart;
    const first = !this.#baselined;
    this.#baselined = true;
    report.baseline = first;
    for (const entry of changes.gone) {
      if (entry.reported === undefined) continue;
      emit({
        event: 'gone',
        pid: entry.raw.pid,
        ...(entry.raw.startTime ? { startTime: entry.raw.startTime } : {}),
        cmd: entry.raw.cmd,
        tools: [...entry.reported.keys()],
      });
    }

    // 3. What to look at: everything on the first cycle and after a policy
    // change (custom tools may now match what did not), else what is new and
    // the parents a new process may vouch for.
    const fresh = new Set<LiveProcess>([...changes.added, ...changes.changed]);
    const everything = first || policyChanged;
    const looked = (everything ? [...this.table.live.values()] : [...fresh]).filter((entry) => !isKernelThread(entry.raw));
    const vouchedFor = everything ? new Set<LiveProcess>() : this.#parentsToLookAtAgain(looked, fresh);
    const targets = [...looked, ...vouchedFor];
    report.observed = targets.length;
    if (targets.length === 0) return finish(false);

    const matchStart = performance.now();
    const findings = await this.#judge(targets, new Set(looked.map((entry) => entry.raw.pid)), emit, signal);
    report.matchMs = performance.now() - matchStart;
    if (findings === undefined) return finish(true);

    // 4. Report what is new, and collect what to stop.
    const { policy, byId } = this.#compiled;
    const stops: TerminationTarget[] = [];
    for (const finding of findings) {
      const pid = finding.evidence.pid;
      const entry = pid === undefined ? undefined : this.table.live.get(pid);
      if (entry === undefined || pid === undefined) continue;
      const tool = byId.get(finding.tool);
      const terminates = effectiveAction(finding) === 'block' && tool !== undefined && ruleFor(tool, policy).terminate === true;
      const verdict = verdictOf(finding, terminates);
      const previous = entry.reported?.get(finding.tool);
      // A child's proof turns a name-only finding into a confirmed one: news, under the same verdict.
      const strengthened = previous !== undefined && previous.confidence !== 'confirmed' && finding.confidence === 'confirmed';
      if (previous?.verdict === verdict && !strengthened) continue;
      const trigger: FindingTrigger = first ? 'initial' : vouchedFor.has(entry) ? 'child' : previous !== undefined || !fresh.has(entry) ? 'policy' : 'started';
      // A proof once seen stays: the child that gave it may have ended by the next look.
      const confidence = previous === undefined ? finding.confidence : stronger(previous.confidence, finding.confidence);
      (entry.reported ??= new Map()).set(finding.tool, { verdict, confidence });
      emit(findingEvent(finding, trigger, pid, terminates));
      if (terminates) stops.push(targetOf(finding, pid));
    }

    // 5. Stop, as `aitool check` does for rules with `terminate: true`.
    if (stops.length > 0) {
      const terminateStart = performance.now();
      const attempts = await terminate(stops, {
        graceMs: policy.termination.graceMs,
        dryRun: false,
        otherUsers: policy.termination.otherUsers,
        ...(signal ? { signal } : {}),
      });
      for (const attempt of attempts) emit({ event: 'terminated', ...attempt });
      report.terminateMs = performance.now() - terminateStart;
    }
    return finish(signal?.aborted === true);
  }

  /**
   * The live parents of new processes that a child could tell more about:
   * seen before (not new themselves), and not proven already.
   */
  #parentsToLookAtAgain(looked: readonly LiveProcess[], fresh: ReadonlySet<LiveProcess>): Set<LiveProcess> {
    const parents = new Set<LiveProcess>();
    for (const { raw } of looked) {
      const parent = this.table.live.get(raw.ppid);
      if (parent === undefined || fresh.has(parent) || isKernelThread(parent.raw) || proven(parent)) continue;
      parents.add(parent);
    }
    return parents;
  }

  /**
   * observe → match → decide for `targets`; undefined when the stop signal cut
   * it short. Children are read for the targets in `withChildren`; the others
   * (parents looked at again) are told about by their new children, which are
   * targets themselves.
   */
  async #judge(targets: LiveProcess[], withChildren: ReadonlySet<number>, emit: Emit, signal: AbortSignal | undefined): Promise<Finding[] | undefined> {
    const { policy, catalog, byId } = this.#compiled;
    const byPid = new Map<number, RawProcess>();
    for (const [pid, entry] of this.table.live) byPid.set(pid, entry.raw);
    // A cache per cycle: it remembers package lookups by path, and kept across cycles it would only grow.
    const cache = createPackageCache();
    const abort = signal ?? new AbortController().signal;
    // Environments of the targets, their parents (to tell set from inherited) and their children (who may vouch for them).
    const nearby = new Set<number>();
    for (const { raw } of targets) nearby.add(raw.pid).add(raw.ppid);
    for (const raw of byPid.values()) if (withChildren.has(raw.ppid)) nearby.add(raw.pid);
    const extras = await readProcessExtras(this.host, catalog.probes, [...byPid.values()], () => undefined, nearby);
    const settled = await Promise.allSettled(targets.map((entry) => observe(this.host, entry.raw, byPid, cache, abort, extras)));
    if (signal?.aborted) return undefined;
    const observations: ProcessObservation[] = [];
    settled.forEach((outcome, index) => {
      if (outcome.status === 'fulfilled') observations.push(outcome.value);
      else if (!isAbort(outcome.reason, signal)) emit({ event: 'error', message: `cannot look at the process: ${messageOf(outcome.reason)}`, pid: targets[index]!.raw.pid });
    });
    const weak = policy.session.weakMarkers;
    const countWeak = (tool: string) => weak === true || (Array.isArray(weak) && weak.includes(tool));
    return decide(match(observations, catalog, { countWeak }), policy, byId, this.#liveExceptions(policy));
  }

  #identity: Identity | undefined;

  /** Measured on every look, so an exception ends on time in a watch that runs for weeks. */
  #liveExceptions(policy: ResolvedPolicy): PolicyException[] {
    if (!policy.exceptions || policy.exceptions.length === 0) return [];
    this.#identity ??= currentIdentity();
    return evaluateExceptions(policy.exceptions, this.#identity, new Date()).live;
  }
}

function findingEvent(finding: Finding, trigger: FindingTrigger, pid: number, terminates: boolean): FindingEvent {
  return {
    event: 'finding',
    trigger,
    tool: finding.tool,
    toolName: finding.toolName,
    category: finding.category,
    confidence: finding.confidence,
    action: finding.action,
    rule: finding.rule,
    ...(terminates ? { terminate: true } : {}),
    ...(finding.reason ? { reason: finding.reason } : {}),
    ...(finding.message ? { message: finding.message } : {}),
    pid,
    ...(finding.evidence.startTime ? { startTime: finding.evidence.startTime } : {}),
    cmd: finding.evidence.cmd ?? '',
    evidence: finding.evidence,
    alternatives: finding.alternatives,
    ...(finding.remediation ? { remediation: finding.remediation } : {}),
  };
}
