// `aitool report`: a collection folder generated here (JSON and NDJSON
// reports, duplicates, stale machines, broken files, hostile host, tool and
// file names) summarised by the built CLI; the CSV and the HTML must say what
// the generator computed from the data it wrote, and the HTML, rendered in
// headless Chromium, must run nothing, load nothing and fit a phone.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Chromium, type Page } from '../helpers/chromium.js';
import { HOSTILE, writeFleet, type ExpectedFleet } from '../helpers/fleet-reports.mjs';
import { makeTempDir, removeTempDirs } from '../helpers/temp.js';
import { makeWorld, runCli, type World } from './run-cli.js';

const OUTPUT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-output');
const NOW = '2026-06-01T12:00:00.000Z';

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) row.push(cell), rows.push(row);
  return rows;
}

/** What a spreadsheet cell must hold: a value that starts like a formula gets a leading apostrophe. */
const asCell = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
/** What the page shows for a value: the template escapes bidirectional controls visibly. */
const asShown = (value: string) => value.replace(/\u202e/g, '\\u202e');

function records(csv: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(csv);
  for (const row of rows) expect(row.length).toBe(header!.length);
  return rows.map((row) => Object.fromEntries(header!.map((name, i) => [name, row[i]!])));
}

let world: World;
let collected: string;
let fleet: ExpectedFleet;
let htmlFile: string;
let csvFile: string;
let browser: Chromium | undefined;

beforeAll(async () => {
  world = makeWorld();
  const base = await makeTempDir('aitool-fleet-');
  collected = join(base, 'collected');
  mkdirSync(collected);
  fleet = writeFleet(collected, { count: 400, now: Date.parse(NOW), hostile: true });
  htmlFile = join(base, 'out', 'summary.html');
  csvFile = join(base, 'out', 'summary.csv');
  mkdirSync(dirname(htmlFile));
  const result = await runCli(['report', collected, '--output', htmlFile, '--csv', csvFile, '--now', NOW], world);
  expect([result.exitCode, result.stderr]).toEqual([0, '']);
  expect(result.stdout).toMatch(new RegExp(`^aitool: ${fleet.machines.size} machines from ${fleet.files} files: ${fleet.byVerdict.block} with a blocked tool, ${fleet.byVerdict.warn} with a tool to review, ${fleet.stale} stale;`));
}, 120_000);

afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

afterAll(async () => {
  world.cleanup();
  await removeTempDirs();
});

