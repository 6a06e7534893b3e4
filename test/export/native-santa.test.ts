// `aitool export santa`: Santa BLOCKLIST rules as a configuration profile and a
// santactl script. The profile is checked against the structure Santa's docs
// show (northpolesec/santa docs/docs/deployment/profile-configuration.md:
// payload type com.northpolesec.santa, StaticRules of identifier / policy /
// rule_type, plus custom_msg / custom_url from santactl's rule dictionaries);
// the script is checked by `sh -n` and by running it against a stand-in
// `santactl` that records its arguments.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/catalog/index.js';
import { binariesFromFindings, exportNative, PAYLOAD_TYPE } from '../../src/export/native/santa.js';
import { loadPolicy } from '../../src/policy/load.js';
import { readPlistStrings } from '../../src/scanners/plist.js';
import type { Finding } from '../../src/types.js';
import { makeWorld, runCli, type World } from '../cli/run-cli.js';
import { noteTempDir } from '../helpers/temp.js';

type PlistValue = string | number | boolean | PlistValue[] | { [key: string]: PlistValue };

/** A strict reader of the XML plist subset the profile uses; anything else throws. */
function parsePlist(xml: string): PlistValue {
  const body = xml.replace(/<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<!--[\s\S]*?-->/g, '');
  const tokens = body.match(/<[^>]+>|[^<]+/g)!.filter((token) => token.trim() !== '');
  let at = 0;
  const unescape = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const textUntil = (close: string) => {
    let text = '';
    while (tokens[at] !== close) {
      if (tokens[at]!.startsWith('<')) throw new Error(`unexpected ${tokens[at]}`);
      text += tokens[at++];
    }
    at++;
    return unescape(text);
  };
  const value = (): PlistValue => {
    const tag = tokens[at++];
    if (tag === '<string>') return textUntil('</string>');
    if (tag === '<string/>') return '';
    if (tag === '<integer>') return Number(textUntil('</integer>'));
    if (tag === '<true/>') return true;
    if (tag === '<false/>') return false;
    if (tag === '<array>') {
      const items: PlistValue[] = [];
      while (tokens[at] !== '</array>') items.push(value());
      at++;
      return items;
    }
    if (tag === '<dict>') {
      const dict: Record<string, PlistValue> = {};
      while (tokens[at] !== '</dict>') {
        if (tokens[at++] !== '<key>') throw new Error(`expected <key>, got ${tokens[at - 1]}`);
        const key = textUntil('</key>');
        dict[key] = value();
      }
      at++;
      return dict;
    }
    throw new Error(`unexpected ${tag}`);
  };
  if (tokens[at++] !== '<plist version="1.0">') throw new Error('no <plist>');
  const root = value();
  if (tokens[at] !== '</plist>' || at !== tokens.length - 1) throw new Error('trailing content');
  return root;
}

const HOSTILE = `it's $(touch PWNED) \`touch PWNED\` "banned"\nsecond line & <b>`;

