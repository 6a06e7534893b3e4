/**
 * The entries added for catalog breadth (Antigravity, AI Shell, OpenClaw and its predecessors,
 * Open Interpreter, LocalAI, text-generation-webui, GPT-Engineer, ChatGPT desktop, Jan, Microsoft
 * Copilot, Hermes Agent, Claude Desktop's Cowork), run through the real scanners and matcher:
 * fixture trees for the macOS and Windows layouts (the same code path with another root), a real
 * temp HOME and PATH on Linux, a real process, and look-alikes that must give nothing.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CATALOG } from '../src/catalog/index.js';
import { createFixtureHost, createHost, type Host } from '../src/host.js';
import { compileCatalog, match } from '../src/match/index.js';
import { ALL_SCANNERS, runScanners } from '../src/scanners/index.js';
import type { Detection } from '../src/types.js';
import { killSpawned, spawnLongRunning } from './helpers/processes.js';
import { makeTempDir, makeTree, removeTempDirs, type TreeNode } from './helpers/temp.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/catalog/', import.meta.url));

const NEW_TOOLS = new Set([
  'antigravity', 'chatgpt-desktop', 'claude-desktop', 'gpt-engineer', 'hermes-agent', 'jan', 'localai',
  'microsoft-ai-shell', 'microsoft-copilot', 'open-interpreter', 'openclaw', 'text-generation-webui',
  'blackbox', 'codegpt', 'sourcery', 'supermaven',
]);

afterEach(killSpawned);
afterAll(removeTempDirs);

type ScannerName = import('../src/types.js').ScannerName;

async function detect(host: Host, scanners: ScannerName[]): Promise<Detection[]> {
  const catalog = compileCatalog(CATALOG, { os: host.os, home: host.home, env: host.env });
  const scan = await runScanners(ALL_SCANNERS, { host, probes: catalog.probes }, scanners);
  return match(scan.observations, catalog);
}

/** `tool kind confidence path` for the tools this file is about, sorted. */
function rows(detections: Detection[], home = ''): string[] {
  return detections
    .filter((d) => NEW_TOOLS.has(d.tool))
    .map((d) => `${d.tool} ${d.kind} ${d.confidence} ${home ? (d.evidence.path ?? '').replace(home, '~') : d.evidence.path ?? ''}`)
    .sort();
}

const executable: TreeNode = { content: '#!/bin/sh\nexit 0\n', mode: 0o755 };

describe('new catalog entries on a macOS layout', () => {
  const host = createFixtureHost({ os: 'macos', root: join(FIXTURES, 'macos'), home: '/Users/ada' });

  it('finds the apps by bundle id, the home folders, Cowork sessions and the new MCP configs', async () => {
    expect(rows(await detect(host, ['apps', 'traces', 'configs']))).toEqual([
      'antigravity app confirmed /Applications/Antigravity IDE.app',
      'antigravity app confirmed /Applications/Antigravity.app',
      'antigravity mcp-server confirmed /Users/ada/.gemini/antigravity/mcp_config.json',
      'antigravity trace confirmed /Users/ada/.antigravity',
      'antigravity trace confirmed /Users/ada/.gemini/antigravity',
      'chatgpt-desktop app confirmed /Applications/ChatGPT.app',
      'claude-desktop mcp-server confirmed /Users/ada/Library/Application Support/Claude-3p/claude_desktop_config.json',
      'claude-desktop trace confirmed /Users/ada/Library/Application Support/Claude',
      'claude-desktop trace confirmed /Users/ada/Library/Application Support/Claude-3p',
      'claude-desktop trace confirmed /Users/ada/Library/Application Support/Claude/local-agent-mode-sessions',
      'jan app confirmed /Applications/Jan.app',
      'jan trace confirmed /Users/ada/Library/Application Support/Jan',
      // Only the bundle whose id is Microsoft's: ~/Applications/Copilot.app (Copilot Money) is not it.
      'microsoft-copilot app confirmed /Applications/Copilot.app',
      'microsoft-copilot trace confirmed /Users/ada/Library/Containers/com.microsoft.copilot-mac',
      'open-interpreter trace confirmed /Users/ada/Library/Application Support/open-interpreter',
      'openclaw trace confirmed /Users/ada/.clawdbot',
      'openclaw trace confirmed /Users/ada/.openclaw',
    ]);
  });
});