describe('aitool report: the generated fleet', () => {
  it('the fixture has what the tests rely on: duplicates, stale machines, broken and partly-read files, every verdict, hostile names', () => {
    expect(fleet.duplicateCount).toBeGreaterThan(3);
    expect(fleet.stale).toBeGreaterThan(3);
    expect(new Set(fleet.unusable.map((u) => u.reason))).toEqual(
      new Set(['not valid JSON', 'schemaVersion 2', 'not an aitool report', 'empty file', 'finding 1', 'schemaVersion a list']),
    );
    expect(fleet.partlyRead.length).toBeGreaterThan(0);
    for (const verdict of ['block', 'warn', 'allow', 'clean'] as const) expect(fleet.byVerdict[verdict]).toBeGreaterThan(3);
    for (const host of HOSTILE.hosts) expect(fleet.machines.has(host)).toBe(true);
    for (const [id] of HOSTILE.tools) expect(fleet.toolCounts.has(id)).toBe(true);
  });

  it('CSV: one row per machine (its newest report), the strictest verdict per tool, formula-safe cells, the report file', () => {
    const text = readFileSync(csvFile, 'utf8');
    const rows = records(text);
    expect(rows).toHaveLength(fleet.machines.size);
    const header = parseCsv(text)[0]!;
    const toolColumns = header.slice(header.indexOf('strictest') + 1, header.indexOf('report_file'));
    expect(new Set(toolColumns)).toEqual(new Set([...fleet.toolCounts.keys()].map(asCell)));
    const byHost = new Map(rows.map((r) => [r.machine!, r]));
    for (const machine of fleet.machines.values()) {
      const row = byHost.get(asCell(machine.host));
      expect(row, machine.host).toBeDefined();
      expect(row!.strictest).toBe(machine.strictest);
      expect(row!.stale).toBe(machine.stale ? 'yes' : 'no');
      expect(row!.report_file).toBe(relative(dirname(csvFile), machine.file));
      for (const id of fleet.toolCounts.keys()) expect(row![asCell(id)], `${machine.host} ${id}`).toBe(machine.tools[id] ?? '');
    }
    // No cell a spreadsheet would run: every cell starting with a formula character is the apostrophe-prefixed form.
    for (const cell of parseCsv(text).flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example/"",""click"")"`);
  });

  it('HTML in Chromium: loads nothing but itself, runs nothing from the reports, logs no error', async () => {
    const page = await open(1280, 900, false);
    const requests = page.events('Network.requestWillBeSent').map((e) => (e.params.request as { url: string }).url);
    expect(requests).toEqual([pathToFileURL(htmlFile).href]);
    expect(page.events('Runtime.consoleAPICalled').filter((e) => e.params.type === 'error' || e.params.type === 'assert')).toEqual([]);
    expect(page.events('Runtime.exceptionThrown')).toEqual([]);
    expect(page.events('Log.entryAdded').filter((e) => (e.params.entry as { level: string }).level === 'error')).toEqual([]);
    expect(page.events('Page.javascriptDialogOpening')).toEqual([]);
    expect(await page.evaluate("document.querySelectorAll('script, img, iframe, object, embed, b').length")).toBe(0);
    expect(await page.evaluate("[...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => a.name)).filter((n) => n.startsWith('on'))")).toEqual([]);
    expect(await page.evaluate("document.querySelectorAll('style').length")).toBe(1);
    // Every link is a file link into the collection (no javascript:, no http:), to a file that was an input.
    // (Links within the page, `#inputs`, aside.)
    const hrefs = await page.evaluate<string[]>("[...document.querySelectorAll('a[href]')].filter((a) => !a.getAttribute('href').startsWith('#')).map((a) => a.href)");
    expect(await page.evaluate("[...document.querySelectorAll('a[href^=\"#\"]')].map((a) => a.getAttribute('href'))")).toEqual(['#inputs']);
    expect(hrefs.length).toBe(fleet.machines.size + fleet.stale);
    const inputs = new Set([...fleet.machines.values()].map((m) => m.file));
    for (const href of hrefs) {
      expect(href.startsWith('file:///')).toBe(true);
      expect(inputs.has(fileURLToPath(href)), href).toBe(true);
    }
    const text = await page.evaluate<string>('document.body.innerText');
    for (const host of HOSTILE.hosts.filter((h) => !h.startsWith('\t'))) expect(text).toContain(asShown(host));
    for (const [id, name] of HOSTILE.tools) expect(text).toContain(id), expect(text).toContain(name);
    expect(text).not.toContain('\u202e');
  }, 60_000);

  it('HTML: the counts, the tool table, the matrix, the stale list and the input problems match the inputs', async () => {
    const page = await open(1280, 900, false);
    const dom = await page.evaluate<{
      cards: Record<string, number>;
      cardText: Record<string, string>;
      tools: Array<{ id: string; block: number; warn: number; allow: number }>;
      columns: string[];
      rows: Array<{ host: string; verdict: string; href: string; cells: string[] }>;
      stale: string[];
      issues: Record<string, string>;
      issueRows: Array<{ file: string; kind: string; why: string }>;
      leftOut: Record<string, string>;
      totals: Record<string, string>;
    }>(`(() => {
      const cards = {}, cardText = {};
      for (const key of ['block', 'warn', 'allow', 'clean', 'stale']) {
        const card = document.getElementById('count-' + key);
        cards[key] = Number(card.dataset.count);
        cardText[key] = card.querySelector('.n').textContent;
      }
      const matrix = document.getElementById('matrix');
      const columns = [...matrix.querySelectorAll('thead th[data-tool]')].map((th) => th.dataset.tool);
      const first = [...matrix.querySelectorAll('thead th')].findIndex((th) => th.dataset.tool !== undefined);
      return {
        cards, cardText, columns,
        tools: [...document.querySelectorAll('#tool-counts tr[data-tool]')].map((r) => ({ id: r.dataset.tool, block: +r.dataset.block, warn: +r.dataset.warn, allow: +r.dataset.allow })),
        rows: [...matrix.querySelectorAll('tbody tr')].map((r) => ({
          host: r.dataset.host, verdict: r.dataset.verdict, href: r.querySelector('a').href,
          cells: [...r.children].slice(first, first + columns.length).map((td) => td.textContent),
        })),
        stale: [...document.querySelectorAll('#stale-machines tr[data-host]')].map((r) => r.dataset.host),
        issues: { ...document.getElementById('issues').dataset },
        issueRows: [...document.querySelectorAll('#issues li[data-kind]')].map((r) => ({ file: r.dataset.file, kind: r.dataset.kind, why: r.querySelector('.why').textContent })),
        leftOut: { ...document.getElementById('left-out').dataset },
        totals: { ...document.getElementById('totals').dataset },
      };
    })()`);
    expect(dom.totals).toEqual({ machines: String(fleet.machines.size), files: String(fleet.files) });
    expect(dom.cards).toEqual({ ...fleet.byVerdict, stale: fleet.stale });
    for (const [key, n] of Object.entries(dom.cards)) expect(dom.cardText[key]).toBe(n.toLocaleString('en-US'));
    expect(new Map(dom.tools.map(({ id, ...counts }) => [id, counts]))).toEqual(fleet.toolCounts);

    const cellWord: Record<string, string> = { block: 'Block', warn: 'Review', allow: 'Allow' };
    expect(dom.rows).toHaveLength(fleet.machines.size);
    for (const row of dom.rows) {
      const machine = [...fleet.machines.values()].find((m) => asShown(m.host) === row.host);
      expect(machine, row.host).toBeDefined();
      expect(row.verdict).toBe(machine!.strictest);
      expect(fileURLToPath(row.href)).toBe(machine!.file);
      expect(row.cells).toEqual(dom.columns.map((id) => cellWord[machine!.tools[id] ?? ''] ?? ''));
    }
    expect(new Set(dom.stale)).toEqual(new Set([...fleet.machines.values()].filter((m) => m.stale).map((m) => asShown(m.host))));

    expect(dom.issues).toEqual({
      unusable: String(fleet.unusable.length),
      partlyRead: String(fleet.partlyRead.length),
      duplicate: String(fleet.duplicateCount),
    });
    // Every broken file is listed with its reason (the first rows are open, the rest folded: all are in the DOM).
    for (const { file, reason } of fleet.unusable) {
      const row = dom.issueRows.find((r) => r.file === file);
      expect(row, file).toBeDefined();
      expect(row!.kind).toBe('unusable');
      expect(row!.why).toContain(reason);
    }
    const older = [...fleet.machines.values()].flatMap((m) => m.older);
    expect(new Set(dom.issueRows.filter((r) => r.kind === 'duplicate').map((r) => r.file))).toEqual(new Set(older));
    expect(new Set(dom.issueRows.filter((r) => r.kind === 'partly-read').map((r) => r.file))).toEqual(new Set(fleet.partlyRead));
    expect(dom.leftOut).toEqual({ overCap: '0', linksOut: String(fleet.leftOut.linksOut), otherNames: String(fleet.leftOut.otherNames) });
  }, 60_000);

  it('fits a 390 px phone (only the tables scroll sideways, inside their frame); screenshots of both views are saved', async () => {
    mkdirSync(OUTPUT, { recursive: true });
    const laptop = await open(1280, 900, false);
    writeFileSync(join(OUTPUT, 'fleet-report-laptop.png'), await laptop.screenshot(false));
    await browser!.close();
    const phone = await open(390, 844, true);
    expect(await phone.evaluate('window.innerWidth')).toBe(390);
    expect(await phone.evaluate('document.scrollingElement.scrollWidth')).toBeLessThanOrEqual(390);
    const overflowing = await phone.evaluate<string[]>(
      "[...document.querySelectorAll('body *')].filter((e) => !e.closest('.scroll') && e.getBoundingClientRect().right > 390.5).map((e) => e.tagName + '.' + e.className)",
    );
    expect(overflowing).toEqual([]);
    // The scrolling frames themselves stay within the screen.
    expect(await phone.evaluate("Math.max(...[...document.querySelectorAll('.scroll')].map((e) => e.getBoundingClientRect().right))")).toBeLessThanOrEqual(390);
    writeFileSync(join(OUTPUT, 'fleet-report-phone.png'), await phone.screenshot(false));
    expect(readFileSync(join(OUTPUT, 'fleet-report-phone.png')).subarray(1, 4).toString()).toBe('PNG');
  }, 60_000);
});

