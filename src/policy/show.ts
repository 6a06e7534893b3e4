/**
 * `aitool policy show`: the effective policy as plain text, each value
 * followed by the layer and file that set it, then the files read and the
 * warnings. No colour: it is pasted into tickets and CI logs.
 */
import { printable } from '../report/escape.js';
import { currentIdentity, evaluateExceptions, type Identity } from './exceptions.js';
import type { Origin, PolicyException, ResolvedPolicy, ToolRule } from './types.js';

type Row = [key: string, value: string, origin: Origin | undefined];

export function formatPolicy(policy: ResolvedPolicy, exceptionsAt: { now?: Date; identity?: Identity } = {}): string {
  const rows: Row[] = [];
  const origin = (key: string): Origin | undefined => policy.origins[key];

  rows.push(['default', policy.default, origin('default')]);
  const ruleRows = (prefix: string, id: string, rule: ToolRule): void => {
    const base = `${prefix}.${id}`;
    rows.push([base, rule.action, origin(`${base}.action`)]);
    if (rule.reason !== undefined) rows.push([`${base}.reason`, JSON.stringify(rule.reason), origin(`${base}.reason`)]);
    if (rule.message !== undefined) rows.push([`${base}.message`, JSON.stringify(rule.message), origin(`${base}.message`)]);
    if (rule.alternatives !== undefined) {
      rows.push([`${base}.alternatives`, rule.alternatives.length ? rule.alternatives.join(', ') : '(none)', origin(`${base}.alternatives`)]);
    }
    if (rule.terminate !== undefined) rows.push([`${base}.terminate`, String(rule.terminate), origin(`${base}.terminate`)]);
  };
  for (const id of Object.keys(policy.categories).sort()) {
    const rule = policy.categories[id as keyof typeof policy.categories];
    if (rule) ruleRows('categories', id, rule);
  }
  for (const id of Object.keys(policy.tools).sort()) {
    const rule = policy.tools[id];
    if (rule) ruleRows('tools', id, rule);
  }
  for (const id of Object.keys(policy.alternatives).sort()) {
    const alt = policy.alternatives[id];
    if (!alt) continue;
    const extra = alt.url ?? alt.install;
    rows.push([`alternatives.${id}`, extra ? `${alt.name} <${extra}>` : alt.name, origin(`alternatives.${id}`)]);
  }
  for (const tool of policy.customTools) {
    rows.push([`customTools.${tool.id}`, `${tool.name} (${tool.category})`, origin(`customTools.${tool.id}`)]);
  }
  rows.push(['mcp.default', policy.mcp.default, origin('mcp.default')]);
  for (const id of Object.keys(policy.mcp.servers).sort()) {
    const rule = policy.mcp.servers[id];
    if (!rule) continue;
    ruleRows('mcp.servers', id, rule);
    for (const field of ['name', 'command', 'url'] as const) {
      const pattern = rule[field];
      const key = `mcp.servers.${id}.${field}`;
      if (pattern !== undefined) rows.push([key, JSON.stringify(pattern), origin(key)]);
    }
  }
  for (const [name, on] of Object.entries(policy.scanners)) {
    rows.push([`scanners.${name}`, on ? 'on' : 'off', origin(`scanners.${name}`)]);
  }
  for (const [name, on] of Object.entries(policy.hookScanners)) {
    rows.push([`hook.scanners.${name}`, on ? 'on' : 'off', origin(`hook.scanners.${name}`)]);
  }
  const weak = policy.session.weakMarkers;
  rows.push(['session.weakMarkers', Array.isArray(weak) ? weak.join(', ') || '(none)' : String(weak), origin('session.weakMarkers')]);
  rows.push(['termination.graceMs', String(policy.termination.graceMs), origin('termination.graceMs')]);
  rows.push(['termination.otherUsers', String(policy.termination.otherUsers), origin('termination.otherUsers')]);
  // Native controls (managed layer only); older cache entries may lack the section.
  for (const [key, value] of Object.entries(policy.native?.claudeCode ?? {})) {
    rows.push([`native.claudeCode.${key}`, Array.isArray(value) ? value.join(', ') : String(value), origin(`native.claudeCode.${key}`)]);
  }
  if (policy.artifactIgnore.length > 0) rows.push(['artifacts.ignore', policy.artifactIgnore.join(', '), origin('artifacts.ignore')]);

  // Keys, values and file names come from policy files (a repository's among them): escaped before they are measured and padded.
  const shown = rows.map(([key, value, from]) => [printable(key), printable(value), printable(describeOrigin(from))] as const);
  const keyWidth = Math.max(...shown.map(([key]) => key.length));
  const valueWidth = Math.min(12, Math.max(...shown.map(([, value]) => value.length)));
  const lines = shown.map(([key, value, from]) => `${key.padEnd(keyWidth)}  ${value.padEnd(valueWidth)}  (${from})`);

  lines.push('', 'files read (lowest layer first):');
  if (policy.files.length === 0) lines.push('  none: the built-in default applies');
  for (const file of policy.files) lines.push(`  ${file.layer.padEnd(8)} ${printable(file.file)}`.trimEnd());

  // --- exceptions (issue 13): the ones live for this user and host ---
  const exceptions = policy.exceptions?.length
    ? evaluateExceptions(policy.exceptions, exceptionsAt.identity ?? currentIdentity(), exceptionsAt.now ?? new Date())
    : { live: [], warnings: [] };
  if (exceptions.live.length > 0) {
    lines.push('', 'exceptions live for this user and host:');
    for (const entry of exceptions.live) lines.push(`  ${printable(describeLiveException(entry))}`);
  }
  const warnings = [...policy.warnings, ...exceptions.warnings];
  // --- end exceptions ---

  if (warnings.length > 0) {
    lines.push('', 'warnings:');
    for (const warning of warnings) lines.push(`  ${[warning.file, warning.key, warning.message].filter(Boolean).map(printable).join(': ')}`);
  }
  return `${lines.join('\n')}\n`;
}

function describeLiveException(entry: PolicyException): string {
  const covers = [...(entry.tools ?? []), ...(entry.categories ?? []).map((c) => `category ${c}`), ...(entry.mcp ?? []).map((m) => `mcp ${m}`)];
  const scope = [
    ...(entry.users ?? []).map((u) => `user ${u}`),
    ...(entry.groups ?? []).map((g) => `group ${g}`),
    ...(entry.hosts ?? []).map((h) => `host ${h}`),
  ];
  return `${covers.join(', ')} until ${entry.until} (end of day UTC) for ${scope.join(', ')}: ${JSON.stringify(entry.reason)} (${entry.file}, #${entry.index})`;
}

export function describeOrigin(origin: Origin | undefined): string {
  if (!origin || (origin.layer === 'default' && !origin.file)) return 'built-in default';
  return origin.file ? `${origin.layer}: ${origin.file}` : origin.layer;
}
