// Which detections of one observation stand, by where each tool is defined:
// a confirmed catalog or managed tool drops name-only guesses; a lower
// layer's custom tool adds its detection and hides none. And which engine a
// tool's patterns run on.
import { describe, expect, it } from 'vitest';
import type { ToolEntry } from '../src/catalog/schema.js';
import { compileCatalog, match, type ToolSource } from '../src/match/index.js';
import { toolSources } from '../src/match/sources.js';
import type { AncestorObservation, Observation, ProcessObservation } from '../src/types.js';

const entry = (id: string, signatures: ToolEntry['signatures']): ToolEntry => ({
  id, name: id, vendor: 'x', homepage: 'https://example.test', category: 'agent-cli', signatures,
});

const claude = entry('claude-code', { executables: [{ name: 'claude' }], processes: { names: ['claude'] } });
const cline = entry('cline', { processes: { names: ['.cline'], args: ['--cline-hub-daemon'] } });
/** A custom tool that claims `claude` processes by their command line. */
const helper = entry('house-helper', { processes: { args: ['(^|/)claude( |$)'] } });
/** A custom tool known by a name only. */
const named = entry('named-helper', { processes: { names: ['helper'] } });

const proc = (partial: Partial<ProcessObservation>): ProcessObservation => ({
  kind: 'process', pid: 100, ppid: 1, name: 'x', cmd: '', argv: [], packages: [], ancestors: [], ...partial,
});
const claudeProcess = proc({ name: 'claude', argv: ['/tmp/bin/claude', '600'], exe: '/tmp/bin/claude' });
const claudeAncestor: AncestorObservation = { ...claudeProcess, kind: 'ancestor', depth: 1 } as AncestorObservation;

type Sources = Record<string, ToolSource>;
const run = (observation: Observation, sources: Sources) => {
  const catalog = compileCatalog([claude, cline, helper, named], { os: 'linux', home: '/home/ada', env: {} }, (e) => sources[e.id] ?? 'catalog');
  return match([observation], catalog).map((d) => `${d.tool}:${d.kind}:${d.confidence}`).sort();
};

describe('a confirmed match drops name-only guesses only on a trusted word', () => {
  it.each([
    ['repository custom tool beside a name-only catalog guess', claudeProcess, { 'house-helper': 'lower' }, ['claude-code:process:name-only', 'house-helper:process:confirmed']],
    ['the same, seen as aitool\'s ancestor (session)', claudeAncestor, { 'house-helper': 'lower' }, ['claude-code:session:name-only', 'house-helper:session:confirmed']],
    ['managed custom tool stands in for the guess', claudeProcess, { 'house-helper': 'managed' }, ['house-helper:process:confirmed']],
    ['managed custom tool, as an ancestor', claudeAncestor, { 'house-helper': 'managed' }, ['house-helper:session:confirmed']],
    ['catalog tool confirmed drops a lower custom guess', proc({ name: 'helper', argv: ['/p/.cline', '--cline-hub-daemon'] }), { 'named-helper': 'lower' }, ['cline:process:confirmed']],
    ['lower confirmed keeps a managed custom guess', proc({ name: 'helper', argv: ['/x/claude', 'run'] }), { 'house-helper': 'lower', 'named-helper': 'managed' }, ['claude-code:process:name-only', 'house-helper:process:confirmed', 'named-helper:process:name-only']],
  ] as const)('%s', (_label, observation, sources, expected) => {
    expect(run(observation, sources as Sources)).toEqual(expected);
  });
});

describe('toolSources', () => {
  it("reads a custom tool's layer from the policy's origins; the rest is the catalog", () => {
    const sourceOf = toolSources({
      customTools: [helper, named],
      origins: { 'customTools.house-helper': { layer: 'project', file: '/r/.aitoolrc.yaml' }, 'customTools.named-helper': { layer: 'managed', file: '/etc/aitool/policy.yaml' } },
    });
    expect([helper, named, claude].map(sourceOf)).toEqual(['lower', 'managed', 'catalog']);
  });
});

describe('engines', () => {
  const hostile = entry('hostile', { processes: { args: ['(a+)+$'] }, commits: [{ pattern: '(x+x+)+y' }] });
  const input = proc({ argv: ['tool', `${'a'.repeat(40)}b`] });

  it("runs a policy tool's patterns in linear time", () => {
    const catalog = compileCatalog([hostile], { os: 'linux', home: '/h', env: {} }, () => 'lower');
    const started = performance.now();
    expect(match([input, { kind: 'commit', message: 'x'.repeat(40) }], catalog)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("keeps the catalog's patterns on the default engine (a RegExp), and a policy tool's refusal is one line", () => {
    const catalog = compileCatalog([hostile], { os: 'linux', home: '/h', env: {} });
    expect(catalog.tools[0]!.args[0]).toBeInstanceOf(RegExp);
    const echo = entry('echo', { processes: { args: ['(a)\\1'] } });
    expect(() => compileCatalog([echo], { os: 'linux', home: '/h', env: {} }, () => 'managed')).toThrow(
      /^customTools\.echo: \/\(a\)\\1\/: pattern not supported: backreference \\1/,
    );
  });
});