async function open(width: number, height: number, mobile: boolean): Promise<Page> {
  browser = await Chromium.launch();
  const page = await browser.newPage();
  await page.viewport(width, height, mobile);
  await page.open(pathToFileURL(htmlFile).href);
  return page;
}

describe('aitool report: limits, options and exit codes', () => {
  it('caps: files over --max-files are counted, a file over --max-file-size is listed unread, a link out of the folder is not followed', async () => {
    const base = await makeTempDir('aitool-fleet-caps-');
    const folder = join(base, 'in');
    mkdirSync(folder);
    const report = (host: string) => JSON.stringify({ schemaVersion: 1, host: { hostname: host, os: 'linux' }, findings: [] });
    for (let i = 0; i < 8; i++) writeFileSync(join(folder, `r${i}.json`), report(`m${i}`));
    writeFileSync(join(folder, 'big.json'), report('big').replace('[]', `[${'{"tool":"x","action":"allow"},'.repeat(2000)}{"tool":"x","action":"allow"}]`));
    writeFileSync(join(base, 'secret.json'), report('outside'));
    symlinkSync(join(base, 'secret.json'), join(folder, 's-link.json'));
    const csv = join(base, 'out.csv');
    const html = join(base, 'out.html');

    const capped = await runCli(['report', folder, '--csv', csv, '--output', html, '--max-files', '5', '--max-file-size', '2k'], world);
    expect([capped.exitCode, capped.stderr]).toEqual([0, '']);
    // Sorted names: big.json, r0..r3 are the five read; big.json is over 2k.
    const rows = records(readFileSync(csv, 'utf8'));
    expect(rows.map((r) => r.machine)).toEqual(['m0', 'm1', 'm2', 'm3']);
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/data-over-cap="4" data-links-out="1"/);
    expect(page).toMatch(/big\.json<\/span><span class="why"><span class="tag unusable">Not used<\/span> larger than 2 KiB \([\d.]+ KiB\); not read/);
    expect(page).not.toContain('outside');

    const all = await runCli(['report', folder, '--csv', csv], world);
    expect(all.exitCode).toBe(0);
    expect(records(readFileSync(csv, 'utf8')).map((r) => r.machine).sort()).toEqual(['big', 'm0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);
  });

  it('reads reports saved by PowerShell (UTF-16 and UTF-8 with a byte order mark) and a log file of many runs and machines', async () => {
    const base = await makeTempDir('aitool-fleet-enc-');
    const report = (host: string, action: string) =>
      JSON.stringify({ schemaVersion: 1, host: { hostname: host, os: 'windows' }, findings: [{ tool: 'cursor', toolName: 'Cursor', action }] });
    writeFileSync(join(base, 'utf16.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(report('win-16', 'block'), 'utf16le')]));
    writeFileSync(join(base, 'utf8bom.json'), `\ufeff${report('win-8', 'warn')}`);
    const line = (time: string, host: string, tool: string, action: string) => `${JSON.stringify({ time, hostname: host, os: 'linux', tool, action })}\n`;
    // A shipper's file: two runs of mac-1 (the later one is clean of codex), one of mac-2.
    writeFileSync(
      join(base, 'shipped.ndjson'),
      line('2026-05-30T10:00:00Z', 'mac-1', 'codex', 'block') +
        line('2026-05-30T10:00:00Z', 'mac-1', 'cursor', 'allow') +
        line('2026-05-31T10:00:00Z', 'mac-2', 'aider', 'warn') +
        line('2026-05-31T11:00:00Z', 'mac-1', 'cursor', 'allow'),
    );
    const csv = join(base, 'out.csv');
    const html = join(base, 'out.html');
    const result = await runCli(['report', base, '--csv', csv, '--output', html, '--now', NOW], world);
    expect([result.exitCode, result.stderr]).toEqual([0, '']);
    const rows = records(readFileSync(csv, 'utf8'));
    expect(rows.map((r) => [r.machine, r.strictest, r.last_report])).toEqual([
      ['win-16', 'block', expect.any(String)],
      ['mac-2', 'warn', '2026-05-31T10:00:00.000Z'],
      ['win-8', 'warn', expect.any(String)],
      ['mac-1', 'allow', '2026-05-31T11:00:00.000Z'],
    ]);
    expect(readFileSync(html, 'utf8')).toContain('an older report of mac-1 (2026-05-30T10:00:00Z); the summary uses a later run in the same file');
  });

  it('a named file that is missing is listed, not fatal; bad options and an unwritable output exit 2 with one line', async () => {
    const base = await makeTempDir('aitool-fleet-opts-');
    const html = join(base, 'out.html');
    const missing = await runCli(['report', join(base, 'nope.json'), '--output', html], world);
    expect([missing.exitCode, missing.stderr]).toEqual([0, '']);
    expect(readFileSync(html, 'utf8')).toMatch(/nope\.json<\/span><span class="why"><span class="tag unusable">Not used<\/span> not found/);

    for (const args of [
      ['report', base],
      ['report', base, '--output', html, '--stale-days', 'soon'],
      ['report', base, '--output', html, '--now', 'yesterday'],
      ['report', base, '--output', html, '--max-file-size', '1G'],
      ['report', base, '--output', html, '--max-files', '0'],
      ['report', base, '--output', join(base, 'no', 'such', 'folder', 'out.html')],
    ]) {
      const result = await runCli(args, world);
      expect([args, result.exitCode, result.stdout]).toEqual([args, 2, '']);
      expect(result.stderr).toMatch(/^aitool: [^\n]+$/);
    }
  });
});

describe('aitool report: 10,000 reports', () => {
  it('summarises 10,000 generated reports with the counts the generator computed', async () => {
    const base = await makeTempDir('aitool-fleet-10k-');
    const folder = join(base, 'collected');
    mkdirSync(folder);
    const big = writeFleet(folder, { count: 10_000, now: Date.parse(NOW), seed: 10_000 });
    expect(big.files).toBe(10_000);
    const csv = join(base, 'summary.csv');
    const html = join(base, 'summary.html');
    const result = await runCli(['report', folder, '--csv', csv, '--output', html, '--now', NOW], world, {}, { timeoutMs: 120_000 });
    expect([result.exitCode, result.stderr]).toEqual([0, '']);

    const rows = records(readFileSync(csv, 'utf8'));
    expect(rows).toHaveLength(big.machines.size);
    const strictest = { block: 0, warn: 0, allow: 0, clean: 0 } as Record<string, number>;
    for (const row of rows) strictest[row.strictest!]!++;
    expect(strictest).toEqual(big.byVerdict);
    expect(rows.filter((r) => r.stale === 'yes')).toHaveLength(big.stale);
    for (const [id, counts] of big.toolCounts) {
      for (const verdict of ['block', 'warn', 'allow'] as const) expect(rows.filter((r) => r[id] === verdict).length, `${id} ${verdict}`).toBe(counts[verdict]);
    }

    const page = readFileSync(html, 'utf8');
    const count = (id: string) => Number(new RegExp(`id="count-${id}" data-count="(\\d+)"`).exec(page)?.[1]);
    expect({ block: count('block'), warn: count('warn'), allow: count('allow'), clean: count('clean') }).toEqual(big.byVerdict);
    expect(count('stale')).toBe(big.stale);
    expect(page).toContain(`data-machines="${big.machines.size}" data-files="10000"`);
    expect(page).toContain(`data-unusable="${big.unusable.length}" data-partly-read="${big.partlyRead.length}" data-duplicate="${big.duplicateCount}"`);
    expect(page.match(/<tr data-host=/g)).toHaveLength(big.machines.size + big.stale);
  }, 180_000);
});

describe('a report aitool check writes today', () => {
  it('refuses a report dated after the summary (a forged far-future time would stand for the machine for good), and keeps the machine\'s real one', async () => {
    const w = makeWorld();
    try {
      const folder = join(w.root, 'collected');
      mkdirSync(folder);
      const report = (time: string, findings: unknown[]) => JSON.stringify({ schemaVersion: 1, time, host: { hostname: 'victim', os: 'linux' }, findings });
      writeFileSync(join(folder, 'a.json'), report('2026-12-06T10:00:00Z', [{ tool: 'claude-code', toolName: 'Claude Code', action: 'block' }]));
      writeFileSync(join(folder, 'b-forged.json'), report('9999-12-31T00:00:00Z', []));
      // A log line from the future is refused too; the machine's other line is read.
      const line = (time: string, action: string) => JSON.stringify({ time, hostname: 'other', os: 'linux', tool: 'codex', action });
      writeFileSync(join(folder, 'log.ndjson'), `${line('9999-01-01T00:00:00Z', 'warn')}\n${line('2026-12-06T09:00:00Z', 'allow')}\n`);
      // Within a day ahead (a clock a little wrong) is still read.
      writeFileSync(join(folder, 'skewed.json'), JSON.stringify({ schemaVersion: 1, time: '2026-12-06T18:00:00Z', host: { hostname: 'skewed', os: 'linux' }, findings: [] }));
      const csv = join(w.root, 'fleet.csv');
      const page = join(w.root, 'fleet.html');
      const summary = await runCli(['report', folder, '--csv', csv, '--output', page, '--now', '2026-12-06T12:00:00Z'], w);
      expect(summary.exitCode, summary.stderr).toBe(0);
      const rows = records(readFileSync(csv, 'utf8'));
      expect(rows.map((r) => [r.machine, r.last_report, r.strictest, r.report_file])).toEqual(
        expect.arrayContaining([
          ['victim', '2026-12-06T10:00:00.000Z', 'block', 'collected/a.json'],
          ['other', '2026-12-06T09:00:00.000Z', 'allow', 'collected/log.ndjson'],
          ['skewed', '2026-12-06T18:00:00.000Z', 'clean', 'collected/skewed.json'],
        ]),
      );
      expect(rows).toHaveLength(3);
      const html = readFileSync(page, 'utf8');
      expect(html).toContain('dated &quot;9999-12-31T00:00:00Z&quot;, after the time of this summary');
      expect(html).toContain('dated &quot;9999-01-01T00:00:00Z&quot;, after the time of this summary');
    } finally {
      w.cleanup();
    }
  });

  it('carries its time, and the summary dates the machine by it rather than by the file', async () => {
    const w = makeWorld();
    try {
      const before = Date.now();
      const check = await runCli(['check', '--format', 'json'], w);
      expect(check.exitCode, check.stderr).toBeLessThan(2);
      const report = JSON.parse(check.stdout) as { time: string; host: { hostname: string } };
      expect(report.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(Date.parse(report.time)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(report.time)).toBeLessThanOrEqual(Date.now() + 1000);

      // Collected a month late: the file's own time says stale, the report's says not.
      const folder = join(w.root, 'collected');
      mkdirSync(folder);
      const file = join(folder, 'machine.json');
      writeFileSync(file, check.stdout);
      const { utimesSync } = await import('node:fs');
      const monthAgo = new Date(Date.parse(report.time) - 30 * 86_400_000);
      utimesSync(file, monthAgo, monthAgo);
      const csv = join(w.root, 'fleet.csv');
      const now = new Date(Date.parse(report.time) + 3_600_000).toISOString();
      const summary = await runCli(['report', folder, '--csv', csv, '--now', now], w);
      expect(summary.exitCode, summary.stderr).toBe(0);
      const [header, row] = parseCsv(readFileSync(csv, 'utf8'));
      const cell = (name: string) => row![header!.indexOf(name)];
      expect(cell('machine')).toBe(report.host.hostname);
      expect(cell('stale')).toBe('no');
      expect(Date.parse(cell('last_report')!)).toBe(Date.parse(report.time));
    } finally {
      w.cleanup();
    }
  });
});
