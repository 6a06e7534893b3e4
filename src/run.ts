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
import { ACTION_RANK, decide } from './decide.js';
import { createHost, type Host } from './host.js';
import { compileCatalog, match } from './match/index.js';
import { loadPolicy } from './policy/load.js';
import type { ResolvedPolicy } from './policy/types.js';
import type { FailOn, Report } from './report/types.js';
import { ALL_SCANNERS, runScanners } from './scanners/index.js';
import { EXIT_FINDINGS, EXIT_OK } from './errors.js';
import type { Action, ScannerName } from './types.js';
import { VERSION } from './version.js';

export interface CheckOptions {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** `--policy`: the topmost policy layer. */
  policyFile?: string;
  failOn: FailOn;
  /** The machine to read; the real one unless a test passes a fixture host. */
  host?: Host;
}

/** Loads the effective policy for a working folder and host. */
export function policyFor(options: Pick<CheckOptions, 'cwd' | 'env' | 'policyFile'>, host: Host): Promise<ResolvedPolicy> {
  return loadPolicy({
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
  const catalog = compileCatalog(tools, { os: host.os, home: host.home, env: host.env });
  const enabled = (Object.keys(policy.scanners) as ScannerName[]).filter((name) => policy.scanners[name]);

  const scan = await runScanners(ALL_SCANNERS, { host, probes: catalog.probes, cwd: options.cwd }, enabled);
  const detections = match(scan.observations, catalog);
  const findings = decide(detections, policy, new Map(tools.map((t) => [t.id, t])));

  return {
    schemaVersion: 1,
    aitool: { version: VERSION },
    host: { os: host.os, hostname: hostname(), ...currentUser() },
    policy: { files: policy.files, warnings: policy.warnings },
    failOn: options.failOn,
    findings,
    skipped: scan.skipped,
    notes: scan.notes,
    summary: summarise(findings),
  };
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
    if (finding.kind === 'mcp-server') {
      mcpServers[finding.action] += 1;
      continue;
    }
    const seen = strictest.get(finding.tool);
    if (seen === undefined || ACTION_RANK[finding.action] > ACTION_RANK[seen]) strictest.set(finding.tool, finding.action);
  }
  const tools: Record<Action, number> = { allow: 0, warn: 0, block: 0 };
  for (const action of strictest.values()) tools[action] += 1;
  return { ...tools, mcpServers };
}

/** 1 when any finding is at or above `failOn`, else 0. */
export function exitCodeFor(report: Report): number {
  if (report.failOn === 'never') return EXIT_OK;
  const threshold = ACTION_RANK[report.failOn];
  return report.findings.some((f) => ACTION_RANK[f.action] >= threshold) ? EXIT_FINDINGS : EXIT_OK;
}
