/**
 * The fleet summary as one self-contained page (no script, no external
 * asset; the Content-Security-Policy forbids both), in the look of the
 * per-machine `check --format html` report. Host names, tool names and file
 * names come from collected files anyone on those machines could write:
 * every one goes through the `html` template, which escapes it.
 */
import path from 'node:path';
import { ACTION_LABEL } from '../labels.js';
import type { Action } from '../types.js';
import { formatBytes, type LeftOut } from './inputs.js';
import { htmlPage } from '../report/html-page.js';
import { html, raw, type SafeHtml } from '../report/html-template.js';
import type { FleetSummary, InputIssue, Machine, Strictest } from './summary.js';

const VERDICT_LABEL: Record<Strictest, string> = { ...ACTION_LABEL, clean: 'None found' };

const CARD_LABEL: Record<Strictest, string> = {
  block: 'machines with a blocked tool',
  warn: 'with a tool to review',
  allow: 'with allowed tools only',
  clean: 'with no AI tool found',
};

const ISSUE_LABEL: Record<InputIssue['kind'], string> = { unusable: 'Not used', 'partly-read': 'Partly read', duplicate: 'Duplicate' };

/** Input problems shown open; the rest fold into a <details> (a broken collector can produce thousands). */
const OPEN_ISSUES = 20;

// This page's own rules, after the palette, type and cards it shares with the per-machine report (src/report/html-page.ts).
const CSS = `
main{max-width:80rem;margin:0 auto;padding:1.5rem 1rem 3rem}
.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.86em}
.sub,.meta{color:var(--muted)}
.sub{margin:0}
.meta{font-size:.85rem}
.wrap,td,li{overflow-wrap:anywhere;word-break:break-word}
.cards{display:grid;grid-template-columns:repeat(5,minmax(0,1fr));gap:.75rem;margin:1rem 0}
.card.clean{border-top-color:#98a2b3}.card.clean .n{color:#475467}
.card.stale{border-top-color:#344054}
.panel.issues{border-left:5px solid #dc6803}
.notice{background:var(--warn-bg);border:1px solid #fedf89;border-radius:8px;padding:.5rem .75rem;margin:.25rem 0 1rem}
.issues-list{list-style:none;padding:0;margin:.5rem 0 0}
.issues-list li{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,3fr);gap:.25rem 1rem;padding:.45rem 0;border-top:1px solid var(--line)}
.issues-list .file{overflow-wrap:anywhere}
.tag{font-size:.72rem;font-weight:700;text-transform:uppercase;letter-spacing:.02em;border-radius:4px;padding:.05rem .4rem;background:#f2f4f7;color:#344054}
.tag.unusable{background:var(--block-bg);color:var(--block)}.tag.partly-read,.tag.duplicate{background:var(--warn-bg);color:var(--warn)}
.scroll{overflow-x:auto;background:var(--card);border:1px solid var(--line);border-radius:10px;margin:.75rem 0}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
thead th{font-size:.8rem;color:var(--muted);font-weight:600;background:#fafbfc}
tbody tr:last-child td{border-bottom:0}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.matrix th,.matrix td{white-space:nowrap}
.matrix thead th.tool{max-width:9rem;overflow:hidden;text-overflow:ellipsis}
.matrix th[scope=row]{position:sticky;left:0;background:var(--card);font-weight:600;max-width:16rem;overflow:hidden;text-overflow:ellipsis;box-shadow:1px 0 0 var(--line)}
.matrix thead th:first-child{position:sticky;left:0;z-index:1}
.v{display:inline-block;font-size:.72rem;font-weight:700;letter-spacing:.02em;text-transform:uppercase;border-radius:999px;padding:.05rem .5rem}
.v.block{background:var(--block-bg);color:var(--block)}.v.warn{background:var(--warn-bg);color:var(--warn)}.v.allow{background:var(--allow-bg);color:var(--allow)}.v.clean{background:#f2f4f7;color:var(--muted)}
.stale-tag{color:#475467;font-size:.75rem;font-weight:600;margin-left:.35rem}
@media (max-width:60rem){.cards{grid-template-columns:repeat(3,minmax(0,1fr))}}
@media (max-width:40rem){main{padding:1rem .75rem 2rem}h1{font-size:1.3rem}.cards{grid-template-columns:repeat(2,minmax(0,1fr));gap:.5rem}.card{padding:.5rem .75rem}.card .n{font-size:1.5rem}.card .l{font-size:.8rem;line-height:1.3;display:block}.card.stale{grid-column:1/-1}.tid{display:block}.issues-list li{grid-template-columns:1fr}}
@media print{body{background:#fff}.panel,.card{break-inside:avoid}.scroll{overflow:visible}}
`;

