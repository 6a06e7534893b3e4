import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { CATALOG, findTool } from '../src/catalog/index.js';
import { toolEntrySchema, TOOL_ID_PATTERN } from '../src/catalog/schema.js';
import type { ToolEntry } from '../src/catalog/schema.js';
import { compilePathPattern } from '../src/patterns.js';

const TOOLS_DIR = fileURLToPath(new URL('../src/catalog/tools/', import.meta.url));

const REQUIRED_IDS = [
  'claude-code', 'codex', 'gemini-cli', 'github-copilot', 'qwen-code', 'qoder', 'tongyi-lingma',
  'cursor', 'windsurf', 'trae', 'kiro', 'amazon-q', 'amp', 'augment', 'opencode', 'aider', 'cline',
  'roo-code', 'kilo-code', 'continue', 'tabnine', 'sourcegraph-cody', 'jetbrains-ai', 'goose',
  'factory-droid', 'crush', 'zed-ai', 'ollama', 'lm-studio', 'grok-cli', 'agent-instructions',
];

/** Every path pattern of an entry, with where it sits (for failure messages). */
function pathPatterns(tool: ToolEntry): Array<[where: string, pattern: string]> {
  const s = tool.signatures;
  const out: Array<[string, string]> = [];
  for (const p of s.processes?.paths ?? []) out.push(['processes.paths', p]);
  for (const p of s.installPaths ?? []) out.push(['installPaths', p]);
  for (const p of s.apps?.windows?.paths ?? []) out.push(['apps.windows.paths', p]);
  for (const p of s.apps?.linux?.paths ?? []) out.push(['apps.linux.paths', p]);
  for (const h of s.home ?? []) out.push(['home', h.path]);
  for (const p of s.skillFolders ?? []) out.push(['skillFolders', p]);
  return out;
}

function regexSources(tool: ToolEntry): Array<[where: string, source: string]> {
  const s = tool.signatures;
  return [
    ...(s.processes?.args ?? []).map((r): [string, string] => ['processes.args', r]),
    ...(s.env ?? []).flatMap((e): Array<[string, string]> => (e.value ? [[`env.${e.name}`, e.value]] : [])),
    ...(s.commits ?? []).map((c): [string, string] => ['commits', c.pattern]),
  ];
}

/** Lower-cased executable and process names of a tool, each with whether it is marked ambiguous everywhere it appears. */
function namesOf(tool: ToolEntry): Map<string, boolean> {
  const names = new Map<string, boolean>();
  const add = (name: string, ambiguous: boolean): void => {
    const key = name.toLowerCase();
    names.set(key, (names.get(key) ?? true) && ambiguous);
  };
  for (const e of tool.signatures.executables ?? []) add(e.name, e.ambiguous === true);
  const ambiguousNames = new Set(tool.signatures.processes?.ambiguousNames ?? []);
  for (const n of tool.signatures.processes?.names ?? []) add(n, ambiguousNames.has(n));
  return names;
}

function commitMatches(tool: ToolEntry, line: string, where: 'message' | 'author' | 'committer' = 'message'): boolean {
  return (tool.signatures.commits ?? []).some(
    (c) => (c.in ?? 'message') === where && new RegExp(c.pattern, 'i').test(line),
  );
}

function tool(id: string): ToolEntry {
  const found = findTool(id);
  if (!found) throw new Error(`no catalog entry ${id}`);
  return found;
}