describe('new catalog entries on a Windows layout', () => {
  const host = createFixtureHost({
    os: 'windows',
    root: join(FIXTURES, 'windows'),
    home: 'C:/Users/ada',
    env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local', USERPROFILE: 'C:\\Users\\ada' },
  });

  it('finds the Programs folders, the Store package data, Cowork sessions and the new MCP configs', async () => {
    expect(rows(await detect(host, ['apps', 'traces', 'configs']))).toEqual([
      'antigravity app confirmed C:/Users/ada/AppData/Local/Programs/Antigravity',
      'antigravity mcp-server confirmed C:/Users/ada/.gemini/antigravity/mcp_config.json',
      'antigravity trace confirmed C:/Users/ada/.gemini/antigravity',
      'claude-desktop mcp-server confirmed C:/Users/ada/AppData/Roaming/Claude-3p/claude_desktop_config.json',
      'claude-desktop trace confirmed C:/Users/ada/AppData/Roaming/Claude',
      'claude-desktop trace confirmed C:/Users/ada/AppData/Roaming/Claude-3p',
      'claude-desktop trace confirmed C:/Users/ada/AppData/Roaming/Claude/local-agent-mode-sessions',
      'microsoft-ai-shell app confirmed C:/Users/ada/AppData/Local/Programs/AIShell',
      'microsoft-ai-shell trace confirmed C:/Users/ada/.aish',
      'microsoft-copilot trace confirmed C:/Users/ada/AppData/Local/Packages/Microsoft.Copilot_8wekyb3d8bbwe',
      'openclaw trace confirmed C:/Users/ada/.openclaw',
    ]);
  });
});