function when(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/**
 * A link from the summary's folder to an input file: relative, each segment
 * percent-encoded, so a file name cannot become a scheme (`javascript:`), a
 * query or a fragment; the template then escapes it as an attribute.
 */
export function relativeHref(outputFolder: string, file: string): string {
  return path.relative(outputFolder, file).split(path.sep).map(encodeURIComponent).join('/');
}

function verdictChip(verdict: Strictest): SafeHtml {
  return html`<span class="v ${verdict}">${VERDICT_LABEL[verdict]}</span>`;
}

// Matrix cells are the bulk of a 10,000-machine page: built once per verdict, reused.
const CELL: Record<Action | 'none', string> = {
  block: '<td><span class="v block">Block</span></td>',
  warn: '<td><span class="v warn">Review</span></td>',
  allow: '<td><span class="v allow">Allow</span></td>',
  none: '<td></td>',
};

function summaryCards(summary: FleetSummary): SafeHtml {
  const card = (key: Strictest) =>
    html`<div class="card ${key}" id="count-${key}" data-count="${summary.byVerdict[key]}"><span class="n">${summary.byVerdict[key].toLocaleString('en-US')}</span><span class="l">${CARD_LABEL[key]}</span></div>`;
  return html`<div class="cards">${(['block', 'warn', 'allow', 'clean'] as const).map(card)}<div class="card stale" id="count-stale" data-count="${summary.stale.length}"><span class="n">${summary.stale.length.toLocaleString('en-US')}</span><span class="l">not reported for over ${plural(summary.staleDays, 'day')}</span></div></div>`;
}

function leftOutText(leftOut: LeftOut, maxFiles: number, maxFileBytes: number): SafeHtml | '' {
  const parts: string[] = [];
  if (leftOut.overFileCap > 0) parts.push(`${plural(leftOut.overFileCap, 'file')} over the limit of ${maxFiles.toLocaleString('en-US')} files`);
  if (leftOut.linksOut > 0) parts.push(`${plural(leftOut.linksOut, 'symbolic link')} leading out of the folder`);
  if (leftOut.otherNames > 0) parts.push(`${plural(leftOut.otherNames, 'file')} not named .json, .ndjson or .jsonl`);
  if (leftOut.notRegular > 0) parts.push(`${plural(leftOut.notRegular, 'special file')} (socket, FIFO, device)`);
  if (leftOut.tooDeep > 0) parts.push(`${plural(leftOut.tooDeep, 'folder')} nested too deep`);
  if (parts.length === 0) return '';
  return html`<p id="left-out" data-over-cap="${leftOut.overFileCap}" data-links-out="${leftOut.linksOut}" data-other-names="${leftOut.otherNames}">Left out of the folders: ${parts.join('; ')}. Files over ${formatBytes(maxFileBytes)} are listed above, unread.</p>`;
}

function issueCounts(issues: readonly InputIssue[]): Record<InputIssue['kind'], number> {
  const counts = { unusable: 0, 'partly-read': 0, duplicate: 0 };
  for (const issue of issues) counts[issue.kind]++;
  return counts;
}

/** A line under the counts that says inputs had problems, and where they are listed. */
function issuesNotice(summary: FleetSummary): SafeHtml | '' {
  if (summary.issues.length === 0) return '';
  const counts = issueCounts(summary.issues);
  return html`<p class="notice"><a href="#inputs">${plural(summary.issues.length, 'input problem')}</a>: ${plural(counts.unusable, 'file')} not used, ${plural(counts['partly-read'], 'file')} partly read, ${plural(counts.duplicate, 'older duplicate')} of a machine.</p>`;
}

function issuesSection(summary: FleetSummary, display: (file: string) => string, limits: { maxFiles: number; maxFileBytes: number }): SafeHtml | '' {
  const { issues } = summary;
  const left = leftOutText(summary.leftOut, limits.maxFiles, limits.maxFileBytes);
  if (issues.length === 0 && !left) return '';
  const item = (issue: InputIssue) =>
    html`<li data-kind="${issue.kind}" data-file="${issue.file}"><span class="file mono">${display(issue.file)}</span><span class="why"><span class="tag ${issue.kind}">${ISSUE_LABEL[issue.kind]}</span> ${issue.reason}${issue.newer ? html` <span class="mono">${display(issue.newer)}</span>` : ''}</span></li>`;
  const list = (items: readonly InputIssue[]) => html`<ul class="issues-list">${items.map(item)}</ul>`;
  const counts = issueCounts(issues);
  return html`<h2 id="inputs">Inputs with problems</h2><div class="panel issues" id="issues" data-unusable="${counts.unusable}" data-partly-read="${counts['partly-read']}" data-duplicate="${counts.duplicate}">
<p>${plural(counts.unusable, 'file')} not used, ${plural(counts['partly-read'], 'file')} partly read (their usable lines count), ${plural(counts.duplicate, 'older report')} of a machine passed over for its newest. Paths are relative to this page.</p>
${issues.length > 0 ? list(issues.slice(0, OPEN_ISSUES)) : ''}
${issues.length > OPEN_ISSUES ? html`<details><summary>${plural(issues.length - OPEN_ISSUES, 'more', 'more')}</summary>${list(issues.slice(OPEN_ISSUES))}</details>` : ''}
${left}</div>`;
}

function toolsTable(summary: FleetSummary): SafeHtml | '' {
  if (summary.tools.length === 0) return '';
  return html`<h2 id="tools">Tools</h2><p class="sub">Machines where each tool was found, by the policy's verdict on that machine.</p><div class="scroll"><table id="tool-counts">
<thead><tr><th>Tool</th><th class="n">Blocked</th><th class="n">To review</th><th class="n">Allowed</th></tr></thead>
<tbody>${summary.tools.map(
    (t) =>
      html`<tr data-tool="${t.id}" data-block="${t.block}" data-warn="${t.warn}" data-allow="${t.allow}"><td><strong>${t.name}</strong> <span class="meta mono tid">${t.id}</span></td><td class="n">${t.block || ''}</td><td class="n">${t.warn || ''}</td><td class="n">${t.allow || ''}</td></tr>`,
  )}</tbody></table></div>`;
}

function lastReport(machine: Machine): SafeHtml {
  const source = machine.timeFrom === 'file' ? "the file's modification time (the report carries no time)" : 'the report';
  return html`<span title="${`from ${source}`}">${when(machine.time)}</span>`;
}

function staleTable(summary: FleetSummary, href: (file: string) => string): SafeHtml {
  if (summary.stale.length === 0) return html`<h2 id="stale">Not reporting</h2><p class="sub">Every machine reported in the last ${plural(summary.staleDays, 'day')}.</p>`;
  return html`<h2 id="stale">Not reporting</h2><p class="sub">Machines whose newest report is older than ${plural(summary.staleDays, 'day')}, oldest first.</p><div class="scroll"><table id="stale-machines">
<thead><tr><th>Machine</th><th>Last report</th><th class="n">Days</th></tr></thead>
<tbody>${summary.stale.map((m) => html`<tr data-host="${m.host}"><td><a href="${href(m.file)}">${m.host}</a></td><td>${lastReport(m)}</td><td class="n">${m.ageDays}</td></tr>`)}</tbody></table></div>`;
}

function matrix(summary: FleetSummary, href: (file: string) => string): SafeHtml {
  const names = new Map(summary.tools.map((t) => [t.id, t.name]));
  const other = summary.otherTools.length > 0;
  const head = html`<thead><tr><th>Machine</th><th>Verdict</th><th>Last report</th>${summary.columns.map(
    (id) => html`<th class="tool" title="${names.get(id) ?? id}" data-tool="${id}">${id}</th>`,
  )}${other ? html`<th class="tool" title="${summary.otherTools.join(', ')}">${plural(summary.otherTools.length, 'other tool')}</th>` : ''}</tr></thead>`;
  const rows = summary.machines.map((m) => {
    const cells = summary.columns.map((id) => CELL[m.tools.get(id)?.verdict ?? 'none']).join('');
    const duplicates = m.duplicates.length > 0 ? html` <span class="meta" title="${m.duplicates.join('\n')}">(+${m.duplicates.length} older)</span>` : '';
    return html`<tr data-host="${m.host}" data-verdict="${m.strictest}"><th scope="row"><a href="${href(m.file)}"${m.user ? html` title="${`user ${m.user}`}"` : ''}>${m.host}</a>${duplicates}</th><td>${verdictChip(m.strictest)}</td><td>${lastReport(m)}${m.stale ? html`<span class="stale-tag">stale</span>` : ''}</td>${raw(cells)}${other ? raw(CELL[m.other ?? 'none']) : ''}</tr>`;
  });
  return html`<h2 id="machines">Machines</h2><p class="sub">Each machine's newest report, the strictest verdict per tool; the name links to the report file.</p><div class="scroll"><table class="matrix" id="matrix">${head}<tbody>${rows}</tbody></table></div>`;
}

export interface HtmlOptions {
  /** The page's own path: links to the reports are relative to its folder. */
  outputFile: string;
  maxFiles: number;
  maxFileBytes: number;
  version: string;
}

export function formatFleetHtml(summary: FleetSummary, options: HtmlOptions): string {
  const folder = path.dirname(path.resolve(options.outputFile));
  const href = (file: string) => relativeHref(folder, file);
  const machines = summary.machines.length;
  return htmlPage(html`aitool fleet summary`, CSS, html`
<h1>AI coding tools across ${plural(machines, 'machine')}</h1>
<p class="sub" id="totals" data-machines="${machines}" data-files="${summary.files}">From ${plural(summary.files, 'report file')}, as of ${when(summary.now)}.</p>
${summaryCards(summary)}
${issuesNotice(summary)}
${toolsTable(summary)}
${staleTable(summary, href)}
${machines > 0 ? matrix(summary, href) : html`<p>No usable report.</p>`}
${issuesSection(summary, (file) => path.relative(folder, file), options)}
<footer>Written by aitool ${options.version} (<span class="mono">aitool report</span>). A report is dated by its own time, or by its file's modification time when it carries none. Values from the reports are shown as found; control characters are shown escaped (\\x1b).</footer>
`);
}
