// The catalog's OS-only compile made at build time (index keys, scanner
// probes: scripts/build.mjs, src/match/precompiled.ts) gives exactly what
// compiling at start gives, with custom tools of every layer on top; one
// made for other entries is not used.
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/catalog/index.js';
import type { OperatingSystem, ToolEntry } from '../../src/catalog/schema.js';
import { compileCatalog, precompileCatalog, type CompiledCatalog, type PrecompiledCatalog, type ToolSource } from '../../src/match/compile.js';

const OSES: OperatingSystem[] = ['linux', 'macos', 'windows'];
const HOME: Record<OperatingSystem, string> = { linux: '/home/ada', macos: '/Users/ada', windows: 'C:/Users/Ada' };

const entry = (id: string, signatures: ToolEntry['signatures']): ToolEntry => ({
  id, name: id, vendor: 'x', homepage: 'https://example.test', category: 'agent-cli', signatures,
});
// Custom tools that share keys and probes with the catalog (the same npm package, home folder,
// MCP config path, repository pattern) and add their own.
const CUSTOM: ToolEntry[] = [
  entry('house-claude', { packages: { npm: ['@anthropic-ai/claude-code', '@house/agent'], pip: ['House_Agent'] }, home: [{ path: '~/.claude' }, { path: '~/.house' }], repo: ['CLAUDE.md', 'HOUSE.md'] }),
  entry('house-mcp', { mcpConfigs: [{ path: '~/.claude.json', format: 'mcpServers' }], env: [{ name: 'HOUSE_AGENT' }], vscodeExtensions: ['House.Agent'] }),
];

/** What a compile amounts to, comparably: each index key with the ids of its tools, in order, and the probes. */
function shape(compiled: CompiledCatalog): { index: Array<[string, string[]]>; probes: unknown } {
  return { index: [...compiled.index].map(([key, tools]) => [key, tools.map((tool) => tool.entry.id)]), probes: compiled.probes };
}

/** As the build ships it: JSON text. */
const shipped = (entries: readonly ToolEntry[], os: OperatingSystem): PrecompiledCatalog => JSON.parse(JSON.stringify(precompileCatalog(entries, os))) as PrecompiledCatalog;

describe('the precompiled catalog', () => {
  for (const os of OSES) {
    const where = { os, home: HOME[os], env: {} };
    it(`on ${os}, gives the index and probes a compile at start gives, with custom tools on top`, () => {
      const precompiled = shipped(CATALOG, os);
      expect(shape(compileCatalog(CATALOG, where, undefined, precompiled))).toEqual(shape(compileCatalog(CATALOG, where)));
      const tools = [...CATALOG, ...CUSTOM];
      const sourceOf = (tool: ToolEntry): ToolSource => (CUSTOM.includes(tool) ? 'lower' : 'catalog');
      const fresh = shape(compileCatalog(tools, where, sourceOf));
      expect(shape(compileCatalog(tools, where, sourceOf, precompiled))).toEqual(fresh);
      // The custom tools did land on the shared keys and probes.
      expect(fresh.index.find(([key]) => key === 'package\0npm\0@anthropic-ai/claude-code')?.[1]).toEqual(['claude-code', 'house-claude']);
      expect((compileCatalog(tools, where, sourceOf, precompiled).probes.packages.pip as ReadonlySet<string>).has('house-agent')).toBe(true);
    });
  }

  it('is not used for other entries, another OS, or a tool in the catalog\'s place from a policy', () => {
    const where = { os: 'linux' as const, home: HOME.linux, env: {} };
    const fresh = shape(compileCatalog(CATALOG, where));
    // Made for a catalog without its first tool: every key and probe would be off by one tool.
    const fewer = shipped(CATALOG.slice(1), 'linux');
    expect(shape(compileCatalog(CATALOG, where, undefined, fewer))).toEqual(fresh);
    // Made for macOS.
    expect(shape(compileCatalog(CATALOG, where, undefined, shipped(CATALOG, 'macos')))).toEqual(fresh);
    // The first entry is not the built-in one (a source other than the catalog).
    const lowerFirst = (tool: ToolEntry): ToolSource => (tool === CATALOG[0] ? 'lower' : 'catalog');
    expect(shape(compileCatalog(CATALOG, where, lowerFirst, shipped(CATALOG, 'linux')))).toEqual(shape(compileCatalog(CATALOG, where, lowerFirst)));
    // A wrong one that would be used shows: the check above can fail.
    const tampered = shipped(CATALOG, 'linux');
    tampered.keys[0] = ['trace\0~/.nothing'];
    expect(shape(compileCatalog(CATALOG, where, undefined, tampered))).not.toEqual(fresh);
  });
});
