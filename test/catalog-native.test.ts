// The catalog's native-control facts (`native` in a tool entry): each carries
// a source, the exporters need exactly the ones they read, and the exporters'
// paths and names come from the catalog (changing a fact changes the export).
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../src/catalog/index.js';
import type { OperatingSystem, ToolEntry } from '../src/catalog/schema.js';
import { exportNative as claudeCodeExport } from '../src/export/native/claude-code.js';
import { exportNative as copilotExport } from '../src/export/native/copilot.js';
import { exportNative as geminiCliExport } from '../src/export/native/gemini-cli.js';
import { exportNative as vscodeExport } from '../src/export/native/vscode.js';
import { mergePolicies } from '../src/policy/merge.js';
import type { PolicyFile } from '../src/policy/schema.js';

const OSES: OperatingSystem[] = ['linux', 'macos', 'windows'];
/** A URL, or D (docs) / T (third party) / V (research) and where, as signature comments name their sources. */
const SOURCE = /^(?:https:\/\/\S+|[DTV] \S.*)/;

function resolved(policy: PolicyFile, catalog: readonly ToolEntry[] = CATALOG) {
  return mergePolicies([{ layer: 'managed', file: '/etc/aitool/policy.yaml', policy }], catalog);
}

/** The catalog with one entry's native facts changed. */
function withNative(id: string, change: (native: NonNullable<ToolEntry['native']>) => void): ToolEntry[] {
  const catalog = structuredClone(CATALOG) as ToolEntry[];
  const tool = catalog.find((entry) => entry.id === id)!;
  change(tool.native!);
  return catalog;
}