describe('catalog entries', () => {
  it('every entry parses with the schema', () => {
    const failures = CATALOG.flatMap((entry) => {
      const result = toolEntrySchema.safeParse(entry);
      return result.success
        ? []
        : result.error.issues.map((i) => `${entry.id}: ${i.path.join('.')}: ${i.message}`);
    });
    expect(failures).toEqual([]);
  });

  it('ids are unique and kebab-case', () => {
    const ids = CATALOG.map((t) => t.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(ids.filter((id) => !TOOL_ID_PATTERN.test(id))).toEqual([]);
  });

  it('is sorted by id', () => {
    const ids = CATALOG.map((t) => t.id);
    expect(ids).toEqual([...ids].sort());
  });

  it('registers every file in src/catalog/tools/ under its file name', () => {
    const files = readdirSync(TOOLS_DIR)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.slice(0, -'.ts'.length))
      .sort();
    expect(CATALOG.map((t) => t.id).sort()).toEqual(files);
  });

  it('has at least 30 entries, including every required id', () => {
    expect(CATALOG.length).toBeGreaterThanOrEqual(30);
    expect(REQUIRED_IDS.filter((id) => !findTool(id))).toEqual([]);
  });

  it('findTool returns the entry or undefined', () => {
    expect(findTool('claude-code')?.name).toBe('Claude Code');
    expect(findTool('no-such-tool')).toBeUndefined();
  });

  it('every regular expression compiles', () => {
    const broken = CATALOG.flatMap((t) =>
      regexSources(t).flatMap(([where, source]) => {
        try {
          new RegExp(source, 'i');
          return [];
        } catch (error) {
          return [`${t.id} ${where}: ${source}: ${(error as Error).message}`];
        }
      }),
    );
    expect(broken).toEqual([]);
  });

  it('executable and process names are unique across tools unless ambiguous in both', () => {
    const seen = new Map<string, { id: string; ambiguous: boolean }>();
    const clashes: string[] = [];
    for (const t of CATALOG) {
      for (const [name, ambiguous] of namesOf(t)) {
        const other = seen.get(name);
        if (other && !(other.ambiguous && ambiguous)) clashes.push(`${name}: ${other.id} and ${t.id}`);
        if (!other) seen.set(name, { id: t.id, ambiguous });
      }
    }
    expect(clashes).toEqual([]);
  });

  it('ambiguous process names are among the process names', () => {
    const stray = CATALOG.flatMap((t) => {
      const names = new Set(t.signatures.processes?.names ?? []);
      return (t.signatures.processes?.ambiguousNames ?? []).filter((n) => !names.has(n)).map((n) => `${t.id}: ${n}`);
    });
    expect(stray).toEqual([]);
  });

  it('path patterns use forward slashes and a known anchor', () => {
    const anchor =
      /^(~(\/|$)|\/|%(APPDATA|LOCALAPPDATA|PROGRAMFILES|PROGRAMDATA)%(\/|$)|\$XDG_(CONFIG|DATA|STATE|CACHE)_HOME(\/|$)|[A-Za-z0-9._@-])/;
    const bad = CATALOG.flatMap((t) =>
      pathPatterns(t)
        .filter(([, p]) => p.includes('\\') || !anchor.test(p) || p.startsWith('./'))
        .map(([where, p]) => `${t.id} ${where}: ${p}`),
    );
    expect(bad).toEqual([]);
  });

  it('path patterns compile on every OS', () => {
    const broken = CATALOG.flatMap((t) =>
      pathPatterns(t).flatMap(([where, p]) =>
        (['linux', 'macos', 'windows'] as const).flatMap((os) => {
          try {
            compilePathPattern(p, { os, home: os === 'windows' ? 'C:/Users/u' : '/home/u', env: {} });
            return [];
          } catch (error) {
            return [`${t.id} ${where} on ${os}: ${p}: ${(error as Error).message}`];
          }
        }),
      ),
    );
    expect(broken).toEqual([]);
  });

  it('home paths are plain paths a scanner can lstat', () => {
    const bad = CATALOG.flatMap((t) =>
      (t.signatures.home ?? [])
        .filter((h) => /[*?{}]/.test(h.path) || h.path === '~/.config' || h.path === '~')
        .map((h) => `${t.id}: ${h.path}`),
    );
    expect(bad).toEqual([]);
  });

  it('repository artifacts use forward slashes and no leading ./ or /', () => {
    const bad = CATALOG.flatMap((t) =>
      (t.signatures.repo ?? [])
        .filter((r) => r.includes('\\') || r.startsWith('./') || r.startsWith('/'))
        .map((r) => `${t.id}: ${r}`),
    );
    expect(bad).toEqual([]);
  });

  it('does not repeat npm or pip packages as process paths (the matcher derives those)', () => {
    const repeated = CATALOG.flatMap((t) => {
      const derived = [
        ...(t.signatures.packages?.npm ?? []).map((p) => `node_modules/${p}/**`),
        ...(t.signatures.packages?.pip ?? []).flatMap((p) => [`venvs/${p}/**`, `uv/tools/${p}/**`]),
      ];
      return (t.signatures.processes?.paths ?? []).filter((p) => derived.includes(p)).map((p) => `${t.id}: ${p}`);
    });
    expect(repeated).toEqual([]);
  });

  it('leaves AGENTS.md to the agent-instructions entry', () => {
    const shared = ['AGENTS.md', 'AGENTS.override.md'];
    const claimed = CATALOG.filter((t) => t.id !== 'agent-instructions').flatMap((t) =>
      (t.signatures.repo ?? []).filter((r) => shared.includes(r)).map((r) => `${t.id}: ${r}`),
    );
    expect(claimed).toEqual([]);
    expect(tool('agent-instructions').signatures.repo).toEqual(shared);
    expect(tool('agent-instructions').category).toBe('agent-instructions');
  });

  it('names Chrome Web Store ids as the store spells them, each claimed by one entry', () => {
    const ids = CATALOG.flatMap((t) => (t.signatures.browserExtensions?.chromium ?? []).map((id) => [t.id, id] as const));
    expect(ids.filter(([, id]) => !/^[a-p]{32}$/.test(id))).toEqual([]);
    expect(new Set(ids.map(([, id]) => id)).size).toBe(ids.length);
    // Every browser-extension entry carries at least one id, and only they do.
    const browserTools = CATALOG.filter((t) => t.category === 'browser-extension').map((t) => t.id).sort();
    expect([...new Set(ids.map(([id]) => id))].sort()).toEqual(browserTools);
  });

  it('leaves the cross-agent skills folders to the agent-instructions entry', () => {
    const shared = ['~/.agents/skills', '.agents/skills'];
    const claimed = CATALOG.filter((t) => t.id !== 'agent-instructions').flatMap((t) =>
      (t.signatures.skillFolders ?? []).filter((f) => shared.includes(f)).map((f) => `${t.id}: ${f}`),
    );
    expect(claimed).toEqual([]);
  });

  it('gives every entry a one-line install hint and a source', () => {
    const missing = CATALOG.filter((t) => t.category !== 'agent-instructions').flatMap((t) => [
      ...(t.install && !t.install.includes('\n') ? [] : [`${t.id}: install`]),
      ...(t.sources?.length ? [] : [`${t.id}: sources`]),
    ]);
    expect(missing).toEqual([]);
  });
});

