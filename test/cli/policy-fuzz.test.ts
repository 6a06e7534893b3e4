// Fuzzing the policy layers: generated and mutated policies (fixed seed, so a
// failure reproduces) in the managed, user and project layers and through
// --policy, run through `check`, `policy validate` and `policy show` of the
// built CLI. Every run must end, in 0, 1 or 2, within a bound; an exit 2 must
// be exactly one line on stderr, never an internal error or a stack trace,
// and nothing may print a Node warning. Catastrophic patterns are among the
// inputs, with text that makes a backtracking engine blow up: a process whose
// command line is a long run of `a`s, an MCP server whose URL is a long run
// of `h`s, a commit message of `x`s.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/catalog/index.js';
import { TOOL_CATEGORIES } from '../../src/catalog/schema.js';
import { noteTempDir } from '../helpers/temp.js';

const DRIVER = join(dirname(fileURLToPath(import.meta.url)), '..', 'helpers', 'fuzz-driver.mjs');
const CASES = 1200;
const SEED = 0x5eed_a170;
/** One case may take this long (a slow machine, a big generated policy); a backtracking blow-up takes minutes. */
const CASE_BOUND_MS = 5000;

/** mulberry32: small, fast, and the same sequence everywhere. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CATASTROPHIC = ['(a+)+$', '^(h+)+$', '(x+x+)+y', '(.*a){25}', '^(a|aa)+$', '(\\w+\\s?)+$'];

function generator(random: () => number) {
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const chance = (p: number) => random() < p;
  /** Mostly a good value, now and then a bad one: a policy with one mistake reaches further than one with ten. */
  const mostly = <T,>(good: readonly T[], bad: readonly unknown[], p = 0.92): T => (chance(p) ? pick(good) : (pick(bad) as T));
  const ids = CATALOG.map((tool) => tool.id);
  const toolId = () => mostly(ids, ['claude-cod', 'Claude-Code', 'house-helper', 'constructor', '__proto__', 'toString', 'a'.repeat(200)]);
  const category = () => mostly(TOOL_CATEGORIES, ['agent-clis', 'ide', 'prototype']);
  const action = () => mostly(['allow', 'warn', 'block'], ['blok', 'Block', '', 1, true, null, ['block']]);
  const pattern = () => mostly([...CATASTROPHIC, 'github', '.*', '^npx ', 'claude', 'a'.repeat(3000)], ['(', '[a-', '\\1(a)', '(?<=a)b', 'a{2,1}', '', '(?i)x', 'a'.repeat(3000)], 0.85);
  const hostile = () => pick(['\u001b[2K\rall clear', 'line\nbreak', '\u202eevil', 'x'.repeat(5000), 'naïve ✓', '$(touch /tmp/pwned)', '']);
  const text = () => (chance(0.2) ? hostile() : pick(['Data boundary.', 'Use Qoder.', 'ok']));
  const rule = (): unknown => {
    if (chance(0.4)) return action();
    const out: Record<string, unknown> = {};
    if (chance(0.8)) out.action = action();
    if (chance(0.3)) out.reason = text();
    if (chance(0.2)) out.message = text();
    if (chance(0.3)) out.alternatives = [mostly([...ids, 'house-assistant'], ['nope'])];
    // Never `terminate: true`: these runs scan the real machine, and the suite stops no process it did not start.
    if (chance(0.2)) out.terminate = mostly([false], ['yes', 'true']);
    if (chance(0.1)) out.overridable = pick([true, false]);
    if (chance(0.02)) out.unknownField = 1;
    return out;
  };
  const customTool = (): unknown => ({
    id: mostly(['house-helper', 'acme-ai'], [...ids.slice(0, 2), 'Bad Id']),
    name: 'House helper',
    vendor: 'Acme',
    homepage: 'https://acme.example',
    category: category(),
    signatures: {
      ...(chance(0.7) ? { processes: { ...(chance(0.5) ? { names: ['house-helper'] } : {}), args: [pattern()] } } : {}),
      ...(chance(0.4) ? { commits: [{ pattern: pattern(), ...(chance(0.3) ? { in: mostly(['message', 'author'], ['body']) } : {}) }] } : {}),
      ...(chance(0.3) ? { env: [{ name: 'HOUSE_HELPER', value: pattern() }] } : {}),
      ...(chance(0.2) ? { home: [{ path: pick(['~/.house', '~/**/**/**/**/x', '~/*a*a*a*a*a*a*b', '/proc/self/environ', '%APPDATA%/x']) }] } : {}),
    },
  });
  const nested = (depth: number): unknown => (depth === 0 ? 'block' : { tools: nested(depth - 1) });
  const policy = (): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    if (chance(0.5)) out.default = action();
    if (chance(0.6)) out.tools = Object.fromEntries(Array.from({ length: 1 + Math.floor(random() * 4) }, () => [toolId(), rule()]));
    if (chance(0.3)) out.categories = Object.fromEntries([[category(), rule()]]);
    if (chance(0.3)) out.alternatives = { [mostly(['house-assistant', ...ids.slice(0, 3)], ['constructor'])]: { name: text() || 'x', ...(chance(0.5) ? { install: text() } : {}) } };
    if (chance(0.25)) out.customTools = Array.from({ length: 1 + Math.floor(random() * 2) }, customTool);
    if (chance(0.3)) {
      const servers: Record<string, unknown> = {};
      for (let i = 0; i < 1 + Math.floor(random() * 3); i++) {
        const server: Record<string, unknown> = { action: action() };
        for (const field of ['name', 'command', 'url']) if (chance(0.4)) server[field] = pattern();
        servers[mostly(['github', 'hostile', 'x'], ['constructor', ' padded '])] = chance(0.3) ? action() : server;
      }
      out.mcp = { ...(chance(0.5) ? { default: action() } : {}), servers };
    }
    if (chance(0.3)) out.scanners = { [mostly(['processes', 'path', 'repo', 'configs', 'session'], ['procesess'])]: mostly([true, false], ['on']) };
    if (chance(0.15)) out.hook = { scanners: { [pick(['processes', 'repo', 'session'])]: pick([true, false]) } };
    if (chance(0.15)) out.session = { weakMarkers: mostly([true, false, ['cursor']], [['nope'], 'yes']) };
    if (chance(0.15)) out.termination = { graceMs: mostly([0, 100], [-1, 1e9, 'soon']), ...(chance(0.5) ? { otherUsers: pick([true, false]) } : {}) };
    if (chance(0.1)) out.artifacts = { ignore: [pick(['fixtures/**', '', '!x', '**/**/**/**'])] };
    if (chance(0.25)) out.extends = mostly(['aitool:recommended', 'aitool:strict', './base.yaml', 'some-package'], ['aitool:nope', './missing.yaml', '/proc/self/environ', '/etc/passwd', './code.cjs', '../../../../etc/hosts', ['./base.yaml', './base.yaml']], 0.7);
    if (chance(0.02)) out.$import = './base.yaml';
    if (chance(0.02)) Object.assign(out, nested(40) as object);
    if (chance(0.02)) out.unknownTopKey = true;
    return out;
  };
  /** Text-level damage: what a half-finished edit or a hostile file looks like. */
  const mutate = (source: string): string => {
    let out = source;
    const edits = 1 + Math.floor(random() * 3);
    for (let i = 0; i < edits; i++) {
      const at = Math.floor(random() * (out.length + 1));
      switch (Math.floor(random() * 7)) {
        case 0:
          out = out.slice(0, at) + out.slice(at + 1 + Math.floor(random() * 8));
          break;
        case 1:
          out = out.slice(0, at) + pick([':', '-', '{', '[', '"', "'", '\t', '\n', '&a', '*a', '!!js/function', '\u0000', '\uFFFD', '<<: *a']) + out.slice(at);
          break;
        case 2:
          out = out.slice(0, at);
          break;
        case 3: {
          const lines = out.split('\n');
          const line = Math.floor(random() * lines.length);
          lines.splice(line, 0, lines[line] ?? '');
          out = lines.join('\n');
          break;
        }
        case 4:
          out = out.slice(0, at) + String.fromCharCode(Math.floor(random() * 0x3000)) + out.slice(at);
          break;
        case 5:
          out = out + '\n' + out;
          break;
        default:
          out = out.replace(/block/, 'allow');
      }
    }
    return out;
  };
  const serialise = (data: unknown, format: 'yaml' | 'json'): string => (format === 'json' ? JSON.stringify(data, null, chance(0.5) ? 2 : 0) : stringify(data, { aliasDuplicateObjects: false }));
  return { pick, chance, policy, mutate, serialise };
}

