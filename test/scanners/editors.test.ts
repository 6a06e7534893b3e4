import { execFileSync } from 'node:child_process';
import { cp, mkdir, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureHost, createHost, type Host } from '../../src/host.js';
import {
  editorsScanner,
  orderPluginJars,
  parseExtensionFolderName,
  parsePluginXml,
  summarizeZedSetting,
} from '../../src/scanners/editors.js';
import { emptyProbes } from '../../src/scanners/probes.js';
import type { Probes } from '../../src/scanners/types.js';
import type { ExtensionObservation, ScanNote } from '../../src/types.js';
import { makeZip, pluginJar, pluginXml } from '../fixtures/editors/zip-writer.js';
import { makeSymlink, makeTempDir, makeTree, removeTempDirs, writeFile } from '../helpers/temp.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/editors/', import.meta.url));

afterAll(removeTempDirs);

interface Asked {
  vscode?: string[];
  jetbrains?: string[];
  vim?: string[];
  zed?: string[];
}

/** The probes the catalog would give, as the pipeline builds them (VS Code and Vim lower-cased, the rest as written). */
function probesFor(asked: Asked): Probes {
  return emptyProbes({
    vscodeExtensions: new Set((asked.vscode ?? []).map((id) => id.toLowerCase())),
    jetbrainsPlugins: new Set(asked.jetbrains ?? []),
    vimPlugins: new Set((asked.vim ?? []).map((id) => id.toLowerCase())),
    zedSettings: new Set(asked.zed ?? []),
  });
}

async function scan(host: Host, asked: Asked): Promise<{ observations: ExtensionObservation[]; notes: Array<Omit<ScanNote, 'scanner'>> }> {
  const notes: Array<Omit<ScanNote, 'scanner'>> = [];
  const observations = await editorsScanner.scan({ host, probes: probesFor(asked), signal: new AbortController().signal, note: (n) => notes.push(n) });
  return { observations: observations as ExtensionObservation[], notes };
}

/** A host that records every call (method and first argument) and the bytes it read. */
function recording(real: Host): { host: Host; calls: string[]; bytesRead: Map<string, number> } {
  const calls: string[] = [];
  const bytesRead = new Map<string, number>();
  const host = new Proxy(real, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        calls.push(`${String(property)} ${String(args[0])}`);
        const result: unknown = await (value as (...a: unknown[]) => unknown).apply(target, args);
        if (Buffer.isBuffer(result) || typeof result === 'string') {
          const path = String(args[0]);
          bytesRead.set(path, (bytesRead.get(path) ?? 0) + Buffer.byteLength(result));
        }
        return result;
      };
    },
  });
  return { host, calls, bytesRead };
}

function mkfifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

/** A sparse file of `size` bytes: no disk used, and reading it whole would take seconds. */
async function sparseFile(path: string, size: number): Promise<void> {
  await writeFile(path, '');
  await truncate(path, size);
}

const GIGABYTE = 1024 ** 3;

describe('parseExtensionFolderName', () => {
  it.each([
    ['github.copilot-chat-0.26.2025040204', { id: 'github.copilot-chat', version: '0.26.2025040204' }],
    ['anthropic.claude-code-2.0.1-linux-x64', { id: 'anthropic.claude-code', version: '2.0.1', platform: 'linux-x64' }],
    ['Anthropic.claude-code-2.0.1-darwin-arm64', { id: 'Anthropic.claude-code', version: '2.0.1', platform: 'darwin-arm64' }],
    ['ms-python.vscode-pylance-2025.4.1-win32-x64', { id: 'ms-python.vscode-pylance', version: '2025.4.1', platform: 'win32-x64' }],
    ['RooVeterinaryInc.roo-cline-3.17.2', { id: 'RooVeterinaryInc.roo-cline', version: '3.17.2' }],
    ['Alibaba-Cloud.tongyi-lingma-2.5.3', { id: 'Alibaba-Cloud.tongyi-lingma', version: '2.5.3' }],
    ['kilocode.Kilo-Code-4.40.0-alpine-arm64', { id: 'kilocode.Kilo-Code', version: '4.40.0', platform: 'alpine-arm64' }],
    ['qwenlm.qwen-code-vscode-ide-companion-0.0.5-web', { id: 'qwenlm.qwen-code-vscode-ide-companion', version: '0.0.5', platform: 'web' }],
    ['vscjava.vscode-java-pack-0.29.0-next.1', { id: 'vscjava.vscode-java-pack', version: '0.29.0-next.1' }],
    ['dotted.name.with.dots-1.0.0', { id: 'dotted.name.with.dots', version: '1.0.0' }],
    ['publisher.ext-2-1.2.3', { id: 'publisher.ext-2', version: '1.2.3' }],
    // Linked in by hand while developing: no version.
    ['anthropic.claude-code', { id: 'anthropic.claude-code' }],
  ])('%s', (name, expected) => {
    expect(parseExtensionFolderName(name)).toEqual(expected);
  });

  it.each(['node_modules', 'nopublisher-1.0.0', '.obsolete', 'has space.x-1.0.0', 'a/b.c-1.0.0'])('%s is no extension folder', (name) => {
    expect(parseExtensionFolderName(name)).toBeUndefined();
  });
});