type FactKind =
  | 'npm' | 'pip' | 'brew' | 'brewCask' | 'vscodeExtension' | 'jetbrainsPlugin' | 'executable'
  | 'processName' | 'processPath' | 'processArg' | 'installPath' | 'bundleId' | 'home' | 'repo' | 'env'
  | 'chromeExtension' | 'skillFolder';

function hasFact(t: ToolEntry, kind: FactKind, value: string): boolean {
  const s = t.signatures;
  switch (kind) {
    case 'npm': return s.packages?.npm?.includes(value) ?? false;
    case 'pip': return s.packages?.pip?.includes(value) ?? false;
    case 'brew': return s.packages?.brew?.includes(value) ?? false;
    case 'brewCask': return s.packages?.brewCask?.includes(value) ?? false;
    case 'vscodeExtension': return s.vscodeExtensions?.some((e) => e.toLowerCase() === value.toLowerCase()) ?? false;
    case 'jetbrainsPlugin': return s.jetbrainsPlugins?.includes(value) ?? false;
    case 'executable': return s.executables?.some((e) => e.name === value) ?? false;
    case 'processName': return s.processes?.names?.includes(value) ?? false;
    case 'processPath': return s.processes?.paths?.includes(value) ?? false;
    case 'processArg': return s.processes?.args?.includes(value) ?? false;
    case 'installPath': return s.installPaths?.includes(value) ?? false;
    case 'bundleId': return s.apps?.macos?.bundleIds?.includes(value) ?? false;
    case 'home': return s.home?.some((h) => h.path === value) ?? false;
    case 'repo': return s.repo?.includes(value) ?? false;
    case 'env': return s.env?.some((e) => e.name === value) ?? false;
    case 'chromeExtension': return s.browserExtensions?.chromium?.includes(value) ?? false;
    case 'skillFolder': return s.skillFolders?.includes(value) ?? false;
  }
}