describe('catalog native facts', () => {
  const withFacts = CATALOG.filter((tool) => tool.native !== undefined);

  it('every fact carries a source (a URL, or D/T/V and where)', () => {
    expect(withFacts.length).toBeGreaterThan(5);
    for (const tool of withFacts) {
      for (const [fact, value] of Object.entries(tool.native!)) {
        expect(value.source, `${tool.id} native.${fact}`).toMatch(SOURCE);
      }
    }
  });

  it('the tools the exporters write for state what those exporters read', () => {
    const native = (id: string) => CATALOG.find((tool) => tool.id === id)!.native!;
    expect(Object.keys(native('claude-code')).sort()).toEqual(['builtInTools', 'managedMcp', 'managedSettings']);
    expect(Object.keys(native('gemini-cli')).sort()).toEqual(['builtInTools', 'managedSettings']);
    expect(native('github-copilot').managedSettings?.verified).toBe(false);
    for (const tool of withFacts) {
      for (const paths of [tool.native!.managedSettings, tool.native!.managedMcp]) {
        if (paths === undefined) continue;
        expect(paths.linux, tool.id).toMatch(/^\//);
        expect(paths.macos, tool.id).toMatch(/^\/Library\//);
        expect(paths.windows, tool.id).toMatch(/^C:\\/);
      }
    }
  });

  it('tools naming one team id agree on whether the team signs only them', () => {
    const byTeam = new Map<string, Set<boolean>>();
    for (const tool of withFacts) {
      const santa = tool.native!.santa;
      if (santa?.teamId === undefined) continue;
      byTeam.set(santa.teamId, (byTeam.get(santa.teamId) ?? new Set()).add(santa.teamIdExclusive === true));
    }
    expect(byTeam.size).toBeGreaterThan(3);
    for (const [team, answers] of byTeam) expect(answers.size, team).toBe(1);
    // Amazon's and OpenAI's teams sign several products: never one rule for the whole team.
    expect([...byTeam.get('94KV3E626L')!]).toEqual([false]);
    expect([...byTeam.get('2DC432GLL2')!]).toEqual([false]);
  });
});

describe("the exporters' paths and names come from the catalog", () => {
  const blockAll: PolicyFile = { default: 'allow', tools: { 'claude-code': { action: 'block' }, 'gemini-cli': { action: 'block' }, 'github-copilot': { action: 'block' } } };

  it('claude-code: managed-settings.json, managed-mcp.json and the denied tool names', () => {
    const catalog = withNative('claude-code', (native) => {
      native.managedSettings = { ...native.managedSettings!, linux: '/test/cc/ms.json', macos: '/test/cc/macos-ms.json', windows: 'C:\\test\\ms.json' };
      native.managedMcp = { ...native.managedMcp!, linux: '/test/cc/mcp.json', macos: '/test/cc/macos-mcp.json', windows: 'C:\\test\\mcp.json' };
      native.builtInTools = { ...native.builtInTools!, names: ['OnlyThisTool'] };
    });
    const expected = { linux: ['/test/cc/ms.json', '/test/cc/mcp.json'], macos: ['/test/cc/macos-ms.json', '/test/cc/macos-mcp.json'], windows: ['C:\\test\\ms.json', 'C:\\test\\mcp.json'] };
    for (const os of OSES) {
      const result = claudeCodeExport({ policy: resolved(blockAll, catalog), catalog, os });
      expect(result.files.map((file) => file.installPath)).toEqual(expected[os]);
      expect(JSON.parse(result.files[0]!.content).permissions.deny).toEqual(['OnlyThisTool']);
    }
  });

  it('gemini-cli: the system settings file and the excluded tool names', () => {
    const catalog = withNative('gemini-cli', (native) => {
      native.managedSettings = { ...native.managedSettings!, linux: '/test/gemini.json', macos: '/test/macos-gemini.json', windows: 'C:\\test\\gemini.json' };
      native.builtInTools = { ...native.builtInTools!, names: ['only_this_tool'] };
    });
    const expected = { linux: '/test/gemini.json', macos: '/test/macos-gemini.json', windows: 'C:\\test\\gemini.json' };
    for (const os of OSES) {
      const result = geminiCliExport({ policy: resolved(blockAll, catalog), catalog, os });
      expect(result.files.map((file) => file.installPath)).toEqual([expected[os]]);
      expect(JSON.parse(result.files[0]!.content).tools.exclude).toEqual(['only_this_tool']);
    }
  });

  it('copilot: the managed settings file, and the unverified-path caveat only while the catalog marks it unverified', () => {
    const catalog = withNative('github-copilot', (native) => {
      native.managedSettings = { ...native.managedSettings!, linux: '/test/copilot.json' };
    });
    const result = copilotExport({ policy: resolved(blockAll, catalog), catalog, os: 'linux' });
    expect(result.files[0]!.installPath).toBe('/test/copilot.json');
    expect(result.cannotExpress[0]).toContain('the install path /test/copilot.json is the one VS Code');

    const verified = withNative('github-copilot', (native) => {
      native.managedSettings = { ...native.managedSettings!, verified: true };
    });
    const caveat = copilotExport({ policy: resolved(blockAll, verified), catalog: verified, os: 'linux' }).cannotExpress[0]!;
    expect(caveat).not.toContain('unverified');
    expect(caveat).toContain('take precedence over this file');
  });

  it("vscode: the forks named as not verified are the catalog's, and a fork whose docs say it honours the policy is named as reached", () => {
    const forkLines = (catalog: readonly ToolEntry[]) =>
      vscodeExport({ policy: resolved({ default: 'allow' }, catalog), catalog, os: 'linux' }).cannotExpress.filter((line) => line.startsWith('forks ('));
    expect(forkLines(CATALOG)).toEqual([
      'forks (Cursor, Windsurf, VSCodium, Insiders): not verified to read com.microsoft.VSCode, Software\\Policies\\Microsoft\\VSCode or /etc/vscode/policy.json; these files are for VS Code',
    ]);
    const honoured = withNative('cursor', (native) => {
      native.vscodePolicy = { honoured: 'yes', source: 'T https://example.com/test' };
    });
    expect(forkLines(honoured)).toEqual([
      'forks (Windsurf, VSCodium, Insiders): not verified to read com.microsoft.VSCode, Software\\Policies\\Microsoft\\VSCode or /etc/vscode/policy.json; these files are for VS Code',
      "forks (Cursor): their docs say they read VS Code's policies, so these files apply to them too",
    ]);
  });
});
