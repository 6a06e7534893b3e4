// aitool's session markers against the two public agent detectors, std-env
// and @vercel/detect-agent: each variable they check is set alone, the
// library's answer is recorded, and aitool's must agree, or differ for the
// reason given. The libraries are not used at run time (see README,
// "Session detection"); this keeps the catalog honest about what they know.
import { determineAgent } from '@vercel/detect-agent';
import { detectAgent } from 'std-env';
import { afterEach, describe, expect, it } from 'vitest';
import { CATALOG } from '../src/catalog/index.js';
import { compileCatalog, match } from '../src/match/index.js';

const catalog = compileCatalog(CATALOG, { os: 'linux', home: '/home/ada', env: {} });

/** What aitool makes of one variable: the tools it names, `weak:` before those that count only by policy. */
function ours(name: string, value: string): string[] {
  const strong = match([{ kind: 'env', name, value }], catalog).map((d) => d.tool);
  const all = match([{ kind: 'env', name, value }], catalog, { countWeak: () => true }).map((d) => d.tool);
  return [...strong, ...all.filter((tool) => !strong.includes(tool)).map((tool) => `weak:${tool}`)];
}

const saved = { ...process.env };
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

/** The environment as a child of the detectors would see it: only agent-free variables, plus one marker. */
function only(name: string, value: string): void {
  for (const key of Object.keys(process.env)) {
    if (/^(AI_AGENT|AGENT|CLAUDE|CODEX|GEMINI|COPILOT|CURSOR|OPENCODE|AUGMENT|GOOSE|JUNIE|REPL_ID|ANTIGRAVITY|TERM_PROGRAM|EDITOR)/.test(key)) delete process.env[key];
  }
  process.env[name] = value;
}

// [variable, value, std-env's name, @vercel/detect-agent's name, aitool's answer, why they differ where they do]
const cases: Array<[string, string, string | undefined, string | undefined, string[], string?]> = [
  ['CLAUDECODE', '1', 'claude', 'claude', ['claude-code']],
  ['CLAUDE_CODE', '1', 'claude', 'claude', ['claude-code']],
  ['GEMINI_CLI', '1', 'gemini', 'gemini', ['gemini-cli']],
  ['CODEX_THREAD_ID', '019a2b', 'codex', 'codex', ['codex']],
  ['CODEX_SANDBOX', 'seatbelt', 'codex', 'codex', ['codex']],
  ['CODEX_CI', '1', undefined, 'codex', ['codex']],
  ['OPENCODE', '1', 'opencode', 'opencode', ['weak:opencode'], 'opencode sets OPENCODE=1 in the terminals it opens for people too'],
  ['AUGMENT_AGENT', '1', 'auggie', 'augment-cli', ['augment']],
  ['COPILOT_CLI', '1', 'copilot', undefined, ['github-copilot']],
  ['COPILOT_AGENT', '1', 'copilot', undefined, ['github-copilot']],
  ['CURSOR_AGENT', '1', 'cursor', 'cursor-cli', ['cursor']],
  ['CURSOR_EXTENSION_HOST_ROLE', 'agent-exec', undefined, 'cursor-cli', ['cursor']],
  ['CURSOR_TRACE_ID', 'a1b2c3', undefined, 'cursor', ['weak:cursor'], 'set in every Cursor terminal, human ones included'],
  ['JUNIE_DATA', '/home/ada/.junie', 'junie', undefined, ['jetbrains-ai']],
  ['TERM_PROGRAM', 'kiro', 'kiro', undefined, ['weak:kiro'], "Kiro's terminal sets it for people too (std-env counts it only when stdout is no TTY, as here)"],
  ['AI_AGENT', 'claude-code', 'claude-code', 'claude-code', ['claude-code']],
  ['AI_AGENT', 'github-copilot', 'github-copilot', 'github-copilot', ['github-copilot']],
  ['AI_AGENT', 'github_copilot_vscode_agent', 'copilot', 'github_copilot_vscode_agent', ['github-copilot']],
  ['GOOSE_PROVIDER', 'anthropic', 'goose', undefined, [], "a person's own Goose setting, exported in their shell profile; Goose's shells carry GOOSE_TERMINAL=1"],
  ['COPILOT_GITHUB_TOKEN', 'ghp_x', undefined, 'github-copilot', [], "a person's credential for the Copilot CLI, not a mark of an agent at work"],
  ['COPILOT_MODEL', 'gpt-5', undefined, 'github-copilot', [], "a person's own Copilot setting"],
  ['REPL_ID', 'abc', 'replit', 'replit', [], 'Replit is a hosted workspace, not a tool installed on a workstation (not in the catalog)'],
  ['ANTIGRAVITY_AGENT', '1', undefined, 'antigravity', [], 'not in the catalog yet'],
];

describe('session markers against std-env and @vercel/detect-agent', () => {
  it.each(cases)('%s=%s: std-env %s, @vercel/detect-agent %s, aitool %j', async (name, value, stdEnv, vercel, expected) => {
    only(name, value);
    expect(detectAgent().name).toBe(stdEnv);
    const theirs = await determineAgent();
    expect(theirs.isAgent ? theirs.agent.name : undefined).toBe(vercel);
    expect(ours(name, value)).toEqual(expected);
  });
});
