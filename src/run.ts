/**
 * The one pipeline, on one screen:
 *
 *   options → policy (layers merged, validated) → scanners (concurrent, isolated)
 *   → observations → match against the catalog → detections
 *   → decide with the policy → findings (+ alternatives, remediation) → report → exit code
 */
import { hostname, userInfo } from 'node:os';
import { CATALOG } from './catalog/index.js';
import type { ToolEntry } from './catalog/schema.js';
import { ACTION_RANK, decide, ruleFor } from './decide.js';
import { effectiveAction } from './labels.js';
import { createHost, type Host } from './host.js';
import { compileCatalog, match } from './match/index.js';
import { toolSources } from './match/sources.js';
import { precompiledCatalog } from './match/precompiled.js';
import { loadPolicy } from './policy/load.js';
import type { PolicyException, PolicyWarning, ResolvedPolicy } from './policy/types.js';
import type { FailOn, Report } from './report/types.js';
import { ALL_SCANNERS, runScanners } from './scanners/index.js';
import { EXIT_FINDINGS, EXIT_OK } from './errors.js';
import type { CommittedFiles } from './git/files.js';
import type { Action, ArtifactObservation, Observation, ScannerName } from './types.js';
import type { Probes, RepoMode } from './scanners/types.js';
import { VERSION } from './version.js';

export interface CheckOptions {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** `--policy`: the topmost policy layer. */
  policyFile?: string;
  failOn: FailOn;
  /** The machine to read; the real one unless a test passes a fixture host. */
  host?: Host;
  /**
   * Run as this git hook: the scanners are the policy's `hook.scanners`
   * (session and repo unless it says more), and the repo scanner reads the
   * staged changes, in pre-commit only.
   */
  hook?: 'pre-commit' | 'commit-msg' | 'pre-push';
  /** Observations read before the scan (commit messages from --commits, commit-msg or pre-push). */
  extra?: Observation[];
  /** A note to add to the report (a commit range cut short). */
  extraNotes?: Report['notes'];
  /** Files a commit range adds or changes, held to the catalog's repository patterns as the repo scanner's are. */
  committedFiles?: CommittedFiles;
  /**
   * false: a check of pushed content only (pre-receive, CI): no scanner runs
   * (the machine doing the check is not the one under review), and the
   * project policy layer is not read (the content under review could have
   * written it).
   */
  scanMachine?: boolean;
  /** Stop blocked tools' processes: every blocked one (`--kill`), on top of the rules that say `terminate: true`. */
  kill?: boolean;
  /** Say what would be stopped; stop nothing. */
  dryRun?: boolean;
  /**
   * The moment exceptions are measured against: a seam for tests in this
   * process only. There is deliberately no environment variable or flag for
   * it, which a person could use to stretch an exception.
   */
  now?: Date;
}

/** The managed exceptions live here and now, and the warnings about expired and expiring ones. */
export async function liveExceptionsFor(policy: ResolvedPolicy, now: Date = new Date()): Promise<{ live: PolicyException[]; warnings: PolicyWarning[] }> {
  if (!policy.exceptions || policy.exceptions.length === 0) return { live: [], warnings: [] };
  const { currentIdentity, evaluateExceptions } = await import('./policy/exceptions.js');
  return evaluateExceptions(policy.exceptions, currentIdentity(), now);
}

/** Loads the effective policy for a working folder and host. */
export function policyFor(options: Pick<CheckOptions, 'cwd' | 'env' | 'policyFile' | 'scanMachine'>, host: Host): Promise<ResolvedPolicy> {
  return loadPolicy({
    ...(options.scanMachine === false ? { project: false } : {}),
    cwd: options.cwd,
    env: { ...options.env },
    os: host.os,
    home: host.home,
    catalog: CATALOG,
    ...(options.policyFile ? { policyFile: options.policyFile } : {}),
  });
}

export async function check(options: CheckOptions): Promise<Report> {
  const host = options.host ?? createHost({ env: { ...options.env } });
  const policy = await policyFor(options, host);

  const tools: ToolEntry[] = [...CATALOG, ...policy.customTools];
  const catalog = compileCatalog(tools, { os: host.os, home: host.home, env: host.env }, toolSources(policy), precompiledCatalog(host.os));
  const switches = options.hook ? policy.hookScanners : policy.scanners;
  // Only a pre-commit has staged changes to look at; commit-msg and pre-push look at messages.
  const enabled = (Object.keys(switches) as ScannerName[]).filter(
    (name) => options.scanMachine !== false && switches[name] && !(name === 'repo' && (options.hook === 'commit-msg' || options.hook === 'pre-push')),
  );
  const repoMode: RepoMode = options.hook === 'pre-commit' ? 'staged' : 'tracked';

  const scan = await runScanners(ALL_SCANNERS, { host, probes: catalog.probes, cwd: options.cwd, repoMode }, enabled);
  const weak = policy.session.weakMarkers;
  const countWeak = (tool: string) => weak === true || (Array.isArray(weak) && weak.includes(tool));
  const ignored = await ignoredArtifacts(policy);
  const committed = options.committedFiles ? await committedObservations(options.committedFiles, catalog.probes, options.env) : { found: [], notes: [] };
  const observations = [...committed.found, ...scan.observations].filter((o) => (o.kind !== 'artifact' && o.kind !== 'dependency') || !ignored(o.file));
  const detections = match([...(options.extra ?? []), ...observations], catalog, { countWeak });
  const byId = new Map(tools.map((t) => [t.id, t]));
  const exceptions = await liveExceptionsFor(policy, options.now);
  const findings = decide(detections, policy, byId, exceptions.live);
  const terminations = await stopBlocked(findings, policy, byId, options);

  return {
    schemaVersion: 1,
    aitool: { version: VERSION },
    time: (options.now ?? new Date()).toISOString(),
    host: { os: host.os, hostname: hostname(), ...currentUser() },
    policy: { files: policy.files, warnings: [...policy.warnings, ...exceptions.warnings] },
    failOn: options.failOn,
    findings,
    skipped: scan.skipped,
    notes: [...(options.extraNotes ?? []), ...committed.notes, ...scan.notes],
    summary: summarise(findings),
    ...(terminations ? { terminations } : {}),
  };
}

