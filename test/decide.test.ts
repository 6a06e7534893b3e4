import { describe, expect, it } from 'vitest';
import type { ToolEntry } from '../src/catalog/schema.js';
import { decide, mcpRuleFor, ruleFor } from '../src/decide.js';
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
  return {
    default: 'warn', tools: {}, categories: {}, alternatives: {}, customTools: [],
    scanners: { processes: true, path: true, traces: true, packages: true, editors: true, apps: true, configs: true }, mcp: { default: 'allow', servers: {} }, origins: {}, files: [], warnings: [], ...partial,
  };
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
