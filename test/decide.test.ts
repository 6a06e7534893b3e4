import { builtInPolicy } from '../src/policy/merge.js';
import { describe, expect, it } from 'vitest';
import type { ToolEntry } from '../src/catalog/schema.js';
import { decide, dependencyRuleFor, mcpRuleFor, ruleFor } from '../src/decide.js';
import { remediationFor } from '../src/remedy.js';
import type { ResolvedPolicy } from '../src/policy/types.js';
import type { Detection } from '../src/types.js';

const entry = (id: string, category: ToolEntry['category'], extra: Partial<ToolEntry> = {}): ToolEntry => ({
  id, name: id.toUpperCase(), vendor: 'v', homepage: `https://${id}.test`, category, signatures: {}, ...extra,
});
const tools = [
  entry('claude-code', 'agent-cli', { remove: { npm: 'npm uninstall -g @anthropic-ai/claude-code' } }),
  entry('qoder', 'agent-cli', { install: 'npm install -g @qoder-ai/qodercli' }),
  entry('cursor', 'ai-ide'),
  entry('ollama', 'local-model-runtime'),
  entry('tabnine', 'editor-extension'),
];
const byId = new Map(tools.map((t) => [t.id, t]));

function policy(partial: Partial<ResolvedPolicy>): ResolvedPolicy {
  return { ...builtInPolicy(), origins: {}, ...partial };
}
const detection = (tool: string, kind: Detection['kind'] = 'process'): Detection => ({
  tool, kind, confidence: 'confirmed',
  evidence: kind === 'process' ? { pid: 42, matched: 'x' } : { path: '/usr/local/bin/claude', package: '@anthropic-ai/claude-code', installMethod: 'npm', matched: 'x' },
});

describe('ruleFor', () => {
  const p = policy({ default: 'allow', tools: { 'claude-code': { action: 'block' } }, categories: { 'ai-ide': { action: 'warn', reason: 'IDE review' } } });
  it.each([
    ['claude-code', 'block'],
    ['cursor', 'warn'],
    ['ollama', 'allow'],
  ])('%s → %s (tool rule, then category, then default)', (id, action) => {
    expect(ruleFor(byId.get(id)!, p).action).toBe(action);
  });
  it('takes the reason from the category when the tool rule has none', () => {
    expect(ruleFor(byId.get('cursor')!, p).reason).toBe('IDE review');
  });
});

describe('decide', () => {
  it('names the alternative with its link and install command', () => {
    const p = policy({ tools: { 'claude-code': { action: 'block', reason: 'data boundary', alternatives: ['qoder'] }, qoder: { action: 'allow' } } });
    const [finding] = decide([detection('claude-code')], p, byId);
    expect(finding).toMatchObject({
      action: 'block', reason: 'data boundary', toolName: 'CLAUDE-CODE',
      alternatives: [{ id: 'qoder', name: 'QODER', url: 'https://qoder.test', install: 'npm install -g @qoder-ai/qodercli' }],
      remediation: 'stop it: kill 42',
    });
  });

  it('lets a policy-defined alternative override catalog details', () => {
    const p = policy({
      tools: { 'claude-code': { action: 'block', alternatives: ['acme-ai'] } },
      alternatives: { 'acme-ai': { name: 'Acme AI', url: 'https://ai.acme.test', install: 'brew install acme-ai', note: 'SSO login' } },
    });
    expect(decide([detection('claude-code')], p, byId)[0]?.alternatives).toEqual([
      { id: 'acme-ai', name: 'Acme AI', url: 'https://ai.acme.test', install: 'brew install acme-ai', note: 'SSO login' },
    ]);
  });

  it('falls back to what the policy allows, same category first, when a rule names no alternative', () => {
    const p = policy({ tools: { cursor: { action: 'block' }, tabnine: { action: 'allow' }, qoder: { action: 'allow' } } });
    expect(decide([detection('cursor')], p, byId)[0]?.alternatives.map((a) => a.id)).toEqual(['tabnine', 'qoder']);
    expect(decide([detection('claude-code')], p, byId)[0]?.alternatives.map((a) => a.id)).toEqual(['qoder', 'tabnine']);
  });

  it('gives allowed findings no remedy and no alternatives', () => {
    const [finding] = decide([detection('ollama')], policy({ default: 'allow' }), byId);
    expect(finding).toMatchObject({ action: 'allow', alternatives: [] });
    expect(finding).not.toHaveProperty('remediation');
  });

  it('orders block before warn before allow', () => {
    const p = policy({ tools: { cursor: { action: 'block' }, ollama: { action: 'allow' } } });
    const order = decide([detection('ollama'), detection('claude-code'), detection('cursor')], p, byId).map((f) => f.action);
    expect(order).toEqual(['block', 'warn', 'allow']);
  });

  it('drops detections of tools it does not know', () => {
    expect(decide([detection('nope')], policy({}), byId)).toEqual([]);
  });
});

