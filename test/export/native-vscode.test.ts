// `aitool export vscode` through the built CLI: the policy as VS Code's own
// enterprise policies, in each OS's documented form, parsed back the way VS
// Code reads it (the policy value is a JSON string; the profile a plist whose
// payload type is the bundle id; the .reg values under the policy key).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPlistStrings } from '../../src/scanners/plist.js';
import { makeWorld, runCli, type World } from '../cli/run-cli.js';

let world: World;
beforeEach(() => {
  world = makeWorld();
});
afterEach(() => world.cleanup());

const BLOCK_COPILOT_AND_CLAUDE = 'default: allow\ntools:\n  github-copilot: block\n  claude-code: block\n  continue: allow\n';

async function exportVscode(policyYaml: string, os: string, extra: string[] = []) {
  const policy = world.write('policy.yaml', policyYaml);
  return runCli(['export', 'vscode', '--policy', policy, '--os', os, ...extra], world);
}

type AllowedExtensions = Record<string, boolean | string | string[]>;

/**
 * VS Code's documented reading of AllowedExtensions (docs/enterprise/extensions:
 * the more specific key wins, keys are case-insensitive, `"*"` covers the
 * rest; with no `"*": true` an unnamed extension is refused).
 */
function isAllowed(allowed: AllowedExtensions, extensionId: string): boolean {
  const lower = Object.fromEntries(Object.entries(allowed).map(([k, v]) => [k.toLowerCase(), v]));
  const id = extensionId.toLowerCase();
  const value = lower[id] ?? lower[id.slice(0, id.indexOf('.'))];
  if (value !== undefined) return value !== false;
  return lower['*'] === true;
}

async function linuxPolicy(policyYaml: string): Promise<{ file: Record<string, unknown>; allowed: AllowedExtensions; stderr: string }> {
  const result = await exportVscode(policyYaml, 'linux');
  expect(result.exitCode, result.stderr).toBe(0);
  const file = JSON.parse(result.stdout) as Record<string, unknown>;
  expect(typeof file.AllowedExtensions).toBe('string');
  return { file, allowed: JSON.parse(file.AllowedExtensions as string) as AllowedExtensions, stderr: result.stderr };
}

// ---------------------------------------------------------------------------
// A strict reader for the XML plist subset a profile uses: anything else throws.
// ---------------------------------------------------------------------------
type PlistValue = string | number | boolean | PlistValue[] | { [key: string]: PlistValue };

function parseXmlPlist(text: string): PlistValue {
  const body = text
    .replace(/^<\?xml[^>]*\?>/, '')
    .replace(/<!DOCTYPE[^>]*>/, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .trim();
  const tokens = body.match(/<[^>]+>|[^<]+/g) ?? [];
  let at = 0;
  const next = () => {
    while (at < tokens.length && /^\s+$/.test(tokens[at]!)) at++;
    return tokens[at++];
  };
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  const textUntil = (close: string) => {
    const t = tokens[at]?.startsWith('<') ? '' : (tokens[at++] ?? '');
    if (next() !== close) throw new Error(`expected ${close}`);
    return unescape(t);
  };
  const value = (open: string | undefined): PlistValue => {
    switch (open) {
      case '<string>':
        return textUntil('</string>');
      case '<integer>': {
        const t = textUntil('</integer>');
        if (!/^-?\d+$/.test(t)) throw new Error(`bad integer ${t}`);
        return Number(t);
      }
      case '<true/>':
        return true;
      case '<false/>':
        return false;
      case '<array>': {
        const items: PlistValue[] = [];
        for (let t = next(); t !== '</array>'; t = next()) items.push(value(t));
        return items;
      }
      case '<dict>': {
        const dict: Record<string, PlistValue> = {};
        for (let t = next(); t !== '</dict>'; t = next()) {
          if (t !== '<key>') throw new Error(`expected <key>, got ${t}`);
          const key = textUntil('</key>');
          if (Object.hasOwn(dict, key)) throw new Error(`duplicate key ${key}`);
          dict[key] = value(next());
        }
        return dict;
      }
      default:
        throw new Error(`unexpected ${open}`);
    }
  };
  if (next() !== '<plist version="1.0">') throw new Error('no <plist version="1.0">');
  const root = value(next());
  if (next() !== '</plist>' || next() !== undefined) throw new Error('trailing content after the root value');
  return root;
}

// ---------------------------------------------------------------------------
// A reader for .reg files (REGEDIT4 / Version 5.00): sections, "name"="string"
// with \\ and \" escapes, "name"=dword:xxxxxxxx; `;` comments.
// ---------------------------------------------------------------------------
function parseRegFile(text: string): { header: string; keys: Map<string, Map<string, string | number>> } {
  const lines = text.split('\r\n');
  const header = lines.shift()!;
  if (header !== 'REGEDIT4' && header !== 'Windows Registry Editor Version 5.00') throw new Error(`bad header ${header}`);
  const keys = new Map<string, Map<string, string | number>>();
  let current: Map<string, string | number> | undefined;
  for (const line of lines) {
    if (line === '' || line.startsWith(';')) continue;
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section) {
      current = new Map();
      keys.set(section[1]!, current);
      continue;
    }
    if (!current) throw new Error(`value outside a key: ${line}`);
    const str = /^"((?:[^"\\]|\\.)*)"="((?:[^"\\]|\\.)*)"$/.exec(line);
    const dword = /^"((?:[^"\\]|\\.)*)"=dword:([0-9a-f]{8})$/.exec(line);
    const unescape = (s: string) => s.replace(/\\(.)/g, '$1');
    if (str) current.set(unescape(str[1]!), unescape(str[2]!));
    else if (dword) current.set(unescape(dword[1]!), parseInt(dword[2]!, 16));
    else throw new Error(`unparsable line: ${line}`);
  }
  return { header, keys };
}

