/**
 * `aitool export santa`: blocked tools' native binaries as Santa (macOS)
 * BLOCKLIST rules, as a configuration profile and as `santactl` commands.
 *
 * Sources (read December 2026, github.com/northpolesec/santa):
 * - docs/docs/deployment/profile-configuration.md: the profile's payload type
 *   is `com.northpolesec.santa`; `StaticRules` is an array of dictionaries with
 *   `identifier`, `policy` (ALLOWLIST, BLOCKLIST, ...) and `rule_type` (BINARY,
 *   TEAMID, ...), set directly in the payload dictionary.
 * - docs/concepts/rules.md: rule types BINARY (SHA-256 of the whole file),
 *   SIGNINGID (`TEAMID:signing.id`), CERTIFICATE, TEAMID, CDHASH; Santa only
 *   evaluates Mach-O executables.
 * - Source/santactl/Commands/SNTCommandRule.mm (`santactl rule --help`):
 *   `--block`, `--identifier`, `--signingid` / `--teamid`, `--message`,
 *   `--comment`; a rule dictionary's `custom_msg` and `custom_url`. santactl
 *   has no flag for the URL, and refuses to add rules while SyncBaseURL or
 *   StaticRules is set ("rules are managed centrally"): the profile and the
 *   script are two ways to deploy, not both at once.
 *
 * - https://santa.dev/concepts/rules.html: a SIGNINGID rule's identifier is
 *   `TEAMID:signing.id` (`platform:` for Apple's own binaries); a TEAMID rule
 *   covers everything that team signs.
 *
 * Where the catalog states a tool's signing ids (native.santa.signingIds),
 * each becomes a SIGNINGID rule: every version of that executable, wherever it
 * is. A team id becomes a TEAMID rule only where the catalog marks the team
 * as signing nothing but the catalog tools that name it, and the policy
 * blocks all of those: a vendor's other software must keep running. Binaries
 * this machine's scan found are blocked by SHA-256 (BINARY) as well.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import type { ToolEntry } from '../../catalog/schema.js';
import { ruleFor } from '../../decide.js';
import type { ResolvedPolicy } from '../../policy/types.js';
import type { Finding } from '../../types.js';
import { alternativeWords, planExport } from '../plan.js';
import type { FoundBinary, NativeExporter } from './types.js';
import { configurationProfile, stableUuid, xmlComment, xmlEscape } from './xml.js';

export const PAYLOAD_TYPE = 'com.northpolesec.santa';
const PROFILE_PATH = '/Library/Managed Preferences/com.northpolesec.santa.plist (via the MDM profile)';

/** Santa rules apply to Mach-O executables only; a script or a JS bundle is never evaluated. */
const MACH_O_MAGICS: ReadonlySet<number> = new Set([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe, 0xbebafeca]);
/** Far above any agent binary (~200 MB); a bigger file is not hashed. */
const MAX_BINARY_BYTES = 1024 * 1024 * 1024;

export interface SantaRule {
  identifier: string;
  rule_type: 'BINARY' | 'SIGNINGID' | 'TEAMID';
  policy: 'BLOCKLIST';
  custom_msg: string;
  custom_url?: string;
  /** Where the hash came from: shown in comments, not part of Santa's rule. */
  comment: string;
}

export const exportNative: NativeExporter = ({ policy, catalog, os, binaries = [] }) => {
  const plan = planExport(policy, catalog);
  const rules: SantaRule[] = [];
  const cannotExpress: string[] = [];
  if (os !== 'macos') cannotExpress.push(`santa: Santa runs on macOS only; these files do nothing on ${os}`);
  const teams = teamVerdicts([...catalog, ...policy.customTools], policy);
  const teamsWritten = new Set<string>();
  for (const { tool, rule, alternatives } of plan.tools) {
    if (rule.action !== 'block') {
      cannotExpress.push(`${tool.id} (${rule.key}: ${rule.action}): Santa has no warn; only blocked tools get rules`);
      continue;
    }
    const url = alternatives.find((alternative) => alternative.url)?.url;
    const message = [rule.message ?? `${tool.name} is blocked by your organisation's policy.`, alternativeWords(alternatives)].filter(Boolean).join(' ');
    const blockRule = (identifier: string, rule_type: SantaRule['rule_type'], comment: string): SantaRule => ({
      identifier,
      rule_type,
      policy: 'BLOCKLIST',
      custom_msg: message,
      ...(url ? { custom_url: url } : {}),
      comment,
    });

    const bySignature = signatureRules(tool, teams, teamsWritten, blockRule);
    rules.push(...bySignature.rules);
    cannotExpress.push(...bySignature.lines);

    const found = binaries.filter((binary) => binary.tool === tool.id);
    if (found.length === 0) {
      if (!bySignature.covered) {
        const stated = tool.native?.santa?.teamId === undefined ? 'signing or team id' : 'signing id (nor a team id Santa may block as a whole)';
        cannotExpress.push(
          `${tool.id} (${rule.key}: block): no native (Mach-O) binary of it was found on this machine and the catalog states no ${stated}; Santa ignores script CLIs (npm packages run by node)`,
        );
      }
      continue;
    }
    for (const binary of uniqueByHash(found)) {
      rules.push(blockRule(binary.sha256, 'BINARY', `${tool.id} ${binary.version ?? '(version unknown)'} at ${binary.path}`));
    }
    if (!bySignature.covered) {
      cannotExpress.push(
        `${tool.id}: blocked by SHA-256 of the ${found.length === 1 ? 'binary' : 'binaries'} found here only; any other version or build runs`,
      );
    }
  }
  if (rules.some((rule) => rule.custom_url)) cannotExpress.push('santactl: `santactl rule` has no flag for a URL; the script carries it in the message only');

  return {
    files: [
      { name: 'santa.mobileconfig', installPath: PROFILE_PATH, content: profile(rules, cannotExpress) },
      { name: 'santa-rules.sh', installPath: 'run once as root on each Mac (santactl rule)', content: santactlScript(rules, cannotExpress) },
    ],
    cannotExpress,
  };
};

