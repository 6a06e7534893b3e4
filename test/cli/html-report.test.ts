// `check --format html` rendered in headless Chromium: self-contained (no
// request but the file itself), nothing from the machine runs or becomes
// markup, the numbers are the JSON report's, and it fits a phone.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { Chromium, type Page } from '../helpers/chromium.js';
import { ATTRIBUTE_BREAK, INJECTED_SELECTORS, SCRIPT, STYLE_BREAK, makeHostileWorld, type HostileWorld } from '../helpers/hostile-world.js';
import { killSpawned } from '../helpers/processes.js';
import { removeTempDirs } from '../helpers/temp.js';
import { json, runCli } from './run-cli.js';

const OUTPUT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-output');

let world: HostileWorld;
let report: Report;
let file: string;
let browser: Chromium | undefined;

/**
 * The JSON report and the HTML report of the same machine state. Other
 * people's processes on this machine can start or end between two runs, so
 * the pair is taken again until the JSON runs on either side of the HTML agree.
 */
async function reportsOfOneState(): Promise<{ report: Report; file: string }> {
  for (let attempt = 1; ; attempt++) {
    const before = json<Report>(await runCli(['check', '--format', 'json'], world));
    const target = join(world.root, `report-${attempt}.html`);
    const html = await runCli(['check', '--format', 'html', '--output', target], world);
    expect([html.exitCode, html.stdout, html.stderr]).toEqual([1, '', '']);
    const after = json<Report>(await runCli(['check', '--format', 'json'], world));
    if (JSON.stringify(before.summary) === JSON.stringify(after.summary) || attempt === 3) return { report: after, file: target };
  }
}

beforeAll(async () => {
  world = await makeHostileWorld();
  ({ report, file } = await reportsOfOneState());
}, 90_000);

afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

afterAll(async () => {
  await killSpawned();
  await removeTempDirs();
});

async function open(width: number, height: number, mobile: boolean): Promise<Page> {
  browser = await Chromium.launch();
  const page = await browser.newPage();
  await page.viewport(width, height, mobile);
  await page.open(pathToFileURL(file).href);
  return page;
}