describe('new catalog entries in a real Linux home', () => {
  it('finds home folders, the Antigravity MCP config and executables, proving ambiguous names by their install path', async () => {
    const home = await makeTempDir();
    await makeTree(home, {
      '.openclaw/openclaw.json': '{}',
      '.moltbot/state.json': '{}',
      '.gpt-engineer/config': '',
      '.hermes/hermes-agent/venv/bin/hermes': executable,
      '.local/bin/hermes': { symlink: join(home, '.hermes/hermes-agent/venv/bin/hermes') },
      '.gemini/antigravity/mcp_config.json': '{"mcpServers":{"docs":{"command":"npx","args":["-y","docs-mcp"]}}}',
      '.config/open-interpreter/config.yaml': '',
      '.local/pipx/venvs/open-interpreter/bin/interpreter': executable,
      'bin/interpreter': { symlink: join(home, '.local/pipx/venvs/open-interpreter/bin/interpreter') },
      'bin/local-ai': executable,
      'bin/agy': executable,
      'bin/openclaw': executable,
    });
    const host = createHost({ env: { HOME: home, PATH: `${join(home, 'bin')}:${join(home, '.local/bin')}` } });
    expect(rows(await detect(host, ['traces', 'configs', 'path']), home)).toEqual([
      'antigravity executable name-only ~/bin/agy',
      'antigravity mcp-server confirmed ~/.gemini/antigravity/mcp_config.json',
      'antigravity trace confirmed ~/.gemini/antigravity',
      'gpt-engineer trace confirmed ~/.gpt-engineer',
      // `hermes` and `interpreter` are ambiguous names: their install folders confirm them.
      'hermes-agent executable confirmed ~/.local/bin/hermes',
      'hermes-agent trace confirmed ~/.hermes',
      'localai executable name-only ~/bin/local-ai',
      'open-interpreter executable confirmed ~/bin/interpreter',
      'open-interpreter trace confirmed ~/.config/open-interpreter',
      'openclaw executable name-only ~/bin/openclaw',
      'openclaw trace confirmed ~/.moltbot',
      'openclaw trace confirmed ~/.openclaw',
    ]);
  });

  it('finds the AI extensions peers list in a VS Code extensions folder, and not an unrelated one', async () => {
    const home = await makeTempDir();
    const extension = (publisher: string, name: string, version: string) => ({
      [`.vscode/extensions/${publisher}.${name}-${version}/package.json`]: JSON.stringify({ publisher, name, version }),
    });
    await makeTree(home, {
      ...extension('supermaven', 'supermaven', '1.1.5'),
      ...extension('blackboxapp', 'blackbox', '2.9.0'),
      ...extension('DanielSanMedium', 'dscodegpt', '3.14.0'),
      ...extension('sourcery', 'sourcery', '1.37.0'),
      ...extension('esbenp', 'prettier-vscode', '11.0.0'),
    });
    const host = createHost({ env: { HOME: home, PATH: '' } });
    expect((await detect(host, ['editors'])).filter((d) => NEW_TOOLS.has(d.tool)).map((d) => `${d.tool} ${d.kind} ${d.confidence}`).sort()).toEqual([
      'blackbox extension confirmed',
      'codegpt extension confirmed',
      'sourcery extension confirmed',
      'supermaven extension confirmed',
    ]);
  });

  it('gives nothing for unrelated programs named interpreter, i, wtf, ai, aish, hermes, textgen or ge', async () => {
    const home = await makeTempDir();
    const tree: Record<string, TreeNode> = {};
    for (const name of ['interpreter', 'i', 'wtf', 'ai', 'aish', 'hermes', 'textgen', 'ge']) tree[`bin/${name}`] = executable;
    // An unrelated virtualenv's `interpreter` and a Homebrew-style `hermes` elsewhere are not the agents either.
    tree['.local/pipx/venvs/some-tool/bin/interpreter'] = executable;
    tree['opt/bin/hermes'] = executable;
    await makeTree(home, tree);
    const host = createHost({ env: { HOME: home, PATH: `${join(home, 'bin')}:${join(home, 'opt/bin')}:${join(home, '.local/pipx/venvs/some-tool/bin')}` } });
    expect(rows(await detect(host, ['traces', 'configs', 'path']), home)).toEqual([]);
  });
});

describe('text-generation-webui as a running process', () => {
  async function processRows(scriptPath: string): Promise<string[]> {
    const child = await spawnLongRunning(process.execPath, ['-e', 'setInterval(() => {}, 1000)', scriptPath]);
    const detections = await detect(createHost({ env: { ...process.env } }), ['processes']);
    return detections.filter((d) => d.evidence.pid === child.pid).map((d) => `${d.tool} ${d.kind} ${d.confidence}`);
  }

  it('is recognised by the checkout entry point on its command line', async () => {
    const root = await makeTempDir();
    expect(await processRows(join(root, 'text-generation-webui', 'server.py'))).toEqual([
      'text-generation-webui process confirmed',
    ]);
  });

  it('does not claim another project’s server.py', async () => {
    const root = await makeTempDir();
    expect(await processRows(join(root, 'my-webui', 'server.py'))).toEqual([]);
  });
});

/**
 * The local model apps Fleet lists (GPT4All, Msty, AnythingLLM) and the agent CLIs StepSecurity
 * lists (Grok Build, Kimi Code, Muse Code). The community Grok CLI shares ~/.grok and `grok`, so
 * it is left out of these rows: what they prove is what the new entries claim.
 */
const PEER_TOOLS = new Set(['anythingllm', 'gpt4all', 'grok-build', 'kimi-code', 'msty', 'muse-code']);

function peerRows(detections: Detection[], home = ''): string[] {
  return detections
    .filter((d) => PEER_TOOLS.has(d.tool))
    .map((d) => `${d.tool} ${d.kind} ${d.confidence} ${home ? (d.evidence.path ?? '').replace(home, '~') : d.evidence.path ?? ''}`)
    .sort();
}