describe('remediationFor', () => {
  it('uses the catalog removal command for an npm install', () => {
    expect(remediationFor(detection('claude-code', 'executable'), byId.get('claude-code')!)).toBe('npm uninstall -g @anthropic-ai/claude-code');
  });
  it('quotes paths with spaces', () => {
    const d: Detection = { tool: 'cursor', kind: 'trace', confidence: 'confirmed', evidence: { path: '/Users/a/Library/Application Support/Cursor', matched: 'x' } };
    expect(remediationFor(d, byId.get('cursor')!)).toContain("'/Users/a/Library/Application Support/Cursor'");
  });
});

describe('MCP server rules', () => {
  const server = { name: 'shell', command: 'npx', args: ['-y', 'mcp-shell'] };
  const p = (servers: ResolvedPolicy['mcp']['servers'], fallback: ResolvedPolicy['mcp']['default'] = 'allow') =>
    policy({ mcp: { default: fallback, servers } });

  it.each([
    ['no rule: mcp.default', {}, 'allow', 'mcp.default'],
    ['a rule named like the server', { Shell: { action: 'warn' } }, 'warn', 'mcp.servers.Shell'],
    ['a command pattern', { exec: { action: 'block', command: 'mcp-(shell|exec)' } }, 'block', 'mcp.servers.exec'],
    ['a name and a command must both match', { x: { action: 'block', name: '^shell$', command: 'docker' } }, 'allow', 'mcp.default'],
    ['a url pattern does not match a local server', { remote: { action: 'block', url: '.' } }, 'allow', 'mcp.default'],
    ['the strictest matching rule wins', { a: { action: 'allow', name: 'shell' }, b: { action: 'block', command: 'npx' }, c: { action: 'warn', name: 's' } }, 'block', 'mcp.servers.b'],
  ] as const)('%s', (_label, servers, action, key) => {
    const rule = mcpRuleFor(server, p(servers as ResolvedPolicy['mcp']['servers']));
    expect([rule.action, rule.key]).toEqual([action, key]);
  });

  it('applies to mcp-server findings, with the rule reason and no fallback alternatives', () => {
    const d: Detection = { tool: 'claude-code', kind: 'mcp-server', confidence: 'confirmed', evidence: { path: '/home/a/.claude.json', server, matched: 'x' } };
    const [finding] = decide([d], { ...p({ exec: { action: 'block', command: 'mcp-shell', reason: 'runs any command' } }), tools: { qoder: { action: 'allow' } } }, byId);
    expect(finding).toMatchObject({ action: 'block', rule: 'mcp.servers.exec', reason: 'runs any command', alternatives: [] });
    expect(finding?.remediation).toBe('delete the "shell" server from /home/a/.claude.json');
  });
});

