// The matcher's rules for evidence that survives a renamed or retitled
// process, over the built-in catalog: which environment, child and open-file
// facts prove a tool, and which look alike but do not.
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../src/catalog/index.js';
import { compileCatalog, match } from '../src/match/index.js';
import type { ProcessChild, ProcessObservation } from '../src/types.js';

const HOME = '/home/ada';
const catalog = compileCatalog(CATALOG, { os: 'linux', home: HOME, env: {} });

function process(overrides: Partial<ProcessObservation>): ProcessObservation {
  return { kind: 'process', pid: 100, ppid: 1, name: 'worker', cmd: 'worker', argv: ['worker'], exe: '/opt/x/worker', packages: [], ancestors: [], ...overrides };
}
const child = (overrides: Partial<ProcessChild>): ProcessChild => ({ pid: 101, name: 'bash', cmd: 'bash', variables: [], ...overrides });
const found = (observation: ProcessObservation) => match([observation], catalog).map((d) => [d.tool, d.confidence, d.evidence.proof]);

describe('children vouch for their parent', () => {
  it("a child sourcing Claude Code's shell snapshot", () => {
    const cmd = `/bin/bash -c -l source ${HOME}/.claude/shell-snapshots/snapshot-bash-1.sh && eval 'npm test'`;
    expect(found(process({ children: [child({ cmd })] }))).toEqual([['claude-code', 'confirmed', 'child']]);
  });

  it("a child carrying Codex's thread id", () => {
    expect(found(process({ children: [child({ variables: [{ name: 'CODEX_THREAD_ID', value: '019a' }] })] }))).toEqual([['codex', 'confirmed', 'child']]);
  });

  it("a child the Agent SDK started is Claude Code; its parent (the project's bot) is not", () => {
    const sdk = [{ name: 'CLAUDE_CODE_ENTRYPOINT', value: 'sdk-ts' }, { name: 'CLAUDE_AGENT_SDK_VERSION', value: '0.3.337' }];
    expect(found(process({ children: [child({ variables: sdk })] }))).toEqual([]);
    expect(found(process({ environment: sdk }))).toEqual([['claude-code', 'confirmed', 'environment']]);
  });

  it('a weak marker vouches for nothing', () => {
    expect(found(process({ children: [child({ variables: [{ name: 'TERM_PROGRAM', value: 'zed' }] })] }))).toEqual([]);
  });

  it("a session marker in the process's own environment does not make it the agent (it inherits it from the agent's shell)", () => {
    expect(found(process({ environment: [{ name: 'CLAUDECODE', value: '1' }] }))).toEqual([]);
  });
});

describe('open files', () => {
  it.each([
    [`${HOME}/.claude/projects/-home-ada-repo/0d1f.jsonl`, 'claude-code'],
    [`${HOME}/.codex/sessions/2026/12/06/rollout-1.jsonl`, 'codex'],
  ])('%s proves %s', (file, tool) => {
    expect(found(process({ openFiles: [file] }))).toEqual([[tool, 'confirmed', 'open-file']]);
  });

  it.each([`${HOME}/.claude.json`, `${HOME}/.claude/settings.json`, `${HOME}/.config/claude/x`, '/tmp/.claude/projects/x.jsonl'])('%s proves nothing', (file) => {
    expect(found(process({ openFiles: [file] }))).toEqual([]);
  });
});

describe('`_` and embedded installs', () => {
  it('`_` leading into a package other than a tool proves nothing, even for a process titled like one', () => {
    const observation = process({ name: 'pi', cmd: 'pi', argv: ['pi'], exe: '/usr/bin/node', environment: [{ name: '_', value: '/usr/local/bin/lpad' }], launchedAs: '/usr/local/lib/node_modules/left-pad-cli/bin.js' });
    expect(found(observation)).toEqual([]);
  });

  it.each([
    ['/srv/bot/node_modules/@anthropic-ai/claude-agent-sdk/cli.js', 'claude-code', '/srv/bot'],
    ['/srv/bot/node_modules/@anthropic-ai/claude-agent-sdk-darwin-arm64/claude', 'claude-code', '/srv/bot'],
    ['/usr/lib/node_modules/@zed-industries/claude-code-acp/dist/index.js', 'claude-code', '/usr/lib'],
    ['/srv/ed/node_modules/@zed-industries/codex-acp-linux-x64/bin/codex-acp', 'codex', '/srv/ed'],
  ])('%s is %s through an SDK, in %s', (script, tool, project) => {
    const [detection] = match([process({ exe: '/usr/bin/node', script })], catalog);
    expect(detection).toMatchObject({ tool, confidence: 'confirmed', evidence: { proof: 'path', installMethod: 'sdk', project } });
  });

  it('an unrelated package called claude in a project is not Claude Code', () => {
    expect(found(process({ exe: '/usr/bin/node', script: '/srv/app/node_modules/claude/index.js' }))).toEqual([]);
  });
});