describe('check --format html in Chromium', () => {
  it('the run found what the world holds: the hostile claude blocked, gemini allowed, an MCP server', () => {
    const ours = report.findings.filter((f) => f.kind === 'process' && f.evidence.pid === world.claude.pid);
    expect(ours).toEqual([expect.objectContaining({ tool: 'claude-code', action: 'block' })]);
    expect(ours[0]!.evidence.cmd).toContain(SCRIPT);
    expect(report.findings.some((f) => f.tool === 'gemini-cli' && f.action === 'allow')).toBe(true);
    expect(report.findings.some((f) => f.kind === 'mcp-server' && f.evidence.server?.name.includes('<b '))).toBe(true);
    expect(report.findings.some((f) => f.kind === 'skill' && f.evidence.path?.includes('<img'))).toBe(true);
  });

  it('loads nothing but the file, logs no error, runs nothing from the machine', async () => {
    const page = await open(1280, 900, false);
    const url = pathToFileURL(file).href;
    const requests = page.events('Network.requestWillBeSent').map((e) => (e.params.request as { url: string }).url);
    expect(requests).toEqual([url]);
    const consoleErrors = page.events('Runtime.consoleAPICalled').filter((e) => e.params.type === 'error' || e.params.type === 'assert');
    expect(consoleErrors).toEqual([]);
    expect(page.events('Runtime.exceptionThrown')).toEqual([]);
    expect(page.events('Log.entryAdded').filter((e) => (e.params.entry as { level: string }).level === 'error')).toEqual([]);
    expect(page.events('Page.javascriptDialogOpening')).toEqual([]);

    expect(await page.evaluate('document.title')).toBe(`aitool report: ${report.host.hostname}`);
    expect(await page.evaluate(`document.querySelectorAll(${JSON.stringify(INJECTED_SELECTORS)}).length`)).toBe(0);
    expect(await page.evaluate("[...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => a.name)).filter((n) => n.startsWith('on'))")).toEqual([]);
    // The style sheet is the page's own, whole: `</style>` in a value did not end it.
    expect(await page.evaluate("document.querySelectorAll('style').length")).toBe(1);
    expect(await page.evaluate("getComputedStyle(document.querySelector('.card.block .n')).color")).toBe('rgb(180, 35, 24)');

    // The hostile strings are there, as text.
    const text = await page.evaluate<string>('document.body.innerText');
    for (const value of [SCRIPT, ATTRIBUTE_BREAK, STYLE_BREAK, '<b onmouseover=alert(5)>srv</b>', '"><img src=x onerror=alert(3)>', 'javascript:alert(4)']) {
      expect(text).toContain(value);
    }
    // Control characters and the line separator are shown escaped, not acted on.
    expect(text).toContain('\\x1b[2K');
    expect(text).toContain('a\\u2028b');
    expect(text).not.toMatch(/[\u001b\u2028]/);
  }, 60_000);

  it('shows the JSON report\'s numbers, one section per tool, with reason, alternative, remedy and evidence', async () => {
    const page = await open(1280, 900, false);
    const dom = await page.evaluate<Record<string, unknown>>(`(() => {
      const count = (id) => Number(document.getElementById(id).dataset.count);
      const sections = [...document.querySelectorAll('section.tool[data-tool]')];
      const byVerdict = (v) => sections.filter((s) => s.dataset.verdict === v).length;
      const mcp = document.getElementById('summary-mcp');
      const claude = document.getElementById('tool-claude-code');
      return {
        summary: { block: count('summary-block'), warn: count('summary-warn'), allow: count('summary-allow') },
        sections: { block: byVerdict('block'), warn: byVerdict('warn'), allow: byVerdict('allow') },
        mcp: mcp ? { block: Number(mcp.dataset.block), warn: Number(mcp.dataset.warn), allow: Number(mcp.dataset.allow) } : null,
        mcpSections: document.querySelectorAll('section[data-mcp-server]').length,
        claude: claude.innerText,
        policy: [...document.querySelectorAll('dl.facts li .mono')].map((e) => e.textContent),
      };
    })()`);
    const { mcpServers, ...tools } = report.summary;
    expect(dom.summary).toEqual(tools);
    expect(dom.sections).toEqual(tools);
    expect(dom.mcp).toEqual(mcpServers);
    expect(dom.mcpSections).toBe(report.findings.filter((f) => f.kind === 'mcp-server').length);
    expect(dom.policy).toEqual(report.policy.files.map((f) => f.file));
    const claude = String(dom.claude);
    expect(claude).toContain(`${SCRIPT} is not approved`);
    expect(claude).toContain(`Approved ${STYLE_BREAK} agent`);
    expect(claude).toContain(`kill ${world.claude.pid}`);
    expect(claude).toContain(`pid ${world.claude.pid}`);
  }, 60_000);

  it('fits a 390 px phone without sideways scrolling; screenshots of both views are saved', async () => {
    mkdirSync(OUTPUT, { recursive: true });
    const laptop = await open(1280, 900, false);
    writeFileSync(join(OUTPUT, 'html-report-laptop.png'), await laptop.screenshot(true));
    await browser!.close();
    const phone = await open(390, 844, true);
    expect(await phone.evaluate('window.innerWidth')).toBe(390);
    expect(await phone.evaluate('document.scrollingElement.scrollWidth')).toBeLessThanOrEqual(390);
    const overflowing = await phone.evaluate<string[]>(
      "[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 390.5).map((e) => e.tagName + '.' + e.className)",
    );
    expect(overflowing).toEqual([]);
    writeFileSync(join(OUTPUT, 'html-report-phone.png'), await phone.screenshot(false));
    expect(readFileSync(join(OUTPUT, 'html-report-phone.png')).subarray(1, 4).toString()).toBe('PNG');
  }, 60_000);
});