/**
 * The SIGNINGID and TEAMID rules the catalog's facts allow for a blocked
 * tool. A team shared by several blocked tools gets one rule, written for the
 * first of them.
 */
function signatureRules(
  tool: ToolEntry,
  teams: ReadonlyMap<string, TeamVerdict>,
  teamsWritten: Set<string>,
  blockRule: (identifier: string, ruleType: SantaRule['rule_type'], comment: string) => SantaRule,
): { rules: SantaRule[]; lines: string[]; covered: boolean } {
  const facts = tool.native?.santa;
  if (facts === undefined) return { rules: [], lines: [], covered: false };
  const rules = (facts.signingIds ?? []).map((id) => blockRule(id, 'SIGNINGID', `${tool.id}: every executable signed as ${id} (${facts.source})`));
  const how = rules.length > 0 ? [`signing id (${rules.map((rule) => rule.identifier).join(', ')})`] : [];
  const lines: string[] = [];
  const team = facts.teamId === undefined ? undefined : teams.get(facts.teamId);
  if (facts.teamId !== undefined && team !== undefined) {
    if (team.blockable) {
      how.push(`team id ${facts.teamId}`);
      if (!teamsWritten.has(facts.teamId)) {
        teamsWritten.add(facts.teamId);
        rules.push(blockRule(facts.teamId, 'TEAMID', `${team.tools.join(', ')}: everything team ${facts.teamId} signs (${facts.source})`));
      }
    } else {
      lines.push(`${tool.id}: its team id ${facts.teamId} is not blocked as a whole: ${team.why}`);
    }
  }
  if (how.length > 0) lines.push(`${tool.id}: blocked by ${how.join(' and ')}, every version; Santa ignores script CLIs (npm packages run by node) and binaries signed otherwise`);
  return { rules, lines, covered: how.length > 0 };
}

interface TeamVerdict {
  /** The catalog tools that name the team. */
  tools: string[];
  /** One TEAMID rule may block the team: it signs only these tools, and the policy blocks all of them. */
  blockable: boolean;
  /** Why not, when it may not. */
  why: string;
}

/** Per team id the catalog states: whether a TEAMID rule would block only what the policy blocks. */
function teamVerdicts(tools: readonly ToolEntry[], policy: ResolvedPolicy): Map<string, TeamVerdict> {
  const byTeam = new Map<string, ToolEntry[]>();
  for (const tool of tools) {
    const teamId = tool.native?.santa?.teamId;
    if (teamId !== undefined) byTeam.set(teamId, [...(byTeam.get(teamId) ?? []), tool]);
  }
  const verdicts = new Map<string, TeamVerdict>();
  for (const [teamId, signed] of byTeam) {
    const ids = signed.map((tool) => tool.id);
    const exclusive = signed.every((tool) => tool.native?.santa?.teamIdExclusive === true);
    const allowed = signed.filter((tool) => ruleFor(tool, policy).action !== 'block').map((tool) => tool.id);
    const why =
      !exclusive
        ? `the team is not known to sign only ${ids.join(', ')}, so a TEAMID rule could stop software the policy allows`
        : allowed.length > 0
          ? `it also signs ${allowed.join(', ')}, which the policy does not block`
          : '';
    verdicts.set(teamId, { tools: ids, blockable: why === '', why });
  }
  return verdicts;
}

function uniqueByHash(binaries: readonly FoundBinary[]): FoundBinary[] {
  const seen = new Map<string, FoundBinary>();
  for (const binary of binaries) if (!seen.has(binary.sha256)) seen.set(binary.sha256, binary);
  return [...seen.values()];
}

// ---------------------------------------------------------------------------
// The configuration profile.
// ---------------------------------------------------------------------------