describe('peer-listed entries on a macOS layout', () => {
  const host = createFixtureHost({ os: 'macos', root: join(FIXTURES, 'macos'), home: '/Users/ada' });

  it('finds the app bundles by id, GPT4All by its installer folder, the data folders and the MCP configs', async () => {
    expect(peerRows(await detect(host, ['apps', 'traces', 'configs', 'packages']))).toEqual([
      'anythingllm app confirmed /Applications/AnythingLLM.app',
      'anythingllm mcp-server confirmed /Users/ada/Library/Application Support/anythingllm-desktop/storage/plugins/anythingllm_mcp_servers.json',
      'anythingllm trace confirmed /Users/ada/Library/Application Support/anythingllm-desktop',
      // The bundle is /Applications/gpt4all/bin/gpt4all.app, below where bundles are listed.
      'gpt4all package confirmed /Applications/gpt4all',
      'gpt4all trace confirmed /Users/ada/Library/Application Support/nomic.ai/GPT4All',
      'grok-build package confirmed /Users/ada/.grok/bin',
      'grok-build trace confirmed /Users/ada/.grok/sessions',
      'kimi-code mcp-server confirmed /Users/ada/.kimi-code/mcp.json',
      'kimi-code trace confirmed /Users/ada/.kimi-code',
      'msty app confirmed /Applications/Msty.app',
      'msty app confirmed /Applications/MstyStudio.app',
      'msty trace confirmed /Users/ada/Library/Application Support/Msty',
      'msty trace confirmed /Users/ada/Library/Application Support/MstyStudio',
      'muse-code trace confirmed /Users/ada/.local/share/muse/sessions',
    ]);
  });
});

describe('peer-listed entries on a Windows layout', () => {
  const host = createFixtureHost({
    os: 'windows',
    root: join(FIXTURES, 'windows'),
    home: 'C:/Users/ada',
    env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local', USERPROFILE: 'C:\\Users\\ada' },
  });

  it('finds the Programs folders, the installers’ home folders, the data folders and the MCP config', async () => {
    expect(peerRows(await detect(host, ['apps', 'traces', 'configs', 'packages']))).toEqual([
      'anythingllm app confirmed C:/Users/ada/AppData/Local/Programs/anythingllm-desktop',
      'anythingllm mcp-server confirmed C:/Users/ada/AppData/Roaming/anythingllm-desktop/storage/plugins/anythingllm_mcp_servers.json',
      'anythingllm trace confirmed C:/Users/ada/AppData/Roaming/anythingllm-desktop',
      'gpt4all package confirmed C:/Users/ada/gpt4all/bin',
      'gpt4all trace confirmed C:/Users/ada/AppData/Local/nomic.ai/GPT4All',
      'grok-build package confirmed C:/Users/ada/.grok/bin',
      'kimi-code package confirmed C:/Users/ada/.kimi-code/bin',
      'kimi-code trace confirmed C:/Users/ada/.kimi-code',
      'msty app confirmed C:/Users/ada/AppData/Local/Programs/MstyStudio',
      'msty trace confirmed C:/Users/ada/AppData/Roaming/MstyStudio',
    ]);
  });
});