describe('aitool export vscode', () => {
  it('linux: policy.json holds AllowedExtensions as a JSON string denying the blocked tools and allowing the rest', async () => {
    const { file, allowed, stderr } = await linuxPolicy(BLOCK_COPILOT_AND_CLAUDE);
    expect(Object.keys(file)).toEqual(['AllowedExtensions']);
    expect(allowed).toMatchObject({
      '*': true,
      'github.copilot': false,
      'github.copilot-chat': false,
      'anthropic.claude-code': false,
      'continue.continue': true,
    });
    // A tool block names the tool's ids only, never its publisher.
    expect(allowed).not.toHaveProperty('github');
    expect(allowed).not.toHaveProperty('anthropic');
    expect(isAllowed(allowed, 'GitHub.copilot')).toBe(false);
    expect(isAllowed(allowed, 'GitHub.vscode-pull-request-github')).toBe(true);
    expect(isAllowed(allowed, 'esbenp.prettier-vscode')).toBe(true);
    expect(stderr).toContain('aitool: vscode: policy.json goes to /etc/vscode/policy.json\n');
    expect(stderr).toMatch(/^aitool: vscode cannot express: forks \(Cursor/m);
  });

  it('a warned tool is left out and said so; a policy that names no extension still writes "*": true', async () => {
    const { allowed, stderr } = await linuxPolicy('default: allow\ntools:\n  cline: warn\n');
    expect(allowed).not.toHaveProperty('saoudrizwan.claude-dev');
    expect(allowed['*']).toBe(true);
    expect(stderr).toContain('aitool: vscode cannot express: cline: warn has no VS Code equivalent; its extensions (saoudrizwan.claude-dev) stay allowed\n');
  });

  it('a category block denies a publisher only where the catalog shows it publishes nothing the policy allows', async () => {
    const { allowed } = await linuxPolicy('default: allow\ncategories:\n  editor-extension: block\ntools:\n  amp: allow\n');
    // sourcegraph publishes Cody (blocked by the category) and Amp (allowed): no publisher-wide deny.
    expect(allowed['sourcegraph.cody-ai']).toBe(false);
    expect(allowed['sourcegraph.amp']).toBe(true);
    expect(allowed).not.toHaveProperty('sourcegraph');
    expect(isAllowed(allowed, 'sourcegraph.amp')).toBe(true);
    // GitHub and Google publish other extensions: never denied wholesale.
    expect(allowed['github.copilot']).toBe(false);
    expect(allowed).not.toHaveProperty('github');
    expect(allowed).not.toHaveProperty('google');
    // A publisher whose every catalog id is blocked, and known for nothing else, is denied as a whole.
    expect(allowed['saoudrizwan']).toBe(false);
    expect(allowed['supermaven']).toBe(false);
    expect(isAllowed(allowed, 'saoudrizwan.some-future-agent')).toBe(false);
  });

  it('a shared publisher outside the known multi-product ones is still not denied when it publishes an allowed tool', async () => {
    const acme = (id: string, category: string, ext: string) =>
      `  - { id: ${id}, name: ${id}, vendor: Acme, homepage: https://acme.example, category: ${category}, signatures: { vscodeExtensions: [${ext}] } }\n`;
    const policy =
      'default: allow\ncategories:\n  editor-extension: block\ntools:\n  acme-agent: allow\ncustomTools:\n' +
      acme('acme-chat', 'editor-extension', 'Acme.chat') +
      acme('acme-agent', 'agent-cli', 'Acme.agent') +
      acme('solo-chat', 'editor-extension', 'Solo.chat');
    const { allowed } = await linuxPolicy(policy);
    expect(allowed).toMatchObject({ 'acme.chat': false, 'acme.agent': true, 'solo.chat': false, solo: false });
    expect(allowed).not.toHaveProperty('acme');
    expect(isAllowed(allowed, 'acme.agent')).toBe(true);
  });

  it('MCP default block without allowed servers sets ChatMCP none; an agent-cli category block turns agent mode off', async () => {
    const { file } = await linuxPolicy('default: allow\ncategories:\n  agent-cli: block\nmcp:\n  default: block\n');
    expect(file.ChatMCP).toBe('none');
    expect(file.ChatAgentMode).toBe(false);

    const withAllowed = await linuxPolicy('default: allow\nmcp:\n  default: block\n  servers:\n    github: allow\n');
    expect(withAllowed.file).not.toHaveProperty('ChatMCP');
    expect(withAllowed.file).not.toHaveProperty('ChatAgentMode');
    expect(withAllowed.stderr).toContain('aitool: vscode cannot express: mcp: default block with allowed servers (github)');
  });

  it('macos: a valid configuration profile whose payload type is com.microsoft.VSCode, stable across exports', async () => {
    const policy = `${BLOCK_COPILOT_AND_CLAUDE}categories:\n  agent-cli: block\n`;
    const result = await exportVscode(policy, 'macos');
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain('aitool: vscode: vscode.mobileconfig goes to a configuration profile (payload com.microsoft.VSCode)');
    // The project's own reader accepts it as a plist.
    expect(readPlistStrings(Buffer.from(result.stdout)).get('PayloadType')).toBe('Configuration');
    const profile = parseXmlPlist(result.stdout) as Record<string, PlistValue>;
    const uuid = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;
    expect(profile).toMatchObject({ PayloadType: 'Configuration', PayloadVersion: 1, TargetDeviceType: 5 });
    expect(profile.PayloadUUID).toMatch(uuid);
    expect(typeof profile.PayloadIdentifier).toBe('string');
    const [payload, ...others] = profile.PayloadContent as Record<string, PlistValue>[];
    expect(others).toEqual([]);
    expect(payload).toMatchObject({ PayloadType: 'com.microsoft.VSCode', PayloadVersion: 1, ChatAgentMode: false });
    expect(payload!.PayloadUUID).toMatch(uuid);
    expect(payload!.PayloadUUID).not.toBe(profile.PayloadUUID);
    expect(payload!.PayloadIdentifier).toBe(`com.microsoft.VSCode.${payload!.PayloadUUID as string}`);
    const allowed = JSON.parse(payload!.AllowedExtensions as string) as AllowedExtensions;
    expect(allowed).toMatchObject({ '*': true, 'github.copilot': false, 'anthropic.claude-code': false, 'continue.continue': true });
    // What cannot be expressed is in the file too, as comments.
    expect(result.stdout).toMatch(/<!-- forks \(Cursor/);

    const again = await exportVscode(policy, 'macos');
    expect(again.stdout).toBe(result.stdout);
  });

  it('windows --output: a .reg file for HKLM\\Software\\Policies\\Microsoft\\VSCode that parses to the same values', async () => {
    const policy = `${BLOCK_COPILOT_AND_CLAUDE}categories:\n  agent-cli: block\nmcp:\n  default: block\n`;
    const result = await exportVscode(policy, 'windows', ['--output', 'vscode.reg']);
    expect([result.exitCode, result.stdout]).toEqual([0, '']);
    const bytes = readFileSync(join(world.cwd, 'vscode.reg'));
    expect([...bytes].every((b) => b < 0x80), 'REGEDIT4 files are plain ASCII').toBe(true);
    const text = bytes.toString('latin1');
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    const reg = parseRegFile(text);
    expect(reg.header).toBe('REGEDIT4');
    expect([...reg.keys.keys()]).toEqual(['HKEY_LOCAL_MACHINE\\Software\\Policies\\Microsoft\\VSCode']);
    const values = reg.keys.get('HKEY_LOCAL_MACHINE\\Software\\Policies\\Microsoft\\VSCode')!;
    expect(values.get('ChatMCP')).toBe('none');
    expect(values.get('ChatAgentMode')).toBe(0);
    const allowed = JSON.parse(values.get('AllowedExtensions') as string) as AllowedExtensions;
    expect(allowed).toMatchObject({ '*': true, 'github.copilot-chat': false, 'anthropic.claude-code': false, 'continue.continue': true });

    const linux = await linuxPolicy(policy);
    expect(values.get('AllowedExtensions')).toBe(linux.file.AllowedExtensions);
  });

  it('--os picks the form; an unknown OS is one line and exit 2', async () => {
    const forms = await Promise.all(['linux', 'macos', 'windows'].map((os) => exportVscode(BLOCK_COPILOT_AND_CLAUDE, os)));
    expect(forms.map((r) => r.exitCode)).toEqual([0, 0, 0]);
    expect(forms[0]!.stdout.startsWith('{')).toBe(true);
    expect(forms[1]!.stdout.startsWith('<?xml')).toBe(true);
    expect(forms[2]!.stdout.startsWith('REGEDIT4\r\n')).toBe(true);

    const bad = await exportVscode(BLOCK_COPILOT_AND_CLAUDE, 'beos');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toBe("aitool: export: --os must be one of linux, macos, windows, got 'beos'");
  });
});
