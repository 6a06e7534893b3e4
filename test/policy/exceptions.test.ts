// Managed exceptions in-process: merge (managed only), scope, the end of the
// `until` day in UTC with "now" injected, near-expiry notices, what a finding
// carries and what it counts as, and /etc/group membership from a file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ToolEntry } from '../../src/catalog/schema.js';
import { decide } from '../../src/decide.js';
import { effectiveAction } from '../../src/labels.js';
import { currentIdentity, evaluateExceptions, type Identity } from '../../src/policy/exceptions.js';
import { mergePolicies, type LoadedPolicyFile } from '../../src/policy/merge.js';
import { policySchema, type PolicyFile } from '../../src/policy/schema.js';
import { formatPolicy } from '../../src/policy/show.js';
import { exitCodeFor } from '../../src/run.js';
import type { Report } from '../../src/report/types.js';
import type { Detection } from '../../src/types.js';
import { noteTempDir } from '../helpers/temp.js';

const entry = (id: string, category: ToolEntry['category']): ToolEntry => ({ id, name: id.toUpperCase(), vendor: 'v', homepage: `https://${id}.test`, category, signatures: {} });
const catalog = [entry('claude-code', 'agent-cli'), entry('cursor', 'ai-ide'), entry('claude-desktop', 'desktop-app')];
const byId = new Map(catalog.map((t) => [t.id, t]));

const ada: Identity = { user: 'ada', groups: ['ada', 'platform'], host: 'ada-laptop' };
const at = (iso: string) => new Date(iso);

function merged(managed: PolicyFile, lower?: PolicyFile) {
  const files: LoadedPolicyFile[] = [{ layer: 'managed', file: '/etc/aitool/policy.yaml', policy: policySchema.parse(managed) }];
  if (lower) files.push({ layer: 'project', file: '/repo/.aitoolrc.yaml', policy: policySchema.parse(lower) });
  return mergePolicies(files, catalog);
}

const pilot = (extra: Record<string, unknown>) => ({ tools: ['claude-code'], until: '2027-01-31', reason: 'SEC-1', ...extra });
const blockClaude: PolicyFile = { tools: { 'claude-code': 'block' } };
const detection: Detection = { tool: 'claude-code', kind: 'executable', confidence: 'confirmed', evidence: { matched: 'claude', path: '/usr/bin/claude' } };

describe('merging', () => {
  it('keeps managed exceptions with their file and index, and drops a lower layer\'s with a warning', () => {
    const policy = merged({ ...blockClaude, exceptions: [pilot({ users: ['ada'] })] }, { exceptions: [pilot({ users: ['mallory'], reason: 'mine' })] });
    expect(policy.exceptions).toEqual([{ ...pilot({ users: ['ada'] }), file: '/etc/aitool/policy.yaml', index: 0 }]);
    expect(policy.warnings).toEqual([
      { file: '/repo/.aitoolrc.yaml', key: 'exceptions.0', message: 'only the managed policy may grant exceptions; ignored (reason: "mine", until 2027-01-31)' },
    ]);
  });

  it('refuses an exception without a scope, without a subject, or with a date that does not exist', () => {
    expect(policySchema.safeParse({ exceptions: [pilot({})] }).success).toBe(false);
    expect(policySchema.safeParse({ exceptions: [{ users: ['ada'], until: '2027-01-31', reason: 'x' }] }).success).toBe(false);
    expect(policySchema.safeParse({ exceptions: [pilot({ users: ['ada'], until: '2027-02-30' })] }).success).toBe(false);
    expect(policySchema.safeParse({ exceptions: [pilot({ users: ['ada'], reason: '' })] }).success).toBe(false);
    expect(policySchema.safeParse({ exceptions: [pilot({ users: ['ada'] })] }).success).toBe(true);
  });
});

