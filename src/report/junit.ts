/**
 * `--format junit`: JUnit XML for CI systems that show test reports (GitLab,
 * Jenkins, Azure Pipelines, GitHub test-report actions). One testsuite; one
 * testcase per tool found and per MCP server configured; a blocked one is a
 * failure whose message says why and what to use instead. An allowed tool or
 * one to review passes (a review is written to its system-out): the build
 * fails on what the policy blocks, as `aitool check` does by default. The
 * shape follows the Ant/Jenkins JUnit schema (test/fixtures/junit/).
 */
import { effectiveAction } from '../labels.js';
import type { Alternative, Finding } from '../types.js';
import { describe, oneLine, truncate } from './describe.js';
import { mcpServerFindings, toolGroups, verdictOf, type ToolGroup, type Verdict } from './tools.js';
import type { Report } from './types.js';

/**
 * XML 1.0 allows tab, newline, carriage return and U+0020 upwards, except
 * surrogates (unpaired, here) and U+FFFE/U+FFFF; anything else makes the
 * document unreadable to every parser, so it is dropped.
 */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text safe as element content and as an attribute value. In attributes, line breaks and tabs are written as references so a parser keeps them. */
function xml(text: string, attribute = false): string {
  const escaped = text.replace(NOT_XML, '').replace(/[&<>"']/g, (char) => XML_ENTITIES[char]!);
  return attribute ? escaped.replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;') : escaped.replace(/\r/g, '&#13;');
}

const attr = (name: string, value: string | number) => ` ${name}="${xml(String(value), true)}"`;

function alternativeText(alternative: Alternative): string {
  const details = [alternative.url, alternative.install && `install: ${alternative.install}`].filter(Boolean).join('; ');
  return `${alternative.name}${details ? ` (${details})` : ''}`;
}

function useInstead(verdict: Verdict): string {
  return verdict.alternatives.length > 0
    ? `use instead: ${verdict.alternatives.map(alternativeText).join('; ')}`
    : 'the policy names no approved alternative; ask whoever owns it';
}

/** The one-line failure message a CI page lists: verdict, why, what to use. */
function failureMessage(name: string, verdict: Verdict): string {
  const why = verdict.reason ? ` ${oneLine(verdict.reason)}` : '';
  return truncate(`${name} is blocked by policy (${verdict.rule}).${why} ${useInstead(verdict)}.`, 1000);
}

/** The failure body: the whole verdict, then each piece of evidence and each remedy. */
function details(verdicts: readonly Verdict[], findings: readonly Finding[], remedies: readonly string[]): string {
  const lines: string[] = [];
  for (const verdict of verdicts) {
    lines.push(`Policy: ${verdict.rule} (${verdict.action})`);
    if (verdict.reason) lines.push(`Why: ${oneLine(verdict.reason)}`);
    if (verdict.message) lines.push(oneLine(verdict.message));
    if (verdict.exception) lines.push(`Exception: ${oneLine(verdict.exception.reason)}, until ${verdict.exception.until} (does not fail the check)`);
    if (verdict.action !== 'allow') {
      lines.push(verdict.alternatives.length > 0 ? 'Use instead:' : `Use instead: ${useInstead(verdict)}`);
      for (const alternative of verdict.alternatives) lines.push(`  - ${alternativeText(alternative)}${alternative.note ? ` (${oneLine(alternative.note)})` : ''}`);
    }
  }
  lines.push('Evidence:', ...findings.map((f) => `  - ${describe(f, undefined)}${f.confidence === 'name-only' ? ' (name only, not proven)' : ''}`));
  if (remedies.length > 0) lines.push('To remove or fix:', ...remedies.map((r) => `  - ${r}`));
  return lines.join('\n');
}

interface Case {
  classname: string;
  name: string;
  failed: boolean;
  message: string;
  body: string;
}

function toolCase(group: ToolGroup): Case {
  const blocking = group.verdicts.find((v) => v.action === 'block' && !v.exception) ?? group.verdicts[0]!;
  return {
    classname: `aitool.${group.category}`,
    name: group.toolName,
    failed: group.verdict === 'block',
    message: failureMessage(group.toolName, blocking),
    body: details(group.verdicts, group.findings, group.remedies),
  };
}

function serverCase(finding: Finding): Case {
  const verdict = verdictOf(finding);
  const name = `MCP server ${finding.evidence.server?.name ?? ''} (${finding.toolName})`;
  return {
    classname: 'aitool.mcp-server',
    name,
    failed: effectiveAction(finding) === 'block',
    message: failureMessage(name, verdict),
    body: details([verdict], [finding], finding.remediation ? [finding.remediation] : []),
  };
}

function testcase(c: Case): string {
  const open = `    <testcase${attr('classname', c.classname)}${attr('name', c.name)}${attr('time', 0)}>`;
  const inner = c.failed
    ? `      <failure${attr('message', c.message)}${attr('type', 'blocked')}>${xml(c.body)}</failure>`
    : `      <system-out>${xml(c.body)}</system-out>`;
  return `${open}\n${inner}\n    </testcase>`;
}

export function formatJunit(report: Report, now: Date = new Date()): string {
  const cases = [...toolGroups(report).map(toolCase), ...mcpServerFindings(report).map(serverCase)];
  const failures = cases.filter((c) => c.failed).length;
  const properties = [
    ['aitool.version', report.aitool.version],
    ['host.name', report.host.hostname],
    ['host.os', report.host.os],
    ...(report.host.user ? [['host.user', report.host.user]] : []),
    ['policy.failOn', report.failOn],
    ...report.policy.files.map((f, i) => [`policy.file.${i + 1}`, `${f.file ?? 'built-in'} (${f.layer})`]),
    ...report.policy.warnings.map((w, i) => [`policy.warning.${i + 1}`, [w.file, w.key, w.message].filter(Boolean).join(': ')]),
    ...report.skipped.map((s) => [`skipped.${s.scanner}`, s.reason]),
  ];
  // A scanner that could not finish is said where CI shows it, without failing the build for it.
  const systemErr = [...report.skipped.map((s) => `skipped: ${s.scanner} scanner: ${s.reason}`), ...report.notes.map((n) => `note: ${n.scanner}: ${n.path ? `${n.path}: ` : ''}${n.message}`)];
  const timestamp = now.toISOString().replace(/\.\d+Z$/, '');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attr('name', 'aitool')}${attr('tests', cases.length)}${attr('failures', failures)}${attr('errors', 0)}${attr('time', 0)}>`,
    `  <testsuite${attr('name', `aitool check on ${report.host.hostname}`)}${attr('tests', cases.length)}${attr('failures', failures)}${attr('errors', 0)}${attr('skipped', 0)}${attr('time', 0)}${attr('timestamp', timestamp)}${attr('hostname', report.host.hostname)}${attr('id', 0)}${attr('package', 'aitool')}>`,
    '    <properties>',
    ...properties.map(([name, value]) => `      <property${attr('name', name!)}${attr('value', value!)}/>`),
    '    </properties>',
    ...cases.map(testcase),
    `    <system-out></system-out>`,
    `    <system-err>${xml(systemErr.join('\n'))}</system-err>`,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