describe('plugin.xml, jar order and Zed summaries', () => {
  it('reads the id and version of a plugin descriptor, falling back to its name', () => {
    expect(parsePluginXml(pluginXml('com.github.copilot', '1.5.30-231'))).toEqual({ id: 'com.github.copilot', version: '1.5.30-231' });
    expect(parsePluginXml(pluginXml(undefined, undefined, 'Legacy &amp; Odd'))).toEqual({ id: 'Legacy & Odd' });
    expect(parsePluginXml('<idea-plugin><id><![CDATA[ com.example.cdata ]]></id></idea-plugin>')).toEqual({ id: 'com.example.cdata' });
    expect(parsePluginXml('<idea-plugin><idea-version since-build="1"/></idea-plugin>')).toBeUndefined();
  });

  it('looks first into the jar named like the plugin folder', () => {
    expect(orderPluginJars('github-copilot-intellij', ['annotations.jar', 'core.jar', 'github-copilot-intellij-1.5.30.jar', 'copilot-agent.jar'])).toEqual([
      'github-copilot-intellij-1.5.30.jar',
      'annotations.jar',
      'copilot-agent.jar',
      'core.jar',
    ]);
    expect(orderPluginJars('ml-llm', ['kotlinx.jar', 'ml-llm-core.jar', 'ml-llm.jar'])).toEqual(['ml-llm-core.jar', 'ml-llm.jar', 'kotlinx.jar']);
  });

  it('summarises providers and models, never other values', () => {
    expect(summarizeZedSetting('agent', { default_model: { provider: 'anthropic', model: 'claude-sonnet-4' }, always_allow_tool_actions: true })).toBe(
      'default_model.provider anthropic, default_model.model claude-sonnet-4',
    );
    expect(summarizeZedSetting('language_models', { anthropic: { api_url: 'https://secret.example' }, ollama: {} })).toBe('providers anthropic, ollama');
    expect(summarizeZedSetting('assistant', { version: '2', button: true })).toBeUndefined();
  });
});

