/**
 * `--format html`: the report as one self-contained page a person opens on a
 * laptop or a phone. No script, no external asset, no web font: the page
 * works offline and from a mail attachment, and its Content-Security-Policy
 * forbids scripts and any network load, so even a value that escaped
 * escaping could not run or call out. Every value from the machine or a
 * policy goes through the `html` template, which escapes it (see
 * html-template.ts).
 */
import { ACTION_LABEL, CATEGORY_LABEL, effectiveAction, TERMINATION_OUTCOME } from '../labels.js';
import type { Action, Alternative, Finding, FindingKind } from '../types.js';
import { describe } from './describe.js';
import { htmlPage } from './html-page.js';
import { html, httpUrl, type SafeHtml } from './html-template.js';
import { mcpServerFindings, toolGroups, type ToolGroup, type Verdict } from './tools.js';
import type { Report } from './types.js';

const KIND_LABEL: Record<FindingKind, string> = {
  process: 'Running',
  executable: 'On PATH',
  trace: 'Used here',
  package: 'Installed',
  extension: 'Extension',
  app: 'App',
  'mcp-server': 'MCP server',
  'config-change': 'Changed',
  session: 'Inside',
  artifact: 'In repo',
  commit: 'Commit',
  dependency: 'SDK dependency',
  skill: 'Skill',
  'browser-extension': 'Browser extension',
};

const FAIL_ON: Record<Report['failOn'], string> = { block: 'when a tool is blocked', warn: 'when a tool is blocked or to review', never: 'never' };

/** Evidence items shown open per tool; the rest fold into a <details> (a .claude/ folder can hold hundreds of files). */
const OPEN_EVIDENCE = 8;

// This page's own rules, after the shared ones (src/report/html-page.ts).
const CSS = `
main{max-width:72rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h3{font-size:1.05rem;margin:0}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.86em}
code{background:#f2f4f7;border-radius:4px;padding:.05rem .3rem}
.sub{color:var(--muted);margin:0}
.wrap,code,li,dd,td{overflow-wrap:anywhere;word-break:break-word}
.cards{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:.75rem;margin:1rem 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;min-width:0}
ul.files{list-style:none;padding:0;margin:0}
.tool{background:var(--card);border:1px solid var(--line);border-left:5px solid var(--muted);border-radius:10px;padding:1rem;margin:.9rem 0}
.tool.block{border-left-color:var(--block)}.tool.warn{border-left-color:#dc6803}.tool.allow{border-left-color:var(--allow)}
.tool header{display:flex;flex-wrap:wrap;align-items:baseline;gap:.35rem .6rem;margin-bottom:.5rem}
.badge{display:inline-block;font-size:.75rem;font-weight:700;letter-spacing:.02em;text-transform:uppercase;border-radius:999px;padding:.1rem .55rem}
.badge.block{background:var(--block-bg);color:var(--block)}.badge.warn{background:var(--warn-bg);color:var(--warn)}.badge.allow{background:var(--allow-bg);color:var(--allow)}
.meta{color:var(--muted);font-size:.9rem}
.label{font-weight:600}
.verdict{border-top:1px solid var(--line);padding-top:.5rem;margin-top:.5rem}
.verdict:first-of-type{border-top:0;padding-top:0;margin-top:0}
.exception{background:#eff8ff;border-radius:6px;padding:.4rem .6rem}
.evidence{list-style:none;padding:0;margin:.5rem 0 0}
.evidence li{display:grid;grid-template-columns:8.5rem 1fr;gap:.75rem;padding:.4rem 0;border-top:1px solid var(--line)}
.evidence .kind{color:var(--muted);font-size:.85rem}
.remedies code{display:inline;white-space:pre-wrap}
.remedies{margin-top:.35rem}
.tool .label{margin-top:.6rem}
.warning{color:var(--warn)}
@media (max-width:40rem){main{padding:1rem .75rem 2rem}.evidence li{grid-template-columns:1fr;gap:.1rem}dl.facts{gap:.35rem .75rem}.card .n{font-size:1.6rem}}
@media print{body{background:#fff}.tool,.panel,.card{break-inside:avoid}}
`;

function badge(action: Action): SafeHtml {
  return html`<span class="badge ${action}">${ACTION_LABEL[action]}</span>`;
}