describe('remedies per kind', () => {
  const tool = byId.get('claude-code')!;
  it.each([
    ['package', { installMethod: 'pnpm', package: 'x', path: '/p' }, 'pnpm remove -g x'],
    ['package', { installMethod: 'pipx', package: 'aider-chat', path: '/p' }, 'pipx uninstall aider-chat'],
    ['package', { installMethod: 'brew-cask', package: 'cursor', path: '/p' }, 'brew uninstall --cask cursor'],
    ['package', { installMethod: 'npx', package: 'x', path: '/home/a/.npm/_npx/1a2b/node_modules/x' }, "rm -rf /home/a/.npm/_npx/1a2b  (npx's cached copy)"],
    ['package', { installMethod: 'deb', package: 'qoder', path: '/p' }, 'sudo apt remove qoder'],
    ['extension', { editor: 'Cursor', extensionId: 'anthropic.claude-code', path: '/e' }, 'cursor --uninstall-extension anthropic.claude-code'],
    ['extension', { editor: 'VS Code Server', extensionId: 'anthropic.claude-code', path: '/e' }, 'code --uninstall-extension anthropic.claude-code'],
    ['extension', { editor: 'IntelliJIdea2025.2', extensionId: 'com.anthropic.code.plugin', path: '/j' }, 'uninstall it in IntelliJIdea2025.2: Settings → Plugins (or delete /j while the IDE is closed)'],
    ['extension', { editor: 'Zed', extensionId: 'settings:agent', path: '/z/settings.json' }, 'remove the "agent" section from /z/settings.json'],
    ['app', { source: 'snap', name: 'ollama', path: '/snap/ollama' }, 'sudo snap remove ollama'],
    ['app', { source: 'bundle', name: 'Cursor.app', path: '/Applications/Cursor.app' }, 'quit CLAUDE-CODE and move /Applications/Cursor.app to the Trash'],
    ['config-change', { path: '/home/a/.bashrc', line: 12 }, 'remove what CLAUDE-CODE added to /home/a/.bashrc (from line 12)'],
    ['dependency', { ecosystem: 'npm', package: '@openai/codex-sdk', file: 'package.json', field: 'devDependencies', status: 'tracked' }, 'npm uninstall @openai/codex-sdk'],
    ['dependency', { ecosystem: 'npm', package: '@openai/codex-sdk', alias: 'my-sdk', file: 'web/package.json', field: 'dependencies', status: 'added' }, 'cd web && npm uninstall my-sdk, then stage web/package.json again'],
    ['dependency', { ecosystem: 'npm', package: '@qwen-code/sdk', file: 'pnpm-lock.yaml', field: 'lockfile', status: 'tracked' }, 'pnpm remove @qwen-code/sdk (if a dependency pulls it in instead, `npm explain @qwen-code/sdk` names it)'],
    ['dependency', { ecosystem: 'npm', package: '@qwen-code/sdk', file: 'yarn.lock', field: 'lockfile', status: 'tracked' }, 'yarn remove @qwen-code/sdk (if a dependency pulls it in instead, `npm explain @qwen-code/sdk` names it)'],
    ['dependency', { ecosystem: 'pip', package: 'claude-agent-sdk', file: 'requirements.txt', field: 'require', line: 3, status: 'modified' }, 'remove claude-agent-sdk from requirements.txt (line 3), then stage requirements.txt again'],
    ['dependency', { ecosystem: 'pip', package: 'claude-agent-sdk', file: 'svc/pyproject.toml', field: 'tool.poetry.dependencies', status: 'tracked' }, 'cd svc && poetry remove claude-agent-sdk'],
    ['dependency', { ecosystem: 'pip', package: 'claude-agent-sdk', file: 'uv.lock', field: 'lockfile', status: 'tracked' }, 'remove claude-agent-sdk from uv.lock (and from the manifest that requires it), then lock again'],
    ['dependency', { ecosystem: 'go', package: 'github.com/github/copilot-sdk/go', file: 'go.mod', field: 'require', status: 'tracked' }, 'go get github.com/github/copilot-sdk/go@none && go mod tidy'],
    ['package', { installMethod: 'sdk', package: '@anthropic-ai/claude-agent-sdk', project: '/src/my app', path: '/src/my app/node_modules/@anthropic-ai/claude-agent-sdk' }, "cd '/src/my app' && npm uninstall @anthropic-ai/claude-agent-sdk"],
  ] as const)('%s %j', (kind, evidence, expected) => {
    expect(remediationFor({ tool: 'claude-code', kind, confidence: 'confirmed', evidence: { ...evidence, matched: 'x' } } as Detection, tool)).toBe(expected);
  });
});

describe("dependencyRuleFor: an SDK dependency gets the agent's rule, or categories.agent-sdk where that is stricter", () => {
  const claude = byId.get('claude-code')!;
  it.each([
    ['no rules: the default', {}, {}, 'warn', 'default'],
    ['the agent blocked, SDK use allowed: still blocked', { 'claude-code': { action: 'block' } }, { 'agent-sdk': { action: 'allow' } }, 'block', 'tools.claude-code'],
    ['the agent allowed, SDK use blocked: blocked', { 'claude-code': { action: 'allow' } }, { 'agent-sdk': { action: 'block', reason: 'no embedded agents' } }, 'block', 'categories.agent-sdk'],
    ['the agent category warned, SDK use blocked', {}, { 'agent-cli': { action: 'warn' }, 'agent-sdk': { action: 'block' } }, 'block', 'categories.agent-sdk'],
    ['equal: the agent rule names the decision', { 'claude-code': { action: 'warn' } }, { 'agent-sdk': { action: 'warn' } }, 'warn', 'tools.claude-code'],
  ] as const)('%s', (_label, toolRules, categoryRules, action, key) => {
    const rule = dependencyRuleFor(claude, policy({ tools: toolRules as ResolvedPolicy['tools'], categories: categoryRules as ResolvedPolicy['categories'] }));
    expect([rule.action, rule.key]).toEqual([action, key]);
  });

  it('decide applies it to dependency findings and SDK installs, and the plain rule to everything else', () => {
    const p = policy({ tools: { 'claude-code': { action: 'allow' } }, categories: { 'agent-sdk': { action: 'block', reason: 'no embedded agents' } } });
    const dependency: Detection = { tool: 'claude-code', kind: 'dependency', confidence: 'confirmed', evidence: { file: 'package.json', line: 4, package: '@anthropic-ai/claude-agent-sdk', ecosystem: 'npm', field: 'dependencies', status: 'tracked', matched: 'x' } };
    const install: Detection = { tool: 'claude-code', kind: 'package', confidence: 'confirmed', evidence: { path: '/p/node_modules/x', package: 'x', installMethod: 'sdk', project: '/p', matched: 'x' } };
    const found = decide([dependency, install, detection('claude-code')], p, byId).map((f) => [f.kind, f.action, f.rule, f.reason]);
    expect(found).toEqual([
      ['dependency', 'block', 'categories.agent-sdk', 'no embedded agents'],
      ['package', 'block', 'categories.agent-sdk', 'no embedded agents'],
      ['process', 'allow', 'tools.claude-code', undefined],
    ]);
  });
});