describe('editors scanner on a Linux home', () => {
  let home: string;
  let outside: string;

  beforeAll(async () => {
    const tmp = await makeTempDir();
    home = join(tmp, 'home');
    outside = join(tmp, 'opt');
    const vscode = join(home, '.vscode/extensions');
    await makeTree(home, {
      '.vscode/extensions/github.copilot-chat-0.26.2025040204/package.json': '{}',
      '.vscode/extensions/anthropic.claude-code-2.0.1-linux-x64/package.json': '{}',
      '.vscode/extensions/ms-python.python-2025.1.0/package.json': '{}',
      '.vscode/extensions/openai.chatgpt-1.0.0/package.json': '{}',
      '.vscode/extensions/Continue.continue-1.2.3/package.json': '{}',
      '.vscode/extensions/.obsolete': JSON.stringify({ 'openai.chatgpt-1.0.0': true }),
      // Remote server: no extensions.json; two versions of one extension side by side.
      '.vscode-server/extensions/github.copilot-1.99.0/package.json': '{}',
      '.vscode-server/extensions/github.copilot-1.300.0/package.json': '{}',
      '.vscode-server/extensions/rooveterinaryinc.roo-cline-3.0.0/package.json': '{}',
      '.vscode-server/extensions/kilocode.Kilo-Code-4.0.0-linux-arm64/package.json': '{}',
      '.cursor-server/extensions/anthropic.claude-code-1.0.0/package.json': '{}',
      '.cursor/extensions/google.gemini-cli-vscode-ide-companion-0.1.0/package.json': '{}',
      '.windsurf/extensions/codeium.codeium-1.0.0/package.json': '{}',
      '.trae/extensions': { symlink: 'extensions' },
      '.kiro/extensions/anthropic.claude-code-9.9.9': { symlink: 'anthropic.claude-code-9.9.9' },
      '.kiro/extensions/sourcegraph.amp-0.1.0': { symlink: 'nowhere' },
    });
    await makeTree(outside, { 'sourcegraph.amp-1.0.0/package.json': '{}' });
    await writeFile(
      join(vscode, 'extensions.json'),
      JSON.stringify([
        { identifier: { id: 'GitHub.copilot-chat' }, version: '0.26.2025040204', relativeLocation: 'github.copilot-chat-0.26.2025040204' },
        { identifier: { id: 'anthropic.claude-code' }, version: '2.0.1', relativeLocation: 'anthropic.claude-code-2.0.1-linux-x64', metadata: { targetPlatform: 'linux-x64' } },
        { identifier: { id: 'ms-python.python' }, version: '2025.1.0', relativeLocation: 'ms-python.python-2025.1.0' },
        // Uninstalled: listed in .obsolete, deleted at the next start.
        { identifier: { id: 'openai.chatgpt' }, version: '1.0.0', relativeLocation: 'openai.chatgpt-1.0.0' },
        // Left behind without its folder.
        { identifier: { id: 'saoudrizwan.claude-dev' }, version: '3.0.0', relativeLocation: 'saoudrizwan.claude-dev-3.0.0' },
        // Installed from a folder elsewhere (an absolute location, no relativeLocation).
        { identifier: { id: 'sourcegraph.amp' }, version: '1.0.0', location: { $mid: 1, path: join(outside, 'sourcegraph.amp-1.0.0'), scheme: 'file' } },
        { identifier: {} },
        'junk',
      ]),
    );
    // Named like what a probe asks for, but FIFOs: never opened, never reported.
    mkfifo(join(home, '.cursor/extensions/extensions.json'));
    mkfifo(join(home, '.cursor/extensions/github.copilot-1.0.0'));
    // A 1 GB extensions.json is not read.
    await sparseFile(join(home, '.windsurf/extensions/extensions.json'), GIGABYTE);

    // JetBrains (Linux: plugins directly in the product's data folder).
    const idea = join(home, '.local/share/JetBrains/IntelliJIdea2025.2');
    await writeFile(join(idea, 'github-copilot-intellij/lib/core.jar'), makeZip([{ name: 'com/github/Core.class', data: 'x' }]));
    await writeFile(join(idea, 'github-copilot-intellij/lib/github-copilot-intellij-1.5.30.jar'), pluginJar('com.github.copilot', '1.5.30-231', 'deflated'));
    await writeFile(join(idea, 'ml-llm/lib/ml-llm.jar'), pluginJar('com.intellij.ml.llm', '252.1', 'stored'));
    await writeFile(join(idea, 'some-other/lib/some-other.jar'), pluginJar('com.example.other', '1.0'));
    await writeFile(join(idea, 'TabNine.jar'), pluginJar('com.tabnine.TabNine', '1.200'));
    await writeFile(join(idea, 'broken/lib/broken.jar'), pluginJar('com.github.copilot', '1').subarray(0, 500));
    await sparseFile(join(idea, 'huge/lib/huge.jar'), GIGABYTE);
    await mkdir(join(idea, 'fifo/lib'), { recursive: true });
    mkfifo(join(idea, 'fifo/lib/fifo.jar'));
    mkfifo(join(idea, 'fifo.jar'));
    await makeSymlink(join(idea, 'loop'), 'loop');
    await cp(join(FIXTURES, 'jars/jar-tool-plugin.jar'), join(home, '.local/share/JetBrains/PyCharm2024.3/jartool/lib/jartool.jar'));
    await writeFile(join(home, '.local/share/Google/AndroidStudio2024.3/gemini/lib/gemini.jar'), pluginJar('com.google.tools.ij.aiplugin', '1.0'));
    // Not product folders.
    await writeFile(join(home, '.local/share/JetBrains/Toolbox/plugin/lib/plugin.jar'), pluginJar('com.github.copilot', '0'));
    await writeFile(join(home, '.local/share/JetBrains/consentOptions/accepted'), '');
    // Pre-2020 layout and the old Toolbox layout.
    await writeFile(join(home, '.IntelliJIdea2019.3/config/plugins/copilot/lib/copilot.jar'), pluginJar('com.github.copilot', '1.0.0'));
    await writeFile(join(home, '.local/share/JetBrains/Toolbox/apps/IDEA-U/ch-0/233.11799.241.plugins/ml-llm/lib/ml-llm.jar'), pluginJar('com.intellij.ml.llm', '233'));

    // Vim and Neovim.
    await makeTree(home, {
      '.local/share/nvim/lazy/copilot.lua/lua/copilot.lua': '',
      '.local/share/nvim/lazy/avante.nvim/lua/avante.lua': '',
      '.local/share/nvim/lazy/plenary.nvim/lua/plenary.lua': '',
      '.local/share/nvim/site/pack/packer/start/CopilotChat.nvim/README.md': '',
      '.local/share/nvim/site/pack/packer/opt/codecompanion.nvim/README.md': '',
      '.config/nvim/pack/mine/start/sg.nvim/README.md': '',
      '.vim/pack/plugins/start/copilot.vim/plugin/copilot.vim': '',
      '.vim/plugged/tabnine-vim/README.md': '',
      '.vim/bundle/copilot.vim': 'a file, not a plugin folder',
    });
    mkfifo(join(home, '.vim/plugged/codeium.vim'));

    // Zed.
    await writeFile(
      join(home, '.config/zed/settings.json'),
      [
        '// Zed settings',
        '{',
        '  "theme": "One Dark",',
        '  /* the agent panel */',
        '  "agent": {',
        '    "default_model": { "provider": "anthropic", "model": "claude-sonnet-4", }, // trailing comma',
        '    "inline_assistant_model": { "provider": "ollama", "model": "qwen2.5-coder" },',
        '  },',
        '  "language_models": {',
        '    "ollama": { "api_url": "http://localhost:11434" },',
        '    "anthropic": {},',
        '  },',
        '  "assistant": { "enabled": false },',
        '}',
      ].join('\n'),
    );
  });

  const host = () => createHost({ env: { HOME: home } });

  it('reads extensions.json where present and folder names where not, across editors and remote servers', async () => {
    const { observations, notes } = await scan(host(), {
      vscode: [
        'GitHub.copilot',
        'GitHub.copilot-chat',
        'anthropic.claude-code',
        'openai.chatgpt',
        'saoudrizwan.claude-dev',
        'Continue.continue',
        'RooVeterinaryInc.roo-cline',
        'kilocode.Kilo-Code',
        'sourcegraph.amp',
        'google.gemini-cli-vscode-ide-companion',
        'Codeium.codeium',
      ],
    });
    const vscode = join(home, '.vscode/extensions');
    expect(observations).toEqual([
      { kind: 'extension', family: 'vscode', editor: 'VS Code', id: 'anthropic.claude-code', version: '2.0.1', path: `${vscode}/anthropic.claude-code-2.0.1-linux-x64` },
      { kind: 'extension', family: 'vscode', editor: 'VS Code', id: 'Continue.continue', version: '1.2.3', path: `${vscode}/Continue.continue-1.2.3` },
      { kind: 'extension', family: 'vscode', editor: 'VS Code', id: 'GitHub.copilot-chat', version: '0.26.2025040204', path: `${vscode}/github.copilot-chat-0.26.2025040204` },
      { kind: 'extension', family: 'vscode', editor: 'VS Code', id: 'sourcegraph.amp', version: '1.0.0', path: join(outside, 'sourcegraph.amp-1.0.0') },
      { kind: 'extension', family: 'vscode', editor: 'Cursor', id: 'google.gemini-cli-vscode-ide-companion', version: '0.1.0', path: join(home, '.cursor/extensions/google.gemini-cli-vscode-ide-companion-0.1.0') },
      { kind: 'extension', family: 'vscode', editor: 'Windsurf', id: 'codeium.codeium', version: '1.0.0', path: join(home, '.windsurf/extensions/codeium.codeium-1.0.0') },
      { kind: 'extension', family: 'vscode', editor: 'VS Code Server', id: 'github.copilot', version: '1.300.0', path: join(home, '.vscode-server/extensions/github.copilot-1.300.0') },
      { kind: 'extension', family: 'vscode', editor: 'VS Code Server', id: 'kilocode.Kilo-Code', version: '4.0.0', path: join(home, '.vscode-server/extensions/kilocode.Kilo-Code-4.0.0-linux-arm64') },
      { kind: 'extension', family: 'vscode', editor: 'VS Code Server', id: 'rooveterinaryinc.roo-cline', version: '3.0.0', path: join(home, '.vscode-server/extensions/rooveterinaryinc.roo-cline-3.0.0') },
      { kind: 'extension', family: 'vscode', editor: 'Cursor Server', id: 'anthropic.claude-code', version: '1.0.0', path: join(home, '.cursor-server/extensions/anthropic.claude-code-1.0.0') },
    ]);
    expect(notes).toEqual(
      expect.arrayContaining([
        { path: join(home, '.cursor/extensions/extensions.json'), message: 'extensions.json is not a regular file (fifo)' },
        { path: join(home, '.windsurf/extensions/extensions.json'), message: `extensions.json over ${8 * 1024 * 1024} bytes, not read` },
        { path: join(home, '.trae/extensions'), message: 'symlink loop' },
        { path: join(home, '.kiro/extensions/anthropic.claude-code-9.9.9'), message: 'symlink loop' },
        { path: join(home, '.kiro/extensions/sourcegraph.amp-0.1.0'), message: 'broken symlink (ENOENT)' },
      ]),
    );
    expect(notes).toHaveLength(5);
  });

  it('reports only the ids the probes ask for, and reads nothing when none are asked', async () => {
    const { observations } = await scan(host(), { vscode: ['ms-python.python'] });
    expect(observations.map((o) => o.id)).toEqual(['ms-python.python']);

    const { host: recorded, calls } = recording(host());
    expect((await scan(recorded, {})).observations).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('never reads a 1 GB extensions.json and never opens a FIFO', async () => {
    const { host: recorded, calls } = recording(host());
    await scan(recorded, { vscode: ['GitHub.copilot', 'Codeium.codeium'] });
    const reads = calls.filter((call) => call.startsWith('readTextFile') || call.startsWith('readFileBytes'));
    expect(reads).toEqual([`readTextFile ${home}/.vscode/extensions/extensions.json`, `readTextFile ${home}/.vscode/extensions/.obsolete`]);
  });

  it('reads JetBrains plugin ids from jars (stored and deflated), in every product folder and older layouts', async () => {
    const { observations, notes } = await scan(host(), {
      jetbrains: ['com.github.copilot', 'com.intellij.ml.llm', 'com.tabnine.TabNine', 'com.example.jartool', 'com.google.tools.ij.aiplugin'],
    });
    const idea = join(home, '.local/share/JetBrains/IntelliJIdea2025.2');
    expect(observations).toEqual(
      expect.arrayContaining([
        { kind: 'extension', family: 'jetbrains', editor: 'IntelliJIdea2025.2', id: 'com.github.copilot', version: '1.5.30-231', path: `${idea}/github-copilot-intellij` },
        { kind: 'extension', family: 'jetbrains', editor: 'IntelliJIdea2025.2', id: 'com.intellij.ml.llm', version: '252.1', path: `${idea}/ml-llm` },
        { kind: 'extension', family: 'jetbrains', editor: 'IntelliJIdea2025.2', id: 'com.tabnine.TabNine', version: '1.200', path: `${idea}/TabNine.jar` },
        { kind: 'extension', family: 'jetbrains', editor: 'PyCharm2024.3', id: 'com.example.jartool', version: '3.1.4', path: join(home, '.local/share/JetBrains/PyCharm2024.3/jartool') },
        { kind: 'extension', family: 'jetbrains', editor: 'AndroidStudio2024.3', id: 'com.google.tools.ij.aiplugin', version: '1.0', path: join(home, '.local/share/Google/AndroidStudio2024.3/gemini') },
        { kind: 'extension', family: 'jetbrains', editor: 'IntelliJIdea2019.3', id: 'com.github.copilot', version: '1.0.0', path: join(home, '.IntelliJIdea2019.3/config/plugins/copilot') },
        { kind: 'extension', family: 'jetbrains', editor: 'IDEA-U 233.11799.241', id: 'com.intellij.ml.llm', version: '233', path: join(home, '.local/share/JetBrains/Toolbox/apps/IDEA-U/ch-0/233.11799.241.plugins/ml-llm') },
      ]),
    );
    expect(observations).toHaveLength(7);
    expect(notes).toEqual(
      expect.arrayContaining([
        { path: `${idea}/broken/lib/broken.jar`, message: 'plugin jar unreadable (no end of central directory record)' },
        { path: `${idea}/huge/lib/huge.jar`, message: 'plugin jar unreadable (no end of central directory record)' },
        { path: `${idea}/loop`, message: 'symlink loop' },
      ]),
    );
    expect(notes).toHaveLength(3);
  });

  it('reads a few kilobytes of each jar: the tail of a 1 GB one, and one jar per plugin', async () => {
    const { host: recorded, calls, bytesRead } = recording(host());
    await scan(recorded, { jetbrains: ['com.github.copilot'] });
    const idea = `${home}/.local/share/JetBrains/IntelliJIdea2025.2`;
    expect(bytesRead.get(`${idea}/huge/lib/huge.jar`)).toBe(22 + 0xffff);
    expect(calls.filter((call) => call.includes('/fifo')).every((call) => !call.startsWith('readFileBytes'))).toBe(true);
    // plugin.xml is in the jar named like the folder: core.jar is never opened.
    expect(calls.some((call) => call.includes('core.jar'))).toBe(false);
    for (const [path, bytes] of bytesRead) expect(bytes, path).toBeLessThan(70_000);
  });

  it('finds Vim and Neovim plugins in the plugin managers folders', async () => {
    const { observations, notes } = await scan(host(), {
      vim: ['copilot.vim', 'copilot.lua', 'CopilotChat.nvim', 'avante.nvim', 'codecompanion.nvim', 'sg.nvim', 'tabnine-vim', 'codeium.vim'],
    });
    const nvim = join(home, '.local/share/nvim');
    expect(observations).toEqual(
      expect.arrayContaining([
        { kind: 'extension', family: 'vim', editor: 'Neovim', id: 'copilot.lua', path: `${nvim}/lazy/copilot.lua` },
        { kind: 'extension', family: 'vim', editor: 'Neovim', id: 'avante.nvim', path: `${nvim}/lazy/avante.nvim` },
        { kind: 'extension', family: 'vim', editor: 'Neovim', id: 'CopilotChat.nvim', path: `${nvim}/site/pack/packer/start/CopilotChat.nvim` },
        { kind: 'extension', family: 'vim', editor: 'Neovim', id: 'codecompanion.nvim', path: `${nvim}/site/pack/packer/opt/codecompanion.nvim` },
        { kind: 'extension', family: 'vim', editor: 'Neovim', id: 'sg.nvim', path: join(home, '.config/nvim/pack/mine/start/sg.nvim') },
        { kind: 'extension', family: 'vim', editor: 'Vim', id: 'copilot.vim', path: join(home, '.vim/pack/plugins/start/copilot.vim') },
        { kind: 'extension', family: 'vim', editor: 'Vim', id: 'tabnine-vim', path: join(home, '.vim/plugged/tabnine-vim') },
      ]),
    );
    // plenary.nvim is not asked for; the copilot.vim file and the codeium.vim FIFO are no plugin folders.
    expect(observations).toHaveLength(7);
    expect(notes).toEqual([]);
  });

  it('reports the AI keys of Zed settings with comments and trailing commas, and what they configure', async () => {
    const { observations, notes } = await scan(host(), { zed: ['agent', 'assistant', 'language_models', 'edit_predictions'] });
    const path = join(home, '.config/zed/settings.json');
    expect(observations).toEqual([
      {
        kind: 'extension',
        family: 'zed',
        editor: 'Zed',
        id: 'settings:agent',
        path,
        detail: 'default_model.provider anthropic, default_model.model claude-sonnet-4, inline_assistant_model.provider ollama, inline_assistant_model.model qwen2.5-coder',
      },
      { kind: 'extension', family: 'zed', editor: 'Zed', id: 'settings:language_models', path, detail: 'providers ollama, anthropic' },
    ]);
    expect(notes).toEqual([{ path, message: 'Zed setting assistant is turned off (enabled: false); not reported' }]);
  });

  it('reports no Zed setting when AI is turned off, and notes settings it cannot parse', async () => {
    const tmp = await makeTempDir();
    await writeFile(join(tmp, 'off/.config/zed/settings.json'), '{ "disable_ai": true, "agent": { "default_model": { "provider": "anthropic" } } }');
    await writeFile(join(tmp, 'bad/.config/zed/settings.json'), '{ "agent": ');
    const off = await scan(createHost({ env: { HOME: join(tmp, 'off') } }), { zed: ['agent'] });
    expect(off.observations).toEqual([]);
    expect(off.notes).toEqual([{ path: join(tmp, 'off/.config/zed/settings.json'), message: 'Zed AI is turned off (disable_ai); its settings are not reported' }]);
    const bad = await scan(createHost({ env: { HOME: join(tmp, 'bad') } }), { zed: ['agent'] });
    expect(bad.observations).toEqual([]);
    expect(bad.notes).toEqual([{ path: join(tmp, 'bad/.config/zed/settings.json'), message: 'Zed settings are not valid JSON' }]);
  });

  it('follows XDG_DATA_HOME and XDG_CONFIG_HOME', async () => {
    const tmp = await makeTempDir();
    await writeFile(join(tmp, 'data/JetBrains/GoLand2025.1/copilot/lib/copilot.jar'), pluginJar('com.github.copilot', '2'));
    await writeFile(join(tmp, 'data/nvim/lazy/copilot.lua/init.lua'), '');
    await writeFile(join(tmp, 'config/zed/settings.json'), '{ "agent": {} }');
    const xdg = createHost({ env: { HOME: join(tmp, 'home'), XDG_DATA_HOME: join(tmp, 'data'), XDG_CONFIG_HOME: join(tmp, 'config') } });
    const { observations } = await scan(xdg, { jetbrains: ['com.github.copilot'], vim: ['copilot.lua'], zed: ['agent'] });
    expect(observations.map((o) => [o.editor, o.id, o.path])).toEqual([
      ['GoLand2025.1', 'com.github.copilot', join(tmp, 'data/JetBrains/GoLand2025.1/copilot')],
      ['Neovim', 'copilot.lua', join(tmp, 'data/nvim/lazy/copilot.lua')],
      ['Zed', 'settings:agent', join(tmp, 'config/zed/settings.json')],
    ]);
  });

  it('lists 2,000 extensions with one listing and one manifest read, and reports only the one asked for', async () => {
    const tmp = await makeTempDir();
    const folder = join(tmp, '.vscode/extensions');
    const manifest = [];
    for (let i = 0; i < 2000; i++) {
      const name = `publisher${i}.extension-${i}-1.0.${i}`;
      await mkdir(join(folder, name), { recursive: true });
      manifest.push({ identifier: { id: `publisher${i}.extension-${i}` }, version: `1.0.${i}`, relativeLocation: name });
    }
    await mkdir(join(folder, 'anthropic.claude-code-2.0.1-linux-x64'));
    manifest.push({ identifier: { id: 'anthropic.claude-code' }, version: '2.0.1', relativeLocation: 'anthropic.claude-code-2.0.1-linux-x64' });
    await writeFile(join(folder, 'extensions.json'), JSON.stringify(manifest));
    // A second editor without a manifest: folder names only.
    for (let i = 0; i < 2000; i++) await mkdir(join(tmp, '.cursor/extensions', `publisher${i}.extension-${i}-1.0.${i}`), { recursive: true });

    const { host: recorded, calls } = recording(createHost({ env: { HOME: tmp } }));
    const { observations } = await scan(recorded, { vscode: ['anthropic.claude-code', 'publisher1999.missing'] });
    expect(observations).toEqual([
      { kind: 'extension', family: 'vscode', editor: 'VS Code', id: 'anthropic.claude-code', version: '2.0.1', path: `${folder}/anthropic.claude-code-2.0.1-linux-x64` },
    ]);
    expect(calls.filter((call) => call.includes(folder))).toEqual([`readdir ${folder}`, `stat ${folder}/extensions.json`, `readTextFile ${folder}/extensions.json`]);
    expect(calls.filter((call) => call.includes('/.cursor/'))).toEqual([`readdir ${tmp}/.cursor/extensions`]);
  });
});

describe('editors scanner on fixture layouts', () => {
  it('macOS: ~/.vscode, ~/.cursor, ~/Library/Application Support/JetBrains and Google, ~/.config/zed, XDG Neovim', async () => {
    const root = await makeTempDir();
    await cp(join(FIXTURES, 'macos'), root, { recursive: true });
    const support = join(root, 'Users/ada/Library/Application Support');
    await writeFile(join(support, 'JetBrains/WebStorm2025.1/plugins/claude-code-jetbrains-plugin/lib/claude-code-jetbrains-plugin-0.1.12.jar'), pluginJar('com.anthropic.code.plugin', '0.1.12', 'stored'));
    await writeFile(join(support, 'Google/AndroidStudio2024.3/plugins/github-copilot-intellij/lib/github-copilot-intellij-1.5.jar'), pluginJar('com.github.copilot', '1.5'));
    // The pre-2020 macOS layout: plugins directly in the product folder.
    await writeFile(join(support, 'PyCharm2019.3/continue/lib/continue.jar'), pluginJar('com.github.continuedev.continueintellijextension', '0.9'));
    const host = createFixtureHost({ os: 'macos', root, home: '/Users/ada' });

    const { observations, notes } = await scan(host, {
      vscode: ['GitHub.copilot', 'anthropic.claude-code'],
      jetbrains: ['com.anthropic.code.plugin', 'com.github.copilot', 'com.github.continuedev.continueintellijextension'],
      vim: ['copilot.vim'],
      zed: ['agent'],
    });
    const appSupport = '/Users/ada/Library/Application Support';
    expect(observations).toEqual([
      { kind: 'extension', family: 'vscode', editor: 'VS Code', id: 'github.copilot', version: '1.372.0', path: '/Users/ada/.vscode/extensions/github.copilot-1.372.0' },
      { kind: 'extension', family: 'vscode', editor: 'Cursor', id: 'Anthropic.claude-code', version: '2.0.1', path: '/Users/ada/.cursor/extensions/Anthropic.claude-code-2.0.1-darwin-arm64' },
      { kind: 'extension', family: 'jetbrains', editor: 'WebStorm2025.1', id: 'com.anthropic.code.plugin', version: '0.1.12', path: `${appSupport}/JetBrains/WebStorm2025.1/plugins/claude-code-jetbrains-plugin` },
      { kind: 'extension', family: 'jetbrains', editor: 'AndroidStudio2024.3', id: 'com.github.copilot', version: '1.5', path: `${appSupport}/Google/AndroidStudio2024.3/plugins/github-copilot-intellij` },
      { kind: 'extension', family: 'jetbrains', editor: 'PyCharm2019.3', id: 'com.github.continuedev.continueintellijextension', version: '0.9', path: `${appSupport}/PyCharm2019.3/continue` },
      { kind: 'extension', family: 'vim', editor: 'Neovim', id: 'copilot.vim', path: '/Users/ada/.local/share/nvim/lazy/copilot.vim' },
      { kind: 'extension', family: 'zed', editor: 'Zed', id: 'settings:agent', path: '/Users/ada/.config/zed/settings.json', detail: 'default_model.provider zed.dev, default_model.model claude-sonnet-4' },
    ]);
    expect(notes).toEqual([]);
  });

  it('Windows: %USERPROFILE%/.vscode with URI locations, %APPDATA%/JetBrains, %APPDATA%/Zed, nvim-data and vimfiles', async () => {
    const root = await makeTempDir();
    await cp(join(FIXTURES, 'windows'), root, { recursive: true });
    const roaming = join(root, 'C/Users/ada/AppData/Roaming');
    await writeFile(join(roaming, 'JetBrains/IntelliJIdea2025.2/plugins/github-copilot-intellij/lib/github-copilot-intellij-1.5.jar'), pluginJar('com.github.copilot', '1.5', 'deflated'));
    await writeFile(join(roaming, 'JetBrains/IntelliJIdea2025.2/plugins/ml-llm/lib/ml-llm.jar'), pluginJar('com.intellij.ml.llm', '252', 'stored'));
    // Broken jars are noted and do not stop the others.
    await writeFile(join(roaming, 'JetBrains/IntelliJIdea2025.2/plugins/bad/lib/bad.jar'), Buffer.from('PK\x03\x04 starts like a zip, but no end record follows'));
    const host = createFixtureHost({
      os: 'windows',
      root,
      home: 'C:\\Users\\ada',
      env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' },
    });

    const { observations, notes } = await scan(host, {
      vscode: ['saoudrizwan.claude-dev', 'GitHub.copilot-chat'],
      jetbrains: ['com.github.copilot', 'com.intellij.ml.llm'],
      vim: ['avante.nvim', 'copilot.vim'],
      zed: ['agent', 'language_models'],
    });
    const plugins = 'C:/Users/ada/AppData/Roaming/JetBrains/IntelliJIdea2025.2/plugins';
    expect(observations).toEqual([
      { kind: 'extension', family: 'vscode', editor: 'VS Code', id: 'GitHub.copilot-chat', version: '0.26.2025040204', path: 'C:/Users/ada/.vscode/extensions/github.copilot-chat-0.26.2025040204' },
      { kind: 'extension', family: 'vscode', editor: 'VS Code', id: 'saoudrizwan.claude-dev', version: '3.20.0', path: 'C:/Users/ada/.vscode/extensions/saoudrizwan.claude-dev-3.20.0' },
      { kind: 'extension', family: 'jetbrains', editor: 'IntelliJIdea2025.2', id: 'com.github.copilot', version: '1.5', path: `${plugins}/github-copilot-intellij` },
      { kind: 'extension', family: 'jetbrains', editor: 'IntelliJIdea2025.2', id: 'com.intellij.ml.llm', version: '252', path: `${plugins}/ml-llm` },
      { kind: 'extension', family: 'vim', editor: 'Neovim', id: 'avante.nvim', path: 'C:/Users/ada/AppData/Local/nvim-data/lazy/avante.nvim' },
      { kind: 'extension', family: 'vim', editor: 'Vim', id: 'copilot.vim', path: 'C:/Users/ada/vimfiles/pack/github/start/copilot.vim' },
      { kind: 'extension', family: 'zed', editor: 'Zed', id: 'settings:agent', path: 'C:/Users/ada/AppData/Roaming/Zed/settings.json', detail: 'default_model.provider ollama, default_model.model qwen2.5-coder' },
      { kind: 'extension', family: 'zed', editor: 'Zed', id: 'settings:language_models', path: 'C:/Users/ada/AppData/Roaming/Zed/settings.json', detail: 'providers ollama, lmstudio' },
    ]);
    expect(notes).toEqual([{ path: `${plugins}/bad/lib/bad.jar`, message: 'plugin jar unreadable (no end of central directory record)' }]);
  });
});

describe('editors scanner budget', () => {
  it('stops when its signal is aborted', async () => {
    const tmp = await makeTempDir();
    for (let i = 0; i < 40; i++) await writeFile(join(tmp, `.local/share/JetBrains/IntelliJIdea2025.2/p${i}/lib/p${i}.jar`), pluginJar(`com.example.p${i}`, '1'));
    const controller = new AbortController();
    controller.abort(new Error('timed out'));
    const run = editorsScanner.scan({ host: createHost({ env: { HOME: tmp } }), probes: probesFor({ jetbrains: ['com.example.p1'] }), signal: controller.signal, note: () => undefined });
    await expect(run).rejects.toThrow('timed out');
  });
});