// One key fact per tool, so that deleting a signature by mistake fails here.
const KEY_FACTS: Array<[id: string, kind: FactKind, value: string]> = [
  ['agent-instructions', 'repo', 'AGENTS.md'],
  ['aider', 'pip', 'aider-chat'],
  ['amazon-q', 'vscodeExtension', 'AmazonWebServices.amazon-q-vscode'],
  ['amp', 'npm', '@ampcode/cli'],
  ['antigravity', 'bundleId', 'com.google.antigravity'],
  ['anythingllm', 'bundleId', 'com.anythingllm'],
  ['augment', 'env', 'AUGMENT_AGENT'],
  ['blackbox', 'vscodeExtension', 'blackboxapp.blackbox'],
  ['chatgpt-desktop', 'bundleId', 'com.openai.chat'],
  ['chatgpt-search', 'chromeExtension', 'ejcfepkfckglbgocfkanmcdngdijcgld'],
  ['claude-code', 'npm', '@anthropic-ai/claude-code'],
  ['claude-desktop', 'bundleId', 'com.anthropic.claudefordesktop'],
  ['claude-in-chrome', 'chromeExtension', 'fcoeoabgfenejglbffodgkkbkcdhcgfn'],
  ['cline', 'processArg', '--cline-hub-daemon'],
  ['codebuddy', 'npm', '@tencent-ai/codebuddy-code'],
  ['codex', 'processPath', '~/.codex/packages/**'],
  ['codegpt', 'vscodeExtension', 'danielsanmedium.dscodegpt'],
  ['continue', 'npm', '@continuedev/cli'],
  ['crush', 'npm', '@charmland/crush'],
  ['cursor', 'bundleId', 'com.todesktop.230313mzl4w4u92'],
  ['factory-droid', 'processPath', 'node_modules/@factory/cli-*/**'],
  ['gemini-cli', 'env', 'GEMINI_CLI'],
  ['gemini-code-assist', 'vscodeExtension', 'Google.geminicodeassist'],
  ['github-copilot', 'vscodeExtension', 'GitHub.copilot'],
  ['goose', 'brew', 'block-goose-cli'],
  ['gpt-engineer', 'pip', 'gpt-engineer'],
  ['gpt4all', 'brewCask', 'gpt4all'],
  ['grok-build', 'processPath', '~/.grok/bin/**'],
  ['grok-cli', 'npm', '@vibe-kit/grok-cli'],
  ['hermes-agent', 'processPath', '~/.hermes/hermes-agent/**'],
  ['harpa-ai', 'chromeExtension', 'eanggfilgoajaocelnaflolkadkeghjp'],
  ['iflow-cli', 'npm', '@iflow-ai/iflow-cli'],
  ['jan', 'bundleId', 'jan.ai.app'],
  ['jetbrains-ai', 'jetbrainsPlugin', 'org.jetbrains.junie'],
  ['jules', 'npm', '@google/jules'],
  ['kilo-code', 'processPath', 'node_modules/@kilocode/cli-*/**'],
  ['kimi-code', 'npm', '@moonshot-ai/kimi-code'],
  ['kiro', 'bundleId', 'dev.kiro.desktop'],
  ['lm-studio', 'bundleId', 'ai.elementlabs.lmstudio'],
  ['localai', 'brew', 'localai'],
  ['microsoft-ai-shell', 'processPath', '%LOCALAPPDATA%/Programs/AIShell/**'],
  ['microsoft-copilot', 'bundleId', 'com.microsoft.copilot-mac'],
  ['maxai', 'chromeExtension', 'mhnlakgilnojmhinhkckjpncpbhabphi'],
  ['merlin', 'chromeExtension', 'camppjleccjaphfdbohjdohecfnoikec'],
  ['monica', 'chromeExtension', 'ofpnmcalabcbjgholdjcjblkibolbppb'],
  ['msty', 'bundleId', 'app.msty.app'],
  ['muse-code', 'home', '$XDG_DATA_HOME/muse/sessions'],
  ['ollama', 'home', '~/.ollama'],
  ['open-interpreter', 'pip', 'open-interpreter'],
  ['openclaw', 'npm', 'openclaw'],
  ['opencode', 'npm', 'opencode-ai'],
  ['pi', 'npm', '@mariozechner/pi-coding-agent'],
  ['perplexity-companion', 'chromeExtension', 'hlgbcneanomplepojfcnclggenpcoldo'],
  ['qoder', 'npm', '@qoder-ai/qodercli'],
  ['qwen-code', 'env', 'QWEN_CODE'],
  ['roo-code', 'vscodeExtension', 'RooVeterinaryInc.roo-cline'],
  ['sider', 'chromeExtension', 'difoiogjjojoaoomphldepapgpbgkhkb'],
  ['sourcegraph-cody', 'vscodeExtension', 'sourcegraph.cody-ai'],
  ['sourcery', 'vscodeExtension', 'sourcery.sourcery'],
  ['supermaven', 'vscodeExtension', 'supermaven.supermaven'],
  ['tabnine', 'jetbrainsPlugin', 'com.tabnine.TabNine'],
  ['text-generation-webui', 'processArg', 'text-generation-webui[\\\\/](server|one_click)\\.py\\b'],
  ['tongyi-lingma', 'jetbrainsPlugin', 'com.alibabacloud.intellij.cosy'],
  ['trae', 'bundleId', 'com.trae.app'],
  ['windsurf', 'bundleId', 'com.exafunction.windsurf'],
  ['zed-ai', 'bundleId', 'dev.zed.Zed'],
];