describe('peer-listed entries in a real Linux home', () => {
  it('confirms grok, kimi and muse by their install folders and packages, and finds the data folders and MCP configs', async () => {
    const home = await makeTempDir();
    await makeTree(home, {
      // xAI's installer: ~/.grok/bin/grok, linked into ~/.local/bin.
      '.grok/bin/grok': executable,
      '.local/bin/grok': { symlink: join(home, '.grok/bin/grok') },
      '.grok/sessions/%2Fhome%2Fada%2Fsrc/0199a0c0-0000-7000-8000-000000000001/summary.json': '{}',
      // Kimi Code from npm under a user prefix; the legacy Kimi CLI's folder and MCP config.
      '.npm-global/lib/node_modules/@moonshot-ai/kimi-code/package.json': JSON.stringify({ name: '@moonshot-ai/kimi-code', version: '2.1.0', bin: { kimi: 'dist/main.mjs' } }),
      '.npm-global/lib/node_modules/@moonshot-ai/kimi-code/dist/main.mjs': executable,
      '.npm-global/bin/kimi': { symlink: join(home, '.npm-global/lib/node_modules/@moonshot-ai/kimi-code/dist/main.mjs') },
      '.kimi/config.toml': '',
      '.kimi/mcp.json': '{"mcpServers":{"context7":{"url":"https://mcp.context7.com/mcp"}}}',
      // Muse Code's launcher keeps muse-bin-<version> beside `muse`.
      '.local/share/muse/sessions/2026/09/22/.keep': '',
      'opt/muse/muse-bin-1.3.0': executable,
      'opt/muse/muse': { symlink: join(home, 'opt/muse/muse-bin-1.3.0') },
      // The desktop apps' data folders.
      '.config/anythingllm-desktop/storage/plugins/anythingllm_mcp_servers.json': '{"mcpServers":{"fetch":{"command":"uvx","args":["mcp-server-fetch"]}}}',
      '.config/MstyStudio/config.json': '{}',
      '.local/share/nomic.ai/GPT4All/localdocs_v2.db': '',
      'gpt4all/bin/chat': executable,
    });
    const path = [join(home, '.local/bin'), join(home, '.npm-global/bin'), join(home, 'opt/muse')].join(':');
    const host = createHost({ env: { HOME: home, PATH: path } });
    expect(peerRows(await detect(host, ['traces', 'configs', 'path', 'packages']), home)).toEqual([
      'anythingllm mcp-server confirmed ~/.config/anythingllm-desktop/storage/plugins/anythingllm_mcp_servers.json',
      'anythingllm trace confirmed ~/.config/anythingllm-desktop',
      'gpt4all package confirmed ~/gpt4all/bin',
      'gpt4all trace confirmed ~/.local/share/nomic.ai/GPT4All',
      'grok-build executable confirmed ~/.local/bin/grok',
      'grok-build package confirmed ~/.grok/bin',
      'grok-build trace confirmed ~/.grok/sessions',
      'kimi-code executable confirmed ~/.npm-global/bin/kimi',
      'kimi-code mcp-server confirmed ~/.kimi/mcp.json',
      'kimi-code package confirmed ~/.npm-global/lib/node_modules/@moonshot-ai/kimi-code',
      'kimi-code trace confirmed ~/.kimi',
      'msty trace confirmed ~/.config/MstyStudio',
      'muse-code executable confirmed ~/opt/muse/muse',
      'muse-code trace confirmed ~/.local/share/muse/sessions',
    ]);
  });

  it('gives nothing for unrelated grok, kimi and muse programs, the npm `kimi-code` wrapper, a music player’s muse folder or a gpt4all checkout', async () => {
    const home = await makeTempDir();
    await makeTree(home, {
      'bin/grok': executable,
      'bin/muse': executable,
      // The unrelated npm package `kimi-code` (a Claude Code wrapper) installs a `kimi` bin too.
      '.npm-global/lib/node_modules/kimi-code/package.json': JSON.stringify({ name: 'kimi-code', version: '1.0.11', bin: { kimi: 'index.js' } }),
      '.npm-global/lib/node_modules/kimi-code/index.js': executable,
      '.npm-global/bin/kimi': { symlink: join(home, '.npm-global/lib/node_modules/kimi-code/index.js') },
      // A music player's data folder named muse, and a source checkout of GPT4All (no installer bin/).
      '.local/share/muse/library.db': '',
      'gpt4all/gpt4all-chat/CMakeLists.txt': '',
    });
    const host = createHost({ env: { HOME: home, PATH: `${join(home, 'bin')}:${join(home, '.npm-global/bin')}` } });
    expect(peerRows(await detect(host, ['traces', 'configs', 'path', 'packages']), home)).toEqual([]);
  });
});