interface Outcome {
  index: number;
  exitCode: number | string;
  stderr: string;
  ms: number;
  warnings: string[];
}

let root: string;
let outcomes: Outcome[];
let cases: Array<{ args: string[]; layers: string[] }>;
let driverError = '';

beforeAll(async () => {
  root = realpathSync(noteTempDir(mkdtempSync(join(tmpdir(), 'aitool-fuzz-'))));
  const home = join(root, 'home');
  const repo = join(root, 'repo');
  const write = (file: string, content: string) => {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  };
  mkdirSync(home, { recursive: true });
  mkdirSync(repo, { recursive: true });
  const gitEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: home };
  execFileSync('git', ['init', '-q', '-b', 'main', repo], { env: gitEnv });
  write(join(repo, 'README.md'), '# app\n');
  execFileSync('git', ['-C', repo, 'add', '.'], { env: gitEnv });
  execFileSync('git', ['-C', repo, '-c', 'user.name=A', '-c', 'user.email=a@example.com', 'commit', '-q', '-m', `${'x'.repeat(40)}\n\nCo-Authored-By: ${'x'.repeat(60)} <x@example.com>`], { env: gitEnv });
  // Inputs for catastrophic patterns to run against: an MCP server with a long
  // URL of h's and a command of a's, a project file the repo scanner reads.
  write(join(repo, '.mcp.json'), JSON.stringify({ mcpServers: { hostile: { url: `https://${'h'.repeat(40)}!` }, x: { command: 'npx', args: ['a'.repeat(40)] } } }));
  write(join(repo, 'base.yaml'), 'default: warn\ntools:\n  cursor: warn\n');
  write(join(repo, 'code.cjs'), 'module.exports = { default: "allow" };\n');
  write(join(repo, 'node_modules/some-package/package.json'), JSON.stringify({ name: 'some-package', main: 'policy.yaml' }));
  write(join(repo, 'node_modules/some-package/policy.yaml'), 'tools:\n  codex: block\n');

  const random = prng(SEED);
  const gen = generator(random);
  const managedFile = join(root, 'managed', 'policy.yaml');
  const managedJson = join(root, 'managed', 'policy.json');
  const userFile = join(home, '.config', 'aitool', 'config.yaml');
  const projectFiles = [join(repo, '.aitoolrc.yaml'), join(repo, '.aitoolrc.json'), join(repo, 'package.json'), join(repo, '.aitoolrc')];
  const cliFile = join(root, 'cli-policy.yaml');
  const driverCases: Array<{ files: Record<string, string | null>; args: string[]; env: Record<string, string>; cwd: string }> = [];
  cases = [];
  for (let i = 0; i < CASES; i++) {
    const files: Record<string, string | null> = {};
    const layers: string[] = [];
    const env: Record<string, string> = { HOME: home, PATH: process.env.PATH ?? '/usr/bin:/bin', XDG_CONFIG_HOME: join(home, '.config'), AITOOL_NO_CACHE: '1', NO_COLOR: '1' };
    const text = (format: 'yaml' | 'json') => {
      const body = gen.serialise(gen.policy(), format);
      return gen.chance(0.15) ? gen.mutate(body) : body;
    };
    if (gen.chance(0.6)) {
      const json = gen.chance(0.2);
      const file = json ? managedJson : managedFile;
      files[file] = text(json ? 'json' : 'yaml');
      env.AITOOL_MANAGED_POLICY = file;
      layers.push('managed');
    }
    if (gen.chance(0.3)) {
      files[userFile] = text('yaml');
      layers.push('user');
    }
    if (gen.chance(0.8)) {
      const file = gen.pick(projectFiles);
      const format = file.endsWith('.json') ? 'json' : 'yaml';
      files[file] = file.endsWith('package.json') ? `{"name": "app", "aitool": ${text('json')}}` : text(format);
      layers.push('project');
    }
    if (gen.chance(0.03)) {
      files[join(repo, '.aitoolrc.cjs')] = gen.pick(['module.exports = { tools: { cursor: "block" } };\n', 'process.exit(0);\n', 'module.exports = 5;\n']);
      layers.push('code');
    }
    const command = gen.pick(['check', 'check', 'check', 'validate', 'show']);
    let args: string[];
    if (command === 'validate') {
      files[cliFile] = text('yaml');
      args = ['policy', 'validate', cliFile];
      layers.push('validate');
    } else {
      args = command === 'check' ? ['check', '--format', gen.pick(['json', 'text'])] : ['policy', 'show', '--format', gen.pick(['json', 'text'])];
      if (command === 'check' && gen.chance(0.2)) args.push('--commits', 'HEAD~1..HEAD');
      if (gen.chance(0.15)) {
        files[cliFile] = text('yaml');
        args.push('--policy', cliFile);
        layers.push('cli');
      }
    }
    driverCases.push({ files, args, env, cwd: repo });
    cases.push({ args, layers });
  }
  // The guard behind the comment in rule(): no case may ask aitool to stop anything.
  const stopping = driverCases.filter((c) => Object.values(c.files).some((text) => text !== null && /terminate["']?\s*:\s*true\b/.test(text)));
  if (stopping.length > 0) throw new Error(`a fuzz case asks for termination: ${JSON.stringify(stopping[0])}`);
  const casesFile = join(root, 'cases.json');
  writeFileSync(casesFile, JSON.stringify(driverCases));

  // The driver's own command line is the text the processes scanner matches
  // custom tools' `args` patterns against: a long run of a's with no match at the end.
  const child = spawn(process.execPath, [DRIVER, casesFile, `${'a'.repeat(40)}!`], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const limit = setTimeout(() => child.kill('SIGKILL'), 480_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(limit);
  outcomes = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Outcome);
  if (code !== 0) {
    const started = [...stderr.matchAll(/^start (\d+)$/gm)].map((m) => Number(m[1]));
    const last = started[started.length - 1];
    driverError = `the driver ended with ${code}; the last case started was ${last}: ${JSON.stringify(last === undefined ? undefined : driverCases[last])}\n${stderr.slice(-2000)}`;
  }
}, 600_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe(`${CASES} generated and mutated policies (seed ${SEED.toString(16)})`, () => {
  it('every run ends within the bound, in exit 0, 1 or 2', () => {
    expect(driverError).toBe('');
    expect(outcomes).toHaveLength(CASES);
    const bad = outcomes.filter((o) => ![0, 1, 2].includes(o.exitCode as number));
    expect(bad.map((o) => ({ ...o, case: cases[o.index] }))).toEqual([]);
    const slow = outcomes.filter((o) => o.ms > CASE_BOUND_MS);
    expect(slow.map((o) => ({ index: o.index, ms: o.ms, case: cases[o.index] }))).toEqual([]);
  });

  it('an exit 2 is exactly one line on stderr: never an internal error, never a stack trace', () => {
    const errors = outcomes.filter((o) => o.exitCode === 2);
    // The generator is meant to produce plenty of both: a fuzz run without errors (or only errors) proves little.
    expect(errors.length).toBeGreaterThan(CASES / 10);
    expect(outcomes.filter((o) => o.exitCode !== 2).length).toBeGreaterThan(CASES / 10);
    const bad = errors.filter((o) => {
      const lines = o.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('aitool: warning: '));
      return lines.length !== 1 || !lines[0]!.startsWith('aitool: ') || /internal error|\n\s+at /.test(o.stderr);
    });
    expect(bad.map((o) => ({ stderr: o.stderr.slice(0, 400), case: cases[o.index] }))).toEqual([]);
  });

  it('nothing prints a Node warning, and a run that succeeds prints no error', () => {
    expect(outcomes.filter((o) => o.warnings.length > 0).map((o) => ({ warnings: o.warnings, case: cases[o.index] }))).toEqual([]);
    const noisy = outcomes.filter((o) => o.exitCode !== 2 && /internal error|\n\s+at /.test(o.stderr));
    expect(noisy.map((o) => o.stderr.slice(0, 300))).toEqual([]);
  });

  it('covers the three layers, --policy, policy validate and catastrophic patterns', () => {
    const layers = new Set(cases.flatMap((c) => c.layers));
    expect([...layers].sort()).toEqual(['cli', 'code', 'managed', 'project', 'user', 'validate']);
  });
});