describe('key facts', () => {
  it('has one row per catalog entry', () => {
    expect(KEY_FACTS.map(([id]) => id).sort()).toEqual(CATALOG.map((t) => t.id).sort());
  });

  it.each(KEY_FACTS)('%s has %s %s', (id, kind, value) => {
    expect(hasFact(tool(id), kind, value)).toBe(true);
  });

  it.each([
    ['claude-code', 'installPath', '~/.local/share/claude/versions/{version}'],
    ['cursor', 'installPath', '~/.local/share/cursor-agent/versions/{version}'],
    ['github-copilot', 'processName', 'copilot-runtime'],
    ['codex', 'processArg', '\\bapp-server\\b.*--managed-daemon'],
    ['cline', 'processName', '.cline'],
    ['claude-code', 'home', '~/.claude.json'],
    ['opencode', 'home', '$XDG_CONFIG_HOME/opencode'],
    ['claude-code', 'repo', 'CLAUDE.md'],
    ['github-copilot', 'repo', '.github/copilot-instructions.md'],
    ['antigravity', 'home', '~/.gemini/antigravity'],
    ['antigravity', 'executable', 'agy'],
    ['openclaw', 'home', '~/.clawdbot'],
    ['openclaw', 'home', '~/.moltbot'],
    ['openclaw', 'npm', 'clawdbot'],
    ['claude-desktop', 'home', '~/Library/Application Support/Claude/local-agent-mode-sessions'],
    ['claude-desktop', 'home', '%APPDATA%/Claude/local-agent-mode-sessions'],
    ['microsoft-ai-shell', 'home', '~/.aish'],
    ['gpt-engineer', 'home', '~/.gpt-engineer'],
    ['localai', 'executable', 'local-ai'],
    ['cursor', 'executable', 'cursor-agent'],
    ['kiro', 'executable', 'kiro-cli'],
    ['claude-code', 'skillFolder', '~/.claude/skills'],
    ['claude-code', 'skillFolder', '.claude/skills'],
    ['codex', 'skillFolder', '~/.codex/skills'],
    ['gemini-cli', 'skillFolder', '~/.gemini/skills'],
    ['github-copilot', 'skillFolder', '.github/skills'],
    ['cursor', 'skillFolder', '~/.cursor/skills'],
    ['agent-instructions', 'skillFolder', '~/.agents/skills'],
    ['agent-instructions', 'skillFolder', '.agents/skills'],
    ['msty', 'bundleId', 'com.MstyStudio.app'],
    ['gpt4all', 'home', '~/Library/Application Support/nomic.ai/GPT4All'],
    ['anythingllm', 'home', '~/Library/Application Support/anythingllm-desktop'],
    ['grok-build', 'env', 'GROK_SESSION_ID'],
    ['grok-build', 'installPath', '~/.grok/bin'],
    ['kimi-code', 'installPath', '~/.kimi-code/bin'],
    ['kimi-code', 'home', '~/.kimi'],
    ['kimi-code', 'pip', 'kimi-cli'],
  ] as Array<[string, FactKind, string]>)('%s has %s %s', (id, kind, value) => {
    expect(hasFact(tool(id), kind, value)).toBe(true);
  });
});