function alternative(alt: Alternative): SafeHtml {
  const link = httpUrl(alt.url);
  const name = link ? html`<a href="${link}" rel="noopener noreferrer">${alt.name}</a>` : html`<strong>${alt.name}</strong>`;
  return html`<li>${name}${alt.url && !link ? html` — <span class="wrap">${alt.url}</span>` : ''}${
    alt.install ? html` — install: <code>${alt.install}</code>` : ''
  }${alt.note ? html`<br><span class="meta">${alt.note}</span>` : ''}</li>`;
}

function verdictBlock(verdict: Verdict, subject: string, many: boolean): SafeHtml {
  const alternatives =
    verdict.action === 'allow'
      ? ''
      : verdict.alternatives.length > 0
        ? html`<p class="label">Use instead</p><ul>${verdict.alternatives.map(alternative)}</ul>`
        : html`<p><span class="label">Use instead:</span> the policy names no approved alternative; ask whoever owns it.</p>`;
  const exception = verdict.exception
    ? html`<p class="exception"><span class="label">Exception:</span> ${verdict.exception.reason}, until ${verdict.exception.until} (end of day UTC; <span class="mono wrap">${verdict.exception.file}</span>, #${verdict.exception.index}). It does not fail the check.</p>`
    : '';
  return html`<div class="verdict" data-rule="${verdict.rule}">
<p>${many ? html`${badge(verdict.action)} ` : ''}<span class="label">Policy:</span> <code>${verdict.rule}</code> ${subject}</p>
${verdict.reason ? html`<p><span class="label">Why:</span> ${verdict.reason}</p>` : ''}
${verdict.message ? html`<p>${verdict.message}</p>` : ''}
${exception}${alternatives}</div>`;
}

function evidenceItem(finding: Finding): SafeHtml {
  const name = finding.confidence === 'name-only' ? html` <span class="meta">(name only, not proven)</span>` : '';
  return html`<li><span class="kind">${KIND_LABEL[finding.kind]}</span><span class="wrap">${describe(finding, undefined)}${name}</span></li>`;
}

function evidenceList(findings: readonly Finding[]): SafeHtml {
  const open = findings.slice(0, OPEN_EVIDENCE);
  const rest = findings.slice(OPEN_EVIDENCE);
  return html`<ul class="evidence">${open.map(evidenceItem)}</ul>${
    rest.length > 0 ? html`<details><summary>${rest.length} more</summary><ul class="evidence">${rest.map(evidenceItem)}</ul></details>` : ''
  }`;
}

function toolSection(group: ToolGroup): SafeHtml {
  const policyWord: Record<Action, string> = { block: 'blocks it', warn: 'asks to review it', allow: 'allows it' };
  return html`<section class="tool ${group.verdict}" id="tool-${group.tool}" data-tool="${group.tool}" data-verdict="${group.verdict}">
<header>${badge(group.verdict)}<h3>${group.toolName}</h3><span class="meta">${group.tool} · ${CATEGORY_LABEL[group.category] ?? group.category} · ${group.findings.length} finding${group.findings.length === 1 ? '' : 's'}</span></header>
${group.verdicts.map((v) => verdictBlock(v, `${policyWord[v.action]}.`, group.verdicts.length > 1))}
<p class="label">Evidence</p>
${evidenceList(group.findings)}
${group.verdict !== 'allow' && group.remedies.length > 0 ? html`<p class="label">To remove or fix</p><ul class="remedies">${group.remedies.map((r) => html`<li><code>${r}</code></li>`)}</ul>` : ''}
</section>`;
}

function mcpSection(servers: readonly Finding[]): SafeHtml | '' {
  if (servers.length === 0) return '';
  const item = (f: Finding) => {
    const action = effectiveAction(f);
    return html`<section class="tool ${action}" data-mcp-server="${f.evidence.server?.name ?? ''}" data-verdict="${action}">
<header>${badge(action)}<h3>${f.evidence.server?.name ?? ''}</h3><span class="meta">MCP server for ${f.toolName} · rule <code>${f.rule}</code></span></header>
<p class="wrap">${describe(f, undefined)}</p>
${f.reason ? html`<p><span class="label">Why:</span> ${f.reason}</p>` : ''}
${action !== 'allow' && f.remediation ? html`<p><span class="label">To remove:</span> <code>${f.remediation}</code></p>` : ''}
</section>`;
  };
  return html`<h2 id="mcp-servers">MCP servers</h2>${servers.map(item)}`;
}