let dir: string;
beforeEach(() => {
  dir = noteTempDir(mkdtempSync(join(tmpdir(), 'aitool-santa-')));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function policyFrom(yaml: string) {
  const file = join(dir, 'policy.yaml');
  writeFileSync(file, yaml);
  return loadPolicy({ cwd: dir, env: { XDG_CACHE_HOME: join(dir, 'cache') }, os: 'macos', home: dir, catalog: CATALOG, project: false, policyFile: file });
}

const BLOCK_CLAUDE = `default: allow\ntools:\n  claude-code:\n    action: block\n    message: ${JSON.stringify(HOSTILE)}\n    alternatives: [github-copilot]\n  cursor: block\n`;

/** A file that starts like a 64-bit Mach-O (MH_MAGIC_64, little-endian on disk) and a node script. */
function writeFixtures() {
  const machO = join(dir, 'claude');
  writeFileSync(machO, Buffer.concat([Buffer.from([0xcf, 0xfa, 0xed, 0xfe]), Buffer.from('fixture body '.repeat(10000))]));
  const script = join(dir, 'cli.js');
  writeFileSync(script, '#!/usr/bin/env node\nconsole.log(1)\n');
  return { machO, script };
}

const finding = (tool: string, path: string, action: Finding['action'] = 'block') =>
  ({ tool, kind: 'executable', confidence: 'confirmed', action, evidence: { path, version: '2.1.0', matched: 'test' } }) as unknown as Finding;

describe('binariesFromFindings: hashes Mach-O files only, never runs them', () => {
  it('hashes the Mach-O file (SHA-256 of the whole file) and leaves out scripts and allowed tools', async () => {
    const { machO, script } = writeFixtures();
    const found = await binariesFromFindings([finding('claude-code', machO), finding('codex', script), finding('cursor', machO, 'warn')]);
    const expected = createHash('sha256').update(readFileSync(machO)).digest('hex');
    expect(found).toEqual([{ tool: 'claude-code', path: machO, version: '2.1.0', sha256: expected }]);
  });
});

const SANTA_RULE_TYPES = ['BINARY', 'CERTIFICATE', 'SIGNINGID', 'TEAMID', 'CDHASH'];
const SANTA_RULE_KEYS = ['custom_msg', 'custom_url', 'identifier', 'policy', 'rule_type'];

/** The StaticRules of the profile, each checked against the keys and values Santa documents. */
function staticRules(profile: string): Array<Record<string, string>> {
  const root = parsePlist(profile) as Record<string, any>;
  const rules = root.PayloadContent[0].StaticRules as Array<Record<string, string>>;
  for (const rule of rules) {
    expect(Object.keys(rule).every((key) => SANTA_RULE_KEYS.includes(key)), JSON.stringify(rule)).toBe(true);
    expect(SANTA_RULE_TYPES).toContain(rule.rule_type);
    expect(rule.policy).toBe('BLOCKLIST');
    // santa.dev/concepts/rules.html: a team id is 10 characters; a signing id rule is TEAMID:signing.id.
    if (rule.rule_type === 'TEAMID') expect(rule.identifier).toMatch(/^[A-Z0-9]{10}$/);
    if (rule.rule_type === 'SIGNINGID') expect(rule.identifier).toMatch(/^(?:[A-Z0-9]{10}|platform):[^:\s]+$/);
    if (rule.rule_type === 'BINARY') expect(rule.identifier).toMatch(/^[0-9a-f]{64}$/);
  }
  return rules;
}

/** Runs the script (after `sh -n`) with a stand-in santactl on PATH that writes each call's arguments, NUL-separated, to its own file. */
function runScriptWithStandIn(script: string): string[][] {
  const scriptPath = join(dir, 'santa-rules.sh');
  writeFileSync(scriptPath, script);
  execFileSync('sh', ['-n', scriptPath]);
  const bin = join(dir, 'bin');
  const calls = join(dir, 'calls');
  mkdirSync(bin);
  mkdirSync(calls);
  writeFileSync(join(bin, 'santactl'), `#!/bin/sh\nn=$(ls "${calls}" | wc -l)\nprintf '%s\\0' "$@" > "${calls}/$((n + 1))"\n`);
  chmodSync(join(bin, 'santactl'), 0o755);
  execFileSync('sh', [scriptPath], { cwd: dir, env: { PATH: `${bin}:/usr/bin:/bin` } });
  const files = readdirSync(calls).sort((a, b) => Number(a) - Number(b));
  return files.map((file) => readFileSync(join(calls, file), 'utf8').split('\0').slice(0, -1));
}

describe('exportNative (santa)', () => {
  it('a found binary becomes a BLOCKLIST BINARY rule in StaticRules with the message and the alternative URL', async () => {
    const policy = await policyFrom(BLOCK_CLAUDE);
    const sha256 = 'a'.repeat(64);
    const result = exportNative({ policy, catalog: CATALOG, os: 'macos', binaries: [{ tool: 'claude-code', path: '/x/claude', version: '2.1.0', sha256 }] });
    const profile = result.files.find((file) => file.name === 'santa.mobileconfig')!.content;
    expect(readPlistStrings(Buffer.from(profile)).get('PayloadType')).toBe('Configuration');
    const root = parsePlist(profile) as Record<string, any>;
    const [payload] = root.PayloadContent;
    expect(payload.PayloadType).toBe(PAYLOAD_TYPE);
    // Claude Code's found binary by hash; Cursor, found nowhere, by the team id the catalog states (see below).
    const rules = staticRules(profile);
    expect(rules.map((rule) => rule.rule_type)).toEqual(['BINARY', 'TEAMID']);
    const [rule] = rules as [Record<string, string>];
    expect(Object.keys(rule).sort()).toEqual(['custom_msg', 'custom_url', 'identifier', 'policy', 'rule_type']);
    expect(rule).toMatchObject({ identifier: sha256, policy: 'BLOCKLIST', rule_type: 'BINARY', custom_url: 'https://github.com/features/copilot' });
    expect(rule.custom_msg!.startsWith(HOSTILE)).toBe(true);
    expect(result.cannotExpress).toContain('cursor: blocked by team id VDXQ22DGB9, every version; Santa ignores script CLIs (npm packages run by node) and binaries signed otherwise');
    expect(result.cannotExpress.some((line) => line.startsWith('claude-code:') && line.includes('SHA-256'))).toBe(true);
  });

  it('the santactl script parses (sh -n) and passes a hostile message as one literal argument', async () => {
    const policy = await policyFrom(BLOCK_CLAUDE);
    const { machO } = writeFixtures();
    const binaries = await binariesFromFindings([finding('claude-code', machO)]);
    const script = exportNative({ policy, catalog: CATALOG, os: 'macos', binaries }).files.find((file) => file.name === 'santa-rules.sh')!.content;
    const [args] = runScriptWithStandIn(script) as [string[]];
    expect(args.slice(0, 3)).toEqual(['rule', '--block', '--identifier']);
    expect(args[3]).toBe(binaries[0]!.sha256);
    expect(args[4]).toBe('--message');
    expect(args[5]!.startsWith(HOSTILE)).toBe(true);
    expect(args[5]).toContain('https://github.com/features/copilot');
    expect(existsSync(join(dir, 'PWNED'))).toBe(false);
  });
});

describe('aitool export santa (built CLI)', () => {
  let world: World;
  beforeEach(() => {
    world = makeWorld();
    world.write('managed/policy.yaml', 'default: allow\ntools:\n  claude-code: block\n');
  });
  afterEach(() => world.cleanup());

  it('--os linux still writes both files, says Santa runs on macOS, and lists a tool without binaries as not expressible', async () => {
    const out = join(world.root, 'out');
    const result = await runCli(['export', 'santa', '--os', 'linux', '--output', out], world);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain('aitool: santa cannot express: santa: Santa runs on macOS only');
    expect(result.stderr).toMatch(/aitool: santa cannot express: claude-code \(tools\.claude-code: block\): no native \(Mach-O\) binary/);
    const root = parsePlist(readFileSync(join(out, 'santa.mobileconfig'), 'utf8')) as Record<string, any>;
    expect(root.PayloadContent[0].StaticRules).toEqual([]);
    execFileSync('sh', ['-n', join(out, 'santa-rules.sh')]);
  });

  it('without --output it refuses in one line: there are two files', async () => {
    const result = await runCli(['export', 'santa'], world);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(/writes 2 files; name a folder with --output/);
  });
});

describe('exportNative (santa): signing and team ids the catalog states (native.santa)', () => {
  /** A policy whose customTools carry Santa facts, the way an organisation describes its own tools. */
  async function policyWith(tools: Array<{ id: string; santa: Record<string, unknown>; blocked: boolean }>) {
    const policy = {
      default: 'allow',
      tools: Object.fromEntries(tools.filter((tool) => tool.blocked).map((tool) => [tool.id, { action: 'block', message: `${tool.id} is banned` }])),
      customTools: tools.map((tool) => ({
        id: tool.id,
        name: tool.id,
        vendor: 'Example',
        homepage: 'https://example.com',
        category: 'desktop-app',
        signatures: { apps: { macos: { bundleNames: [`${tool.id}.app`] } } },
        native: { santa: { ...tool.santa, source: 'T https://example.com/signing' } },
      })),
    };
    return policyFrom(JSON.stringify(policy));
  }
  const santaFiles = (result: ReturnType<typeof exportNative>) => ({
    rules: staticRules(result.files.find((file) => file.name === 'santa.mobileconfig')!.content),
    script: result.files.find((file) => file.name === 'santa-rules.sh')!.content,
  });

  it('a signing id becomes a SIGNINGID rule (profile and santactl --signingid) without any binary found', async () => {
    const policy = await policyWith([{ id: 'acme-agent', santa: { teamId: 'ABCDE12345', signingIds: ['ABCDE12345:com.acme.agent'] }, blocked: true }]);
    const result = exportNative({ policy, catalog: CATALOG, os: 'macos' });
    const { rules, script } = santaFiles(result);
    const acme = rules.filter((rule) => rule.custom_msg!.startsWith('acme-agent is banned'));
    expect(acme).toEqual([{ identifier: 'ABCDE12345:com.acme.agent', policy: 'BLOCKLIST', rule_type: 'SIGNINGID', custom_msg: 'acme-agent is banned' }]);
    // The team is not marked as signing only this tool, so no TEAMID rule for it.
    expect(result.cannotExpress).toContain('acme-agent: blocked by signing id (ABCDE12345:com.acme.agent), every version; Santa ignores script CLIs (npm packages run by node) and binaries signed otherwise');
    expect(result.cannotExpress.some((line) => line.startsWith('acme-agent (tools.acme-agent: block): no native'))).toBe(false);
    const calls = runScriptWithStandIn(script);
    expect(calls.find((args) => args.includes('ABCDE12345:com.acme.agent'))!.slice(0, 5)).toEqual(['rule', '--block', '--signingid', '--identifier', 'ABCDE12345:com.acme.agent']);
  });

  it('a team id becomes one TEAMID rule only when every tool the team signs is blocked and the team signs nothing else', async () => {
    const shared = { teamId: 'ZZZZZ99999', teamIdExclusive: true };
    const one = await policyWith([
      { id: 'acme-chat', santa: shared, blocked: true },
      { id: 'acme-code', santa: shared, blocked: false },
    ]);
    const partly = exportNative({ policy: one, catalog: CATALOG, os: 'macos' });
    expect(santaFiles(partly).rules.some((rule) => rule.identifier === 'ZZZZZ99999')).toBe(false);
    expect(partly.cannotExpress).toContain('acme-chat: its team id ZZZZZ99999 is not blocked as a whole: it also signs acme-code, which the policy does not block');

    const both = await policyWith([
      { id: 'acme-chat', santa: shared, blocked: true },
      { id: 'acme-code', santa: shared, blocked: true },
    ]);
    const whole = exportNative({ policy: both, catalog: CATALOG, os: 'macos' });
    const { rules, script } = santaFiles(whole);
    expect(rules.filter((rule) => rule.identifier === 'ZZZZZ99999')).toEqual([
      { identifier: 'ZZZZZ99999', policy: 'BLOCKLIST', rule_type: 'TEAMID', custom_msg: 'acme-chat is banned' },
    ]);
    expect(whole.cannotExpress).toContain('acme-code: blocked by team id ZZZZZ99999, every version; Santa ignores script CLIs (npm packages run by node) and binaries signed otherwise');
    const teamCalls = runScriptWithStandIn(script).filter((args) => args.includes('ZZZZZ99999'));
    expect(teamCalls).toHaveLength(1);
    expect(teamCalls[0]!.slice(0, 5)).toEqual(['rule', '--block', '--teamid', '--identifier', 'ZZZZZ99999']);
  });

  it('a team not marked exclusive is never blocked as a whole, even when every catalog tool it signs is blocked', async () => {
    const policy = await policyWith([{ id: 'acme-chat', santa: { teamId: 'YYYYY88888' }, blocked: true }]);
    const result = exportNative({ policy, catalog: CATALOG, os: 'macos' });
    expect(santaFiles(result).rules.some((rule) => rule.identifier === 'YYYYY88888')).toBe(false);
    expect(result.cannotExpress).toContain(
      'acme-chat: its team id YYYYY88888 is not blocked as a whole: the team is not known to sign only acme-chat, so a TEAMID rule could stop software the policy allows',
    );
    expect(result.cannotExpress).toContain(
      'acme-chat (tools.acme-chat: block): no native (Mach-O) binary of it was found on this machine and the catalog states no signing id (nor a team id Santa may block as a whole); Santa ignores script CLIs (npm packages run by node)',
    );
  });

  it("with the built-in catalog: Anthropic's and Amazon's teams are never blocked as a whole; Cursor's, Ollama's and LM Studio's are", async () => {
    const policy = await policyFrom('default: allow\ntools:\n  claude-desktop: block\n  amazon-q: block\n  kiro: block\n  cursor: block\n  ollama: block\n  lm-studio: block\n');
    const { rules } = santaFiles(exportNative({ policy, catalog: CATALOG, os: 'macos' }));
    expect(rules.filter((rule) => rule.rule_type === 'TEAMID').map((rule) => rule.identifier).sort()).toEqual(['3MU9H2V9Y9', 'D65G88RHWN', 'VDXQ22DGB9']);
  });
});