describe('ambiguous names', () => {
  it.each([
    ['amazon-q', 'q'],
    ['amp', 'amp'],
    ['continue', 'cn'],
    ['cursor', 'agent'],
    ['kilo-code', 'kilo'],
    ['goose', 'goose'],
    ['grok-cli', 'grok'],
    ['lm-studio', 'lms'],
    ['factory-droid', 'droid'],
    ['pi', 'pi'],
    ['github-copilot', 'copilot'],
    ['microsoft-ai-shell', 'aish'],
    ['microsoft-ai-shell', 'ai'],
    ['open-interpreter', 'interpreter'],
    ['open-interpreter', 'i'],
    ['gpt-engineer', 'ge'],
    ['hermes-agent', 'hermes'],
    ['text-generation-webui', 'textgen'],
    ['grok-build', 'grok'],
    ['kimi-code', 'kimi'],
    ['muse-code', 'muse'],
  ])('%s marks the executable %s ambiguous', (id, name) => {
    const exe = tool(id).signatures.executables?.find((e) => e.name === name);
    expect(exe?.ambiguous).toBe(true);
  });

  it.each([
    ['claude-code', 'claude'],
    ['codex', 'codex'],
    ['gemini-cli', 'gemini'],
    ['opencode', 'opencode'],
    ['openclaw', 'openclaw'],
    ['localai', 'local-ai'],
    ['antigravity', 'agy'],
    ['gpt-engineer', 'gpt-engineer'],
  ])('%s does not mark the executable %s ambiguous', (id, name) => {
    const exe = tool(id).signatures.executables?.find((e) => e.name === name);
    expect(exe).toBeDefined();
    expect(exe?.ambiguous).not.toBe(true);
  });
});

describe('environment markers', () => {
  function envMatches(t: ToolEntry, name: string, value: string): boolean {
    return (t.signatures.env ?? []).some((e) => e.name === name && (!e.value || new RegExp(e.value, 'i').test(value)));
  }

  it.each([
    ['claude-code', 'AI_AGENT', 'claude-code_2-1-197_agent'],
    ['claude-code', 'CLAUDECODE', '1'],
    ['codex', 'CODEX_THREAD_ID', '0199-abc'],
    ['amp', 'AGENT', 'amp'],
    ['goose', 'AGENT', 'goose'],
    ['crush', 'AI_AGENT', 'crush'],
    ['cursor', 'CURSOR_EXTENSION_HOST_ROLE', 'agent-exec'],
    ['aider', 'OR_APP_NAME', 'Aider'],
  ])('%s is seen in %s=%s', (id, name, value) => {
    expect(envMatches(tool(id), name, value)).toBe(true);
  });

  it('attributes a generic AGENT=1 to no tool', () => {
    expect(CATALOG.filter((t) => envMatches(t, 'AGENT', '1')).map((t) => t.id)).toEqual([]);
  });

  it('does not read another tool’s AI_AGENT value as its own', () => {
    expect(envMatches(tool('amp'), 'AI_AGENT', 'claude-code_2-1-197_agent')).toBe(false);
    expect(envMatches(tool('claude-code'), 'AI_AGENT', 'amp')).toBe(false);
  });

  it('marks markers that human sessions carry as weak', () => {
    const weak = (id: string, name: string): boolean =>
      tool(id).signatures.env?.find((e) => e.name === name)?.strength === 'weak';
    expect(weak('cursor', 'CURSOR_TRACE_ID')).toBe(true);
    expect(weak('zed-ai', 'TERM_PROGRAM')).toBe(true);
    expect(weak('zed-ai', 'ZED_TERM')).toBe(true);
  });
});