function summaryCards(report: Report): SafeHtml {
  const card = (action: Action) =>
    html`<div class="card ${action}" id="summary-${action}" data-count="${report.summary[action]}"><span class="n">${report.summary[action]}</span><span class="l">${ACTION_LABEL[action]}</span></div>`;
  const servers = report.summary.mcpServers;
  const serverTotal = servers.block + servers.warn + servers.allow;
  return html`<div class="cards">${(['block', 'warn', 'allow'] as const).map(card)}</div>
${serverTotal > 0 ? html`<p id="summary-mcp" data-block="${servers.block}" data-warn="${servers.warn}" data-allow="${servers.allow}">MCP servers configured: ${servers.block} blocked, ${servers.warn} to review, ${servers.allow} allowed.</p>` : ''}`;
}

function machinePanel(report: Report, now: Date): SafeHtml {
  const files = report.policy.files;
  return html`<div class="panel"><dl class="facts">
<dt>Machine</dt><dd>${report.host.hostname}</dd>
${report.host.user ? html`<dt>User</dt><dd>${report.host.user}</dd>` : ''}
<dt>OS</dt><dd>${report.host.os}</dd>
<dt>Policy</dt><dd>${files.length === 0 ? 'built-in default' : html`<ul class="files">${files.map((f) => html`<li><span class="mono">${f.file ?? f.layer}</span> <span class="meta">(${f.layer})</span></li>`)}</ul>`}</dd>
<dt>Exit code 1</dt><dd>${FAIL_ON[report.failOn]}</dd>
<dt>Checked</dt><dd>${now.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')} by aitool ${report.aitool.version}</dd>
</dl></div>`;
}

function terminationsSection(report: Report): SafeHtml | '' {
  const attempts = report.terminations ?? [];
  if (attempts.length === 0) return '';
  return html`<h2 id="terminations">Processes stopped</h2><div class="panel"><ul>${attempts.map(
    (a) => html`<li>pid ${a.pid} <strong>${a.tool}</strong>: ${TERMINATION_OUTCOME[a.outcome]}${a.reason ? html` (${a.reason})` : ''}<br><code>${a.cmd}</code></li>`,
  )}</ul></div>`;
}

function notesSection(report: Report): SafeHtml | '' {
  const { warnings } = report.policy;
  if (warnings.length === 0 && report.skipped.length === 0 && report.notes.length === 0) return '';
  return html`<h2 id="notes">Notes</h2><div class="panel">
${warnings.length > 0 ? html`<p class="label">Policy warnings</p><ul>${warnings.map((w) => html`<li class="warning">${[w.file, w.key].filter(Boolean).map((part) => html`<span class="mono">${part}</span>: `)}${w.message}</li>`)}</ul>` : ''}
${report.skipped.length > 0 ? html`<p class="label">Skipped scanners</p><ul id="skipped">${report.skipped.map((s) => html`<li class="warning"><strong>${s.scanner}</strong>: ${s.reason}</li>`)}</ul>` : ''}
${report.notes.length > 0 ? html`<p class="label">Passed over while scanning</p><ul id="scan-notes">${report.notes.map((n) => html`<li><strong>${n.scanner}</strong>: ${n.path ? html`<span class="mono">${n.path}</span>: ` : ''}${n.message}</li>`)}</ul>` : ''}
</div>`;
}

export function formatHtml(report: Report, now: Date = report.time === undefined ? new Date() : new Date(report.time)): string {
  const groups = toolGroups(report);
  const servers = mcpServerFindings(report);
  const total = report.summary.block + report.summary.warn + report.summary.allow;
  return htmlPage(html`aitool report: ${report.host.hostname}`, CSS, html`
<h1>AI coding tools on ${report.host.hostname}</h1>
<p class="sub">${total === 0 ? 'No AI tools found.' : `${total} AI tool${total === 1 ? '' : 's'} found.`}</p>
${summaryCards(report)}
${machinePanel(report, now)}
${groups.length > 0 ? html`<h2 id="tools">Tools</h2>${groups.map(toolSection)}` : ''}
${mcpSection(servers)}
${terminationsSection(report)}
${notesSection(report)}
<footer>Written by aitool ${report.aitool.version}. Values read from the machine are shown as found; control characters are shown escaped (\\x1b). The full data: <code>aitool check --format json</code>.</footer>
`);
}