function ruleDict(rule: SantaRule): string[] {
  const entry = (key: string, value: string) => [`\t\t\t\t\t\t<key>${key}</key>`, `\t\t\t\t\t\t<string>${xmlEscape(value)}</string>`];
  return [
    '\t\t\t\t\t<dict>',
    `\t\t\t\t\t\t${xmlComment(rule.comment)}`,
    ...entry('identifier', rule.identifier),
    ...entry('policy', rule.policy),
    ...entry('rule_type', rule.rule_type),
    ...entry('custom_msg', rule.custom_msg),
    ...(rule.custom_url ? entry('custom_url', rule.custom_url) : []),
    '\t\t\t\t\t</dict>',
  ];
}

function profile(rules: readonly SantaRule[], cannotExpress: readonly string[]): string {
  const seed = JSON.stringify(rules);
  return configurationProfile({
    exporter: 'santa',
    product: 'Santa',
    cannotExpress,
    payloadType: PAYLOAD_TYPE,
    payloadDisplayName: 'Santa rules (aitool)',
    payloadUuid: stableUuid(`aitool-santa-payload:${seed}`),
    payloadLines: ['\t\t\t\t<key>StaticRules</key>', '\t\t\t\t<array>', ...rules.flatMap(ruleDict), '\t\t\t\t</array>'],
    profileDescription: 'Santa BLOCKLIST rules from the organisation policy (aitool export santa)',
    profileDisplayName: 'Santa rules (aitool)',
    profileUuid: stableUuid(`aitool-santa-profile:${seed}`),
    afterIdentifier: ['\t\t<key>PayloadScope</key>', '\t\t<string>System</string>'],
  });
}

// ---------------------------------------------------------------------------
// The santactl script.
// ---------------------------------------------------------------------------

/** One POSIX shell word: single quotes take everything literally but a quote, which is closed, escaped and reopened. */
export const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
const shellComment = (text: string) => `# ${text.replace(/[\r\n]+/g, ' ')}`;

function santactlScript(rules: readonly SantaRule[], cannotExpress: readonly string[]): string {
  return [
    '#!/bin/sh',
    shellComment('Written by aitool export santa. Run as root on a Mac whose Santa has no SyncBaseURL and no StaticRules'),
    shellComment('(santactl refuses to add rules then; deploy santa.mobileconfig instead). What Santa cannot express:'),
    ...cannotExpress.map(shellComment),
    'set -e',
    ...rules.flatMap((rule) => [
      shellComment(rule.comment),
      [
        'santactl rule --block',
        ...(rule.rule_type === 'SIGNINGID' ? ['--signingid'] : rule.rule_type === 'TEAMID' ? ['--teamid'] : []),
        `--identifier ${shellQuote(rule.identifier)}`,
        `--message ${shellQuote(rule.custom_url ? `${rule.custom_msg} ${rule.custom_url}` : rule.custom_msg)}`,
        `--comment ${shellQuote(`aitool: ${rule.comment}`)}`,
      ].join(' '),
    ]),
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------
// The binaries a scan found: read, never run.
// ---------------------------------------------------------------------------

async function isMachO(file: string): Promise<{ size: number } | undefined> {
  const handle = await open(file, 'r');
  try {
    const stat = await handle.stat();
    if (!stat.isFile() || stat.size < 4 || stat.size > MAX_BINARY_BYTES) return undefined;
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return bytesRead === 4 && MACH_O_MAGICS.has(head.readUInt32BE(0)) ? { size: stat.size } : undefined;
  } finally {
    await handle.close();
  }
}

/** SHA-256 of at most `limit` bytes, streamed: the file is never held in memory. */
function sha256Of(file: string, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file, { start: 0, end: limit - 1 })
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/**
 * The Mach-O files behind blocked findings (a process's executable, an
 * installed binary), hashed. A file that cannot be read, or is not Mach-O
 * (a node script, a shell launcher), is left out.
 */
export async function binariesFromFindings(findings: readonly Finding[]): Promise<FoundBinary[]> {
  const found: FoundBinary[] = [];
  const seen = new Set<string>();
  for (const finding of findings) {
    if (finding.action !== 'block') continue;
    const candidate = finding.evidence.realPath ?? finding.evidence.exe ?? finding.evidence.path;
    if (!candidate) continue;
    try {
      const file = await realpath(candidate);
      if (seen.has(`${finding.tool}\0${file}`)) continue;
      seen.add(`${finding.tool}\0${file}`);
      const machO = await isMachO(file);
      if (!machO) continue;
      found.push({ tool: finding.tool, path: file, sha256: await sha256Of(file, machO.size), ...(finding.evidence.version ? { version: finding.evidence.version } : {}) });
    } catch {
      // Gone or unreadable since the scan: nothing to hash.
    }
  }
  return found;
}

/** The command's scan: the same check `aitool check` runs, stopping nothing. */
export async function foundBinaries(options: { cwd: string; env: Readonly<Record<string, string | undefined>>; policyFile?: string }): Promise<FoundBinary[]> {
  const { check } = await import('../../run.js');
  const report = await check({ ...options, failOn: 'never', dryRun: true });
  return binariesFromFindings(report.findings);
}