describe('commit markers', () => {
  it.each([
    ['claude-code', 'Co-Authored-By: Claude Opus 4 <noreply@anthropic.com>'],
    ['claude-code', 'Co-Authored-By: Claude <noreply@anthropic.com>'],
    ['claude-code', '🤖 Generated with [Claude Code](https://claude.com/claude-code)'],
    ['codex', 'Co-authored-by: Codex <noreply@openai.com>'],
    ['codex', 'Generated with [Codex](https://openai.com/codex/)'],
    ['github-copilot', 'Co-authored-by: Copilot <223556219+Copilot@users.noreply.github.com>'],
    ['qwen-code', 'Co-authored-by: Qwen-Coder <qwen-coder@alibabacloud.com>'],
    ['qwen-code', '🤖 Generated with Qwen Code'],
    ['amp', 'Amp-Thread-ID: https://ampcode.com/threads/T-1'],
    ['amp', 'Co-authored-by: Amp <amp@ampcode.com>'],
    ['continue', 'Co-Authored-By: Continue <noreply@continue.dev>'],
    ['continue', 'Generated with [Continue](https://continue.dev)'],
    ['factory-droid', 'Co-authored-by: factory-droid[bot] <138933559+factory-droid[bot]@users.noreply.github.com>'],
    ['aider', 'Co-authored-by: aider (anthropic/claude-sonnet-4) <aider@aider.chat>'],
    ['crush', '💘 Generated with Crush'],
    ['crush', 'Co-Authored-By: Crush <crush@charm.land>'],
    ['crush', 'Assisted-by: Crush:claude-sonnet-4'],
    ['cursor', 'Co-authored-by: Cursor Agent <cursoragent@cursor.com>'],
  ])('%s matches %s', (id, line) => {
    expect(commitMatches(tool(id), line)).toBe(true);
  });

  it('matches aider in the author and committer names', () => {
    expect(commitMatches(tool('aider'), 'Jane Doe (aider)', 'author')).toBe(true);
    expect(commitMatches(tool('aider'), 'Jane Doe (aider)', 'committer')).toBe(true);
    expect(commitMatches(tool('aider'), 'Jane Doe (aider)', 'message')).toBe(false);
  });

  it.each([
    'Co-authored-by: Jane Doe <jane@example.com>',
    'Co-authored-by: Claude Monet <claude@example.com>',
    'Signed-off-by: Jane Doe <jane@example.com>',
    'Fix the copilot settings page',
    'Reviewed-by: Amp Team <team@example.com>',
  ])('no tool claims the human line %s', (line) => {
    const claimants = CATALOG.filter((t) =>
      (['message', 'author', 'committer'] as const).some((where) => commitMatches(t, line, where)),
    ).map((t) => t.id);
    expect(claimants).toEqual([]);
  });

  it('does not credit one tool with another tool’s trailer', () => {
    expect(commitMatches(tool('codex'), 'Co-Authored-By: Claude Opus 4 <noreply@anthropic.com>')).toBe(false);
    expect(commitMatches(tool('claude-code'), 'Co-authored-by: Codex <noreply@openai.com>')).toBe(false);
  });
});
