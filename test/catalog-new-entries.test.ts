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

type ScannerName = 'apps' | 'traces' | 'configs' | 'path' | 'processes' | 'editors';

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