describe('live or not', () => {
  const policy = merged({
    ...blockClaude,
    exceptions: [pilot({ users: ['ada'] }), pilot({ groups: ['platform'], hosts: ['ADA-LAPTOP'], reason: 'SEC-2' }), pilot({ users: ['bob'], reason: 'SEC-3' })],
  });

  it('is live through the last second of `until` (UTC) and over from midnight', () => {
    expect(evaluateExceptions(policy.exceptions!, ada, at('2027-01-31T23:59:59Z')).live.map((e) => e.reason)).toEqual(['SEC-1', 'SEC-2']);
    const after = evaluateExceptions(policy.exceptions!, ada, at('2027-02-01T00:00:00Z'));
    expect(after.live).toEqual([]);
    // Only ada's own expired exceptions are named: bob's is not her concern.
    expect(after.warnings.map((w) => w.message)).toEqual([
      'exception #0 ("SEC-1", until 2027-01-31) has expired; ignored',
      'exception #1 ("SEC-2", until 2027-01-31) has expired; ignored',
    ]);
  });

  it('needs every scope it gives to match', () => {
    const elsewhere = evaluateExceptions(policy.exceptions!, { ...ada, host: 'build-01' }, at('2027-01-01T00:00:00Z'));
    expect(elsewhere.live.map((e) => e.reason)).toEqual(['SEC-1']);
    const bob = evaluateExceptions(policy.exceptions!, { user: 'bob', groups: [], host: 'x' }, at('2027-01-01T00:00:00Z'));
    expect(bob.live.map((e) => e.reason)).toEqual(['SEC-3']);
  });

  it('warns within 14 days of the end, not before', () => {
    const one = merged({ exceptions: [pilot({ users: ['ada'] })] }).exceptions!;
    expect(evaluateExceptions(one, ada, at('2027-01-17T00:00:00Z')).warnings).toEqual([]);
    expect(evaluateExceptions(one, ada, at('2027-01-18T00:00:01Z')).warnings.map((w) => w.message)).toEqual(['exception #0 ("SEC-1", until 2027-01-31) expires in 13 days']);
    expect(evaluateExceptions(one, ada, at('2027-01-30T12:00:00Z')).warnings.map((w) => w.message)).toEqual(['exception #0 ("SEC-1", until 2027-01-31) expires in 1 day']);
    expect(evaluateExceptions(one, ada, at('2027-01-31T08:00:00Z')).warnings.map((w) => w.message)).toEqual([
      'exception #0 ("SEC-1", until 2027-01-31) expires at the end of today (UTC)',
    ]);
  });
});

describe('findings', () => {
  const rules: PolicyFile = { ...blockClaude, categories: { 'ai-ide': 'warn' }, mcp: { servers: { shell: { action: 'block', command: 'bash' } } } };
  const policy = merged({
    ...rules,
    exceptions: [pilot({ users: ['ada'] }), { categories: ['ai-ide'], mcp: ['shell'], users: ['ada'], until: '2027-01-31', reason: 'SEC-4' }],
  });
  const live = evaluateExceptions(policy.exceptions!, ada, at('2027-01-01T00:00:00Z')).live;

  it('keep their verdict, carry the exception and count as warn', () => {
    const [finding] = decide([detection], policy, byId, live);
    expect(finding!.action).toBe('block');
    expect(finding!.exception).toEqual({ reason: 'SEC-1', until: '2027-01-31', file: '/etc/aitool/policy.yaml', index: 0 });
    expect(effectiveAction(finding!)).toBe('warn');
    const report = { failOn: 'block', findings: [finding!] } as Report;
    expect(exitCodeFor(report)).toBe(0);
    expect(exitCodeFor({ ...report, findings: decide([detection], policy, byId, []) })).toBe(1);
  });

  it('cover by category and, for MCP servers, by rule id only (not through the client tool)', () => {
    const cursor = decide([{ ...detection, tool: 'cursor' }], policy, byId, live)[0]!;
    expect(cursor.exception?.reason).toBe('SEC-4');
    const server: Detection = { tool: 'claude-code', kind: 'mcp-server', confidence: 'confirmed', evidence: { matched: 'config', server: { name: 'my-shell', command: 'bash' } } };
    expect(decide([server], policy, byId, live)[0]!.exception?.reason).toBe('SEC-4');
    const onlyTool = evaluateExceptions(merged({ ...rules, exceptions: [pilot({ users: ['ada'] })] }).exceptions!, ada, at('2027-01-01T00:00:00Z')).live;
    expect(decide([server], policy, byId, onlyTool)[0]!.exception).toBeUndefined();
  });

  it('policy show lists only the live ones for this identity', () => {
    const text = formatPolicy(policy, { identity: ada, now: at('2027-01-01T00:00:00Z') });
    expect(text).toContain('exceptions live for this user and host:\n  claude-code until 2027-01-31 (end of day UTC) for user ada: "SEC-1" (/etc/aitool/policy.yaml, #0)\n');
    expect(formatPolicy(policy, { identity: { ...ada, user: 'bob' }, now: at('2027-01-01T00:00:00Z') })).not.toContain('exceptions live');
  });
});

describe('identity', () => {
  it('reads groups from a group file: the primary gid and the lists the user is in', () => {
    const dir = noteTempDir(mkdtempSync(join(tmpdir(), 'aitool-groups-')));
    try {
      const me = userInfo();
      const file = join(dir, 'group');
      writeFileSync(file, `# comment\nprimary:x:${me.gid}:\nteam:x:4242:someone,${me.username},other\nnotmine:x:4243:someone\nprefix:x:4244:${me.username}x\n`);
      expect(currentIdentity(file).groups.sort()).toEqual(['primary', 'team']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
