// `aitool export jamf`: Jamf Pro Restricted Software records, run through the
// built CLI. Jamf publishes no schema; each record is parsed by a small strict
// XML reader written here and checked against the elements of the Classic
// API's documented request body (developer.jamf.com, restrictedsoftware,
// read December 2026).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeWorld, runCli, type World } from '../cli/run-cli.js';

interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Character data with only the predefined entities; a bare `&` or `<` is an error, as in XML. */
function decodeText(raw: string): string {
  if (raw.includes('<')) throw new Error(`bare < in ${JSON.stringify(raw)}`);
  return raw.replace(/&([^;]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';') || !(name in ENTITIES)) throw new Error(`bad entity ${JSON.stringify(whole)}`);
    return ENTITIES[name]!;
  });
}

/** A strict reader for the XML subset the export may use: declaration, comments, elements, text; no attributes. */
function parseXml(source: string): XmlElement {
  let rest = source.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '');
  const stack: XmlElement[] = [{ name: '#document', children: [], text: '' }];
  while (rest.length > 0) {
    const comment = /^<!--([\s\S]*?)-->/.exec(rest);
    const open = /^<([A-Za-z_][\w.-]*)>/.exec(rest);
    const close = /^<\/([A-Za-z_][\w.-]*)>/.exec(rest);
    const text = /^[^<]+/.exec(rest);
    if (comment) {
      if (comment[1]!.includes('--')) throw new Error('-- inside a comment');
      rest = rest.slice(comment[0].length);
    } else if (open) {
      const element = { name: open[1]!, children: [], text: '' };
      stack.at(-1)!.children.push(element);
      stack.push(element);
      rest = rest.slice(open[0].length);
    } else if (close) {
      const element = stack.pop()!;
      if (element.name !== close[1]) throw new Error(`</${close[1]}> closes <${element.name}>`);
      rest = rest.slice(close[0].length);
    } else if (text) {
      stack.at(-1)!.text += decodeText(text[0]);
      rest = rest.slice(text[0].length);
    } else {
      throw new Error(`not well-formed at ${JSON.stringify(rest.slice(0, 30))}`);
    }
  }
  const document = stack.pop()!;
  if (stack.length > 0 || document.name !== '#document') throw new Error('unclosed element');
  if (document.children.length !== 1 || document.text.trim() !== '') throw new Error('not exactly one root element');
  return document.children[0]!;
}

const GENERAL = ['name', 'process_name', 'match_exact_process_name', 'send_notification', 'kill_process', 'delete_executable', 'display_message', 'site'];
const SCOPE = ['all_computers', 'computers', 'computer_groups', 'buildings', 'departments', 'exclusions'];

/** The record as field → text, after checking it has only the documented elements. */
function documentedRecord(content: string): Record<string, string> {
  const root = parseXml(content);
  expect(root.name).toBe('restricted_software');
  expect(root.children.map((c) => c.name)).toEqual(['general', 'scope']);
  const [general, scope] = root.children as [XmlElement, XmlElement];
  for (const child of general.children) expect(GENERAL).toContain(child.name);
  for (const child of scope.children) expect(SCOPE).toContain(child.name);
  for (const flag of ['match_exact_process_name', 'send_notification', 'kill_process', 'delete_executable']) {
    expect(['true', 'false']).toContain(general.children.find((c) => c.name === flag)?.text);
  }
  return Object.fromEntries([...general.children, ...scope.children].map((c) => [c.name, c.text]));
}

describe('the strict XML reader', () => {
  it('rejects what is not well-formed, so passing it means something', () => {
    expect(() => parseXml('<a>x & y</a>')).toThrow();
    expect(() => parseXml('<a>x < y</a>')).toThrow();
    expect(() => parseXml('<a><b></a></b>')).toThrow();
    expect(() => parseXml('<a>')).toThrow();
    expect(() => parseXml('<a/><b/>')).toThrow();
    expect(parseXml('<a>&lt;&amp;&quot;&apos;</a>').text).toBe(`<&"'`);
    expect(() => documentedRecord('<restricted_software><general><kill>true</kill></general><scope></scope></restricted_software>')).toThrow();
  });
});