/**
 * Stops the running processes of blocked tools whose rule says `terminate`
 * (or all blocked ones with `--kill`). Only `process` findings: a `session`
 * finding is one of aitool's own ancestors, which is never stopped. The
 * safety rules (never pid 1, aitool or its ancestors, other users' processes
 * only as root with the managed policy's leave, pid reuse re-checked) live in
 * terminate.ts.
 */
async function stopBlocked(
  findings: Report['findings'],
  policy: ResolvedPolicy,
  byId: ReadonlyMap<string, ToolEntry>,
  options: CheckOptions,
): Promise<Report['terminations']> {
  const wanted = findings.filter((finding) => {
    // A tool under a live exception is not stopped: the exception is the organisation's leave to run it.
    if (finding.kind !== 'process' || effectiveAction(finding) !== 'block' || finding.evidence.pid === undefined) return false;
    const tool = byId.get(finding.tool);
    return options.kill === true || (tool !== undefined && ruleFor(tool, policy).terminate === true);
  });
  if (wanted.length === 0) return options.kill ? [] : undefined;
  const { targetOf, terminate } = await import('./terminate.js');
  return terminate(
    wanted.map((finding) => targetOf(finding, finding.evidence.pid!)),
    { graceMs: policy.termination.graceMs, dryRun: options.dryRun === true, otherUsers: policy.termination.otherUsers },
  );
}

/**
 * What a commit range adds, found as the repo scanner finds what is staged:
 * the files that match a repository pattern, and the agent SDKs each commit
 * adds to a manifest or lockfile (compared with its first parent).
 */
async function committedObservations(
  committed: CommittedFiles,
  probes: Pick<Probes, 'repoPatterns' | 'sdkPackages'>,
  env: CheckOptions['env'],
): Promise<{ found: Observation[]; notes: Report['notes'] }> {
  const found: Observation[] = [...(await committedArtifacts(committed, probes.repoPatterns))];
  const sdks = probes.sdkPackages;
  if (committed.files.length === 0 || sdks.npm.size + sdks.pip.size + sdks.go.size === 0) return { found, notes: [] };
  const { dependenciesAddedByCommits } = await import('./scanners/repo-dependencies.js');
  const dependencies = await dependenciesAddedByCommits(committed, sdks, { env });
  found.push(...dependencies.found);
  return { found, notes: dependencies.notes.map((n) => ({ scanner: 'commits', ...n })) };
}

/** The files a commit range adds that match a repository pattern, found exactly as the repo scanner finds staged ones. */
async function committedArtifacts({ root, files }: CommittedFiles, patterns: readonly string[]): Promise<ArtifactObservation[]> {
  if (patterns.length === 0 || files.length === 0) return [];
  const { repoPatternMatcher } = await import('./scanners/repo.js');
  const matchPattern = repoPatternMatcher(patterns);
  const found: ArtifactObservation[] = [];
  for (const { commit, file, status } of files) {
    const pattern = matchPattern(file);
    if (pattern !== undefined) found.push({ kind: 'artifact', root, file, status, pattern, commit });
  }
  return found;
}

/** The policy's `artifacts.ignore`, as a test on repository paths. */
async function ignoredArtifacts(policy: ResolvedPolicy): Promise<(file: string) => boolean> {
  if (policy.artifactIgnore.length === 0) return () => false;
  const { repoPatternMatcher } = await import('./scanners/repo.js');
  const matcher = repoPatternMatcher(policy.artifactIgnore);
  return (file) => matcher(file) !== undefined;
}

function currentUser(): { user?: string } {
  try {
    return { user: userInfo().username };
  } catch {
    return {};
  }
}

function summarise(findings: Report['findings']): Report['summary'] {
  const strictest = new Map<string, Action>();
  const mcpServers: Record<Action, number> = { allow: 0, warn: 0, block: 0 };
  for (const finding of findings) {
    const action = effectiveAction(finding);
    if (finding.kind === 'mcp-server') {
      mcpServers[action] += 1;
      continue;
    }
    const seen = strictest.get(finding.tool);
    if (seen === undefined || ACTION_RANK[action] > ACTION_RANK[seen]) strictest.set(finding.tool, action);
  }
  const tools: Record<Action, number> = { allow: 0, warn: 0, block: 0 };
  for (const action of strictest.values()) tools[action] += 1;
  return { ...tools, mcpServers };
}

/** 1 when any finding is at or above `failOn` (a finding under a live exception counts as `warn`), else 0. */
export function exitCodeFor(report: Report): number {
  if (report.failOn === 'never') return EXIT_OK;
  const threshold = ACTION_RANK[report.failOn];
  return report.findings.some((f) => ACTION_RANK[effectiveAction(f)] >= threshold) ? EXIT_FINDINGS : EXIT_OK;
}