describe('aitool export jamf (built CLI)', () => {
  let world: World;
  beforeEach(() => {
    world = makeWorld();
  });
  afterEach(() => world.cleanup());

  const POLICY = [
    'default: allow',
    'alternatives:',
    '  approved:',
    '    name: "Approved <Agent> & Co"',
    '    url: "https://example.test/agent?a=1&b=2"',
    'tools:',
    '  claude-code:',
    '    action: block',
    `    reason: "Data goes to \\"vendor\\" & <elsewhere>; it's not reviewed"`,
    '    message: "Ask IT"',
    '    alternatives: [approved]',
    '    terminate: true',
    '  codex: block',
    '  amazon-q: block',
    '  gemini-cli: block',
    '  cursor: warn',
    '',
  ].join('\n');

  it('writes one documented record per unambiguous process name into the --output folder, with a README', async () => {
    const policy = world.write('policy.yaml', POLICY);
    const result = await runCli(['export', 'jamf', '--policy', policy, '--output', 'jamf'], world);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(result.exitCode).toBe(0);
    const folder = join(world.cwd, 'jamf');
    const files = readdirSync(folder).sort();
    expect(files).toEqual(['README.txt', 'amazon-q-qchat.xml', 'amazon-q-qterm.xml', 'claude-code-claude.xml', 'codex-codex-linux-sandbox.xml', 'codex-codex.xml']);

    const records = files.filter((f) => f.endsWith('.xml')).map((f) => documentedRecord(readFileSync(join(folder, f), 'utf8')));
    for (const record of records) {
      expect(record.match_exact_process_name).toBe('true');
      expect(record.delete_executable).toBe('false');
      expect(record.all_computers).toBe('true');
    }
    // Shared names (`q`) and a node launcher (`gemini`) would stop unrelated programs: never written.
    expect(records.map((r) => r.process_name).sort()).toEqual(['claude', 'codex', 'codex-linux-sandbox', 'qchat', 'qterm']);

    const claude = records.find((r) => r.process_name === 'claude')!;
    expect(claude.kill_process).toBe('true');
    // The text survives the escaping exactly: quotes, ampersands, angle brackets.
    expect(claude.display_message).toBe(
      `Claude Code is not allowed by your organisation's policy (tools.claude-code): Data goes to "vendor" & <elsewhere>; it's not reviewed Ask IT Use instead: Approved <Agent> & Co — https://example.test/agent?a=1&b=2.`,
    );
    const codex = records.find((r) => r.process_name === 'codex')!;
    expect(codex.kill_process).toBe('false');
    expect(codex.send_notification).toBe('true');

    const readme = readFileSync(join(folder, 'README.txt'), 'utf8');
    expect(readme).toContain('POST /JSSResource/restrictedsoftware/id/0');
    expect(readme).toContain('claude-code-claude.xml');
    for (const text of [readme, result.stderr]) {
      expect(text).toMatch(/amazon-q \(tools\.amazon-q: block\): the name q is shared with unrelated programs/);
      expect(text).toMatch(/gemini-cli \(tools\.gemini-cli: block\): gemini may run as a script .*interpreter/);
      expect(text).toMatch(/cursor \(tools\.cursor: warn\): .*none is written/);
    }
  });

  it('names no record for a name another program uses, even when only that name is known', async () => {
    const policy = world.write('policy.yaml', 'default: allow\ntools:\n  amp: block\n  factory-droid: block\n');
    // No record: the README alone is the one file, so it goes to stdout.
    const result = await runCli(['export', 'jamf', '--policy', policy], world);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('(none: the policy blocks no tool Jamf can match by process name)');
    expect(result.stderr).not.toMatch(/\.xml goes to/);
    expect(result.stderr).toMatch(/amp \(tools\.amp: block\): the name amp is shared/);
    expect(result.stderr).toMatch(/factory-droid \(tools\.factory-droid: block\): the name droid is shared/);
  });

  it('refuses several files without --output: one line, exit 2', async () => {
    const policy = world.write('policy.yaml', 'default: allow\ntools:\n  claude-code: block\n');
    const result = await runCli(['export', 'jamf', '--policy', policy], world);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual(['aitool: export jamf: writes 2 files; name a folder with --output']);
  });
});
