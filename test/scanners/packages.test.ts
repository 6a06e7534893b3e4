import { execFileSync } from 'node:child_process';
import { cp, open, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureHost, createHost, type Host } from '../../src/host.js';
import { createPackagesScanner, goBinaryName, packagesScanner } from '../../src/scanners/packages.js';
import { emptyProbes } from '../../src/scanners/probes.js';
import type { Probes } from '../../src/scanners/types.js';
import type { PackageObservation, ScanNote } from '../../src/types.js';
import { makeTempDir, makeTree, removeTempDirs, writePackageJson } from '../helpers/temp.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/packages/', import.meta.url));

afterAll(removeTempDirs);

type ProbeInput = Partial<Record<keyof Probes['packages'], Iterable<string>>> & { installPaths?: string[] };

function probesOf(input: ProbeInput): Probes {
  const set = (values: Iterable<string> | undefined) => new Set(values ?? []);
  return emptyProbes({
    packages: {
      npm: set(input.npm),
      pip: set(input.pip),
      brew: set(input.brew),
      brewCask: set(input.brewCask),
      cargo: set(input.cargo),
      go: set(input.go),
      deb: set(input.deb),
      rpm: set(input.rpm),
      snap: set(input.snap),
      flatpak: set(input.flatpak),
    },
    installPaths: input.installPaths ?? [],
  });
}

async function scan(host: Host, input: ProbeInput): Promise<{ observations: PackageObservation[]; notes: Array<Omit<ScanNote, 'scanner'>> }> {
  const notes: Array<Omit<ScanNote, 'scanner'>> = [];
  const observations = (await packagesScanner.scan({
    host,
    probes: probesOf(input),
    signal: new AbortController().signal,
    note: (note) => notes.push(note),
  })) as PackageObservation[];
  return { observations, notes };
}

/** Observations in a stable order for comparison (the scanner orders by source, then path). */
function sorted(observations: PackageObservation[]): PackageObservation[] {
  const key = (o: PackageObservation) => `${o.path}\0${o.manager}\0${o.name}`;
  return [...observations].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function pkg(manager: PackageObservation['manager'], name: string, path: string, root: string | undefined, version?: string): PackageObservation {
  return { kind: 'package', manager, name, ...(version === undefined ? {} : { version }), path, ...(root === undefined ? {} : { root }) };
}

/** A host that records every file-system call it forwards. */
function recordingHost(real: Host, calls: string[]): Host {
  return {
    os: real.os,
    home: real.home,
    env: real.env,
    pid: real.pid,
    pathEntries: () => real.pathEntries(),
    listProcesses: () => real.listProcesses(),
    processChain: (pid) => real.processChain(pid),
    lstat: (path) => (calls.push(`lstat ${path}`), real.lstat(path)),
    stat: (path) => (calls.push(`stat ${path}`), real.stat(path)),
    readdir: (path) => (calls.push(`readdir ${path}`), real.readdir(path)),
    realpath: (path) => (calls.push(`realpath ${path}`), real.realpath(path)),
    readTextFile: (path, max) => (calls.push(`read ${path}`), real.readTextFile(path, max)),
    readFileBytes: (path, max, offset) => (calls.push(`read ${path}`), real.readFileBytes(path, max, offset)),
  };
}

const NPM = [
  '@anthropic-ai/claude-code',
  '@openai/codex',
  '@google/gemini-cli',
  '@qwen-code/qwen-code',
  'opencode-ai',
  'cline',
  '@github/copilot',
  '@ampcode/cli',
  '@augmentcode/auggie',
  '@continuedev/cli',
  '@charmland/crush',
  '@factory/cli',
  '@kilocode/cli',
];
const PIP = ['aider-chat', 'aider-install'];

describe('packages scanner on a temp HOME (Linux layouts, real host)', () => {
  let tmp: string;
  let home: string;
  let env: Record<string, string>;
  const manifests: Record<string, { name: string; version: string }> = {};

  /** `node_modules/<name>` with its package.json. */
  function npmPackage(dir: string, name: string, version: string): void {
    manifests[join(dir, name)] = { name, version };
  }

  beforeAll(async () => {
    tmp = await makeTempDir();
    home = join(tmp, 'home');
    const g = (prefix: string) => join(prefix, 'lib/node_modules');
    // npm prefixes: from ~/.npmrc (with ${HOME} expanded), from the environment, ~/.npm-global.
    npmPackage(g(join(home, 'custom-prefix')), '@openai/codex', '0.169.0');
    npmPackage(g(join(tmp, 'env-prefix')), 'cline', '3.0.65');
    npmPackage(g(join(home, '.npm-global')), '@anthropic-ai/claude-code', '2.1.197');
    // Not asked about: an unscoped package and a platform package in a probed scope.
    npmPackage(g(join(home, '.npm-global')), 'lodash', '4.17.21');
    npmPackage(g(join(home, '.npm-global')), '@anthropic-ai/claude-code-linux-x64', '2.1.197');
    // Version managers, each with its own prefixes.
    npmPackage(g(join(home, '.nvm/versions/node/v22.11.0')), '@google/gemini-cli', '0.61.0');
    npmPackage(g(join(home, '.local/share/fnm/node-versions/v20.18.0/installation')), '@qwen-code/qwen-code', '0.15.10');
    npmPackage(g(join(home, '.fnm/node-versions/v18.20.0/installation')), 'opencode-ai', '1.18.33');
    npmPackage(g(join(home, '.volta/tools/image/packages/@github/copilot')), '@github/copilot', '1.0.102');
    npmPackage(g(join(home, '.volta/tools/image/packages/typescript')), 'typescript', '5.9.3');
    npmPackage(g(join(home, '.asdf/installs/nodejs/22.11.0')), '@ampcode/cli', '0.0.1764000000');
    npmPackage(g(join(home, '.local/share/mise/installs/node/22.11.0')), '@augmentcode/auggie', '0.36.0');
    npmPackage(g(join(home, '.nodenv/versions/20.18.0')), '@continuedev/cli', '1.5.47');
    // pnpm links each global package into its virtual store.
    npmPackage(join(home, '.local/share/pnpm/global/5/node_modules/.pnpm/@charmland+crush@0.10.0/node_modules'), '@charmland/crush', '0.10.0');
    npmPackage(join(tmp, 'pnpm-home/global/5/node_modules'), '@factory/cli', '0.225.1');
    npmPackage(join(home, '.config/yarn/global/node_modules'), '@kilocode/cli', '7.8.1');
    npmPackage(join(home, '.bun/install/global/node_modules'), 'opencode-ai', '1.18.30');
    npmPackage(join(home, '.npm/_npx/4f1e2c3d9a8b7c6d/node_modules'), '@anthropic-ai/claude-code', '2.1.190');
    for (const [dir, manifest] of Object.entries(manifests)) await writePackageJson(dir, manifest);

    const distInfo = (version: string, name = 'aider-chat') => `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n`;
    await makeTree(tmp, {
      'home/.npmrc': '; user config\nregistry=https://registry.npmjs.org/\nprefix=${HOME}/custom-prefix\n',
      'home/.local/share/pnpm/global/5/node_modules/@charmland/crush': { symlink: '../.pnpm/@charmland+crush@0.10.0/node_modules/@charmland/crush' },
      // pipx: the old and the new home, and PIPX_HOME with a folder name pip would normalise.
      'home/.local/pipx/venvs/aider-chat/lib/python3.11/site-packages/aider_chat-0.85.0.dist-info/METADATA': distInfo('0.85.0'),
      'home/.local/share/pipx/venvs/aider-install/lib/python3.12/site-packages/aider_install-0.2.0.dist-info/METADATA': distInfo('0.2.0', 'aider-install'),
      'home/.local/share/pipx/venvs/black/lib/python3.12/site-packages/black-24.10.0.dist-info/METADATA': distInfo('24.10.0', 'black'),
      'pipx-home/venvs/Aider_Chat/lib/python3.12/site-packages/aider_chat-0.86.1.dist-info/METADATA': distInfo('0.86.1'),
      // uv tools, default and UV_TOOL_DIR.
      'home/.local/share/uv/tools/aider-chat/lib/python3.12/site-packages/aider_chat-0.86.1.dist-info/METADATA': distInfo('0.86.1'),
      'home/.local/share/uv/tools/aider-chat/uv-receipt.toml': '[tool]\n',
      'uv-tools/aider-install/lib/python3.12/site-packages/aider_install-0.1.9.dist-info/METADATA': distInfo('0.1.9', 'aider-install'),
      // pip --user.
      'home/.local/lib/python3.12/site-packages/aider_chat-0.84.0.dist-info/METADATA': distInfo('0.84.0'),
      'home/.local/lib/python3.12/site-packages/requests-2.32.3.dist-info/METADATA': distInfo('2.32.3', 'requests'),
      'home/.local/lib/python3.12/site-packages/aider/__init__.py': '',
      // cargo install.
      'home/.cargo/.crates2.json': JSON.stringify({
        installs: {
          'aichat 0.30.0 (registry+https://github.com/rust-lang/crates.io-index)': { bins: ['aichat'] },
          'ripgrep 14.1.1 (registry+https://github.com/rust-lang/crates.io-index)': { bins: ['rg'] },
        },
      }),
      'home/.cargo/bin/aichat': { content: 'ELF', mode: 0o755 },
      // go install: ~/go/bin, GOPATH and GOBIN.
      'home/go/bin/crush': { content: 'ELF', mode: 0o755 },
      'home/go/bin/gopls': { content: 'ELF', mode: 0o755 },
      'gopath/bin/agent': { content: 'ELF', mode: 0o755 },
      'gobin/crush': { content: 'ELF', mode: 0o755 },
      // The tools' own installers.
      'home/.local/share/claude/versions/2.1.196': { content: 'ELF', mode: 0o755 },
      'home/.local/share/claude/versions/2.1.197': { content: 'ELF', mode: 0o755 },
      'home/.local/share/cursor-agent/versions/2025.11.06-8fe8a63/cursor-agent': { content: '#!/bin/sh\n', mode: 0o755 },
      'home/.codex/packages/standalone/current/codex': { content: 'ELF', mode: 0o755 },
      'home/.cache/copilot/pkg/linux-x64/1.0.102/index.js': '',
    });
    env = {
      HOME: home,
      PATH: '',
      npm_config_prefix: join(tmp, 'env-prefix'),
      PNPM_HOME: join(tmp, 'pnpm-home'),
      PIPX_HOME: join(tmp, 'pipx-home'),
      UV_TOOL_DIR: join(tmp, 'uv-tools'),
      GOPATH: `${join(tmp, 'gopath')}:relative/gopath`,
      GOBIN: join(tmp, 'gobin'),
    };
  });

  it('finds global npm, pnpm, yarn, bun and npx installs in every prefix, with versions from package.json', async () => {
    const { observations, notes } = await scan(createHost({ env }), { npm: NPM });
    const mine = observations.filter((o) => o.path.startsWith(tmp));
    const nm = (prefix: string, name: string) => `${prefix}/lib/node_modules/${name}`;
    expect(sorted(mine)).toEqual(
      sorted([
        pkg('npm', '@openai/codex', nm(`${home}/custom-prefix`, '@openai/codex'), `${home}/custom-prefix`, '0.169.0'),
        pkg('npm', 'cline', nm(`${tmp}/env-prefix`, 'cline'), `${tmp}/env-prefix`, '3.0.65'),
        pkg('npm', '@anthropic-ai/claude-code', nm(`${home}/.npm-global`, '@anthropic-ai/claude-code'), `${home}/.npm-global`, '2.1.197'),
        pkg('npm', '@google/gemini-cli', nm(`${home}/.nvm/versions/node/v22.11.0`, '@google/gemini-cli'), `${home}/.nvm/versions/node/v22.11.0`, '0.61.0'),
        pkg(
          'npm',
          '@qwen-code/qwen-code',
          nm(`${home}/.local/share/fnm/node-versions/v20.18.0/installation`, '@qwen-code/qwen-code'),
          `${home}/.local/share/fnm/node-versions/v20.18.0/installation`,
          '0.15.10',
        ),
        pkg('npm', 'opencode-ai', nm(`${home}/.fnm/node-versions/v18.20.0/installation`, 'opencode-ai'), `${home}/.fnm/node-versions/v18.20.0/installation`, '1.18.33'),
        pkg(
          'npm',
          '@github/copilot',
          nm(`${home}/.volta/tools/image/packages/@github/copilot`, '@github/copilot'),
          `${home}/.volta/tools/image/packages/@github/copilot`,
          '1.0.102',
        ),
        pkg('npm', '@ampcode/cli', nm(`${home}/.asdf/installs/nodejs/22.11.0`, '@ampcode/cli'), `${home}/.asdf/installs/nodejs/22.11.0`, '0.0.1764000000'),
        pkg(
          'npm',
          '@augmentcode/auggie',
          nm(`${home}/.local/share/mise/installs/node/22.11.0`, '@augmentcode/auggie'),
          `${home}/.local/share/mise/installs/node/22.11.0`,
          '0.36.0',
        ),
        pkg('npm', '@continuedev/cli', nm(`${home}/.nodenv/versions/20.18.0`, '@continuedev/cli'), `${home}/.nodenv/versions/20.18.0`, '1.5.47'),
        pkg('pnpm', '@charmland/crush', `${home}/.local/share/pnpm/global/5/node_modules/@charmland/crush`, `${home}/.local/share/pnpm/global/5`, '0.10.0'),
        pkg('pnpm', '@factory/cli', `${tmp}/pnpm-home/global/5/node_modules/@factory/cli`, `${tmp}/pnpm-home/global/5`, '0.225.1'),
        pkg('yarn', '@kilocode/cli', `${home}/.config/yarn/global/node_modules/@kilocode/cli`, `${home}/.config/yarn/global`, '7.8.1'),
        pkg('bun', 'opencode-ai', `${home}/.bun/install/global/node_modules/opencode-ai`, `${home}/.bun/install/global`, '1.18.30'),
        pkg(
          'npx',
          '@anthropic-ai/claude-code',
          `${home}/.npm/_npx/4f1e2c3d9a8b7c6d/node_modules/@anthropic-ai/claude-code`,
          `${home}/.npm/_npx/4f1e2c3d9a8b7c6d`,
          '2.1.190',
        ),
      ]),
    );
    // Whatever this machine has installed itself, only probed names come back.
    for (const o of observations) expect(NPM).toContain(o.name);
    expect(notes).toEqual([]);
  });

  it("reads the running node's prefix on the real host, and no such prefix on a fixture host", async () => {
    const prefix = join(tmp, 'node-prefix');
    await makeTree(prefix, { 'bin/node': { content: 'ELF', mode: 0o755 } });
    await writePackageJson(join(prefix, 'lib/node_modules/@openai/codex'), { name: '@openai/codex', version: '0.168.0' });
    const scanner = createPackagesScanner({ execPath: join(prefix, 'bin/node') });
    const run = async (host: Host) =>
      (await scanner.scan({ host, probes: probesOf({ npm: NPM }), signal: new AbortController().signal, note: () => undefined })) as PackageObservation[];

    expect((await run(createHost({ env: { HOME: home, PATH: '' } }))).filter((o) => o.root === prefix)).toEqual([
      pkg('npm', '@openai/codex', `${prefix}/lib/node_modules/@openai/codex`, prefix, '0.168.0'),
    ]);
    // The same logical path on a fixture host names a file inside the fixture, which is not there.
    const fixture = await makeTempDir();
    await writePackageJson(join(fixture, prefix.slice(1), 'lib/node_modules/cline'), { name: 'cline', version: '3.0.65' });
    expect(await run(createFixtureHost({ os: 'linux', root: fixture, home: '/home/ada' }))).toEqual([]);
  });

  it('finds pipx and uv tool venvs and pip --user installs, named as pip normalises them', async () => {
    const { observations, notes } = await scan(createHost({ env }), { pip: PIP });
    const mine = observations.filter((o) => o.path.startsWith(tmp));
    expect(sorted(mine)).toEqual(
      sorted([
        pkg('pipx', 'aider-chat', `${home}/.local/pipx/venvs/aider-chat`, `${home}/.local/pipx/venvs`, '0.85.0'),
        pkg('pipx', 'aider-install', `${home}/.local/share/pipx/venvs/aider-install`, `${home}/.local/share/pipx/venvs`, '0.2.0'),
        pkg('pipx', 'aider-chat', `${tmp}/pipx-home/venvs/Aider_Chat`, `${tmp}/pipx-home/venvs`, '0.86.1'),
        pkg('uv', 'aider-chat', `${home}/.local/share/uv/tools/aider-chat`, `${home}/.local/share/uv/tools`, '0.86.1'),
        pkg('uv', 'aider-install', `${tmp}/uv-tools/aider-install`, `${tmp}/uv-tools`, '0.1.9'),
        pkg(
          'pip',
          'aider-chat',
          `${home}/.local/lib/python3.12/site-packages/aider_chat-0.84.0.dist-info`,
          `${home}/.local/lib/python3.12/site-packages`,
          '0.84.0',
        ),
      ]),
    );
    for (const o of observations) expect(PIP).toContain(o.name);
    expect(notes).toEqual([]);
  });

  it('reads cargo and go installs without running anything', async () => {
    const { observations, notes } = await scan(createHost({ env }), {
      cargo: ['aichat'],
      go: ['github.com/charmbracelet/crush', 'example.com/agent/v2', 'example.com/absent'],
    });
    expect(sorted(observations)).toEqual(
      sorted([
        pkg('cargo', 'aichat', `${home}/.cargo/bin/aichat`, `${home}/.cargo`, '0.30.0'),
        pkg('go', 'github.com/charmbracelet/crush', `${home}/go/bin/crush`, `${home}/go/bin`),
        pkg('go', 'github.com/charmbracelet/crush', `${tmp}/gobin/crush`, `${tmp}/gobin`),
        pkg('go', 'example.com/agent/v2', `${tmp}/gopath/bin/agent`, `${tmp}/gopath/bin`),
      ]),
    );
    expect(notes).toEqual([]);
  });

  it('falls back to .crates.toml in CARGO_HOME', async () => {
    const cargoHome = await makeTempDir();
    await makeTree(cargoHome, {
      '.crates.toml': '[v1]\n"aichat 0.29.0 (registry+https://github.com/rust-lang/crates.io-index)" = ["aichat"]\n"ripgrep 14.1.1 (registry+https://github.com/rust-lang/crates.io-index)" = ["rg"]\n',
    });
    const { observations } = await scan(createHost({ env: { HOME: home, PATH: '', CARGO_HOME: cargoHome } }), { cargo: ['aichat'] });
    // The binary is gone: the list that records the install is the path.
    expect(observations).toEqual([pkg('cargo', 'aichat', `${cargoHome}/.crates.toml`, cargoHome, '0.29.0')]);
  });

  it("reports the tools' own installs with the version from {version}", async () => {
    const { observations, notes } = await scan(createHost({ env }), {
      installPaths: [
        '~/.local/share/claude/versions/{version}',
        '~/.local/share/cursor-agent/versions/{version}',
        '~/.codex/packages/**',
        '~/.cache/copilot/pkg/*/{version}',
        '~/.opencode/bin',
        '%APPDATA%/Claude',
        '~/.cache/**/index.js',
      ],
    });
    expect(sorted(observations)).toEqual(
      sorted([
        pkg('native', '~/.local/share/claude/versions/{version}', `${home}/.local/share/claude/versions/2.1.196`, undefined, '2.1.196'),
        pkg('native', '~/.local/share/claude/versions/{version}', `${home}/.local/share/claude/versions/2.1.197`, undefined, '2.1.197'),
        pkg(
          'native',
          '~/.local/share/cursor-agent/versions/{version}',
          `${home}/.local/share/cursor-agent/versions/2025.11.06-8fe8a63`,
          undefined,
          '2025.11.06-8fe8a63',
        ),
        pkg('native', '~/.codex/packages/**', `${home}/.codex/packages`, undefined),
        pkg('native', '~/.cache/copilot/pkg/*/{version}', `${home}/.cache/copilot/pkg/linux-x64/1.0.102`, undefined, '1.0.102'),
      ]),
    );
    expect(notes).toEqual([{ path: '~/.cache/**/index.js', message: 'install path with `**` inside is not looked up' }]);
  });
});

describe('packages scanner on hostile node_modules', () => {
  it('does not read a 1 GB package.json, open a FIFO, or loop on a symlink loop', async () => {
    const home = await makeTempDir();
    const modules = join(home, '.npm-global/lib/node_modules');
    await writePackageJson(join(modules, 'cline'), { name: 'cline', version: '3.0.65' });
    await makeTree(modules, {
      'opencode-ai/bin/opencode': '',
      'opencode-ai/package.json': '',
      // A link in a probed scope that points at itself.
      '@openai/codex': { symlink: 'codex' },
    });
    // A sparse 1 GB package.json: reading it whole would take seconds and 1 GB of memory.
    const big = join(modules, 'opencode-ai/package.json');
    await truncate(big, 1024 ** 3);
    expect((await stat(big)).size).toBe(1024 ** 3);
    // A FIFO named like a package: opening it for reading would block forever.
    execFileSync('mkfifo', [join(modules, 'gemini')]);

    const calls: string[] = [];
    const host = recordingHost(createHost({ env: { HOME: home, PATH: '' } }), calls);
    // A read of the FIFO would block until the test times out.
    const { observations, notes } = await scan(host, { npm: ['cline', 'opencode-ai', '@openai/codex', 'gemini'] });

    expect(observations.filter((o) => o.path.startsWith(home))).toEqual([
      pkg('npm', 'cline', `${modules}/cline`, `${home}/.npm-global`, '3.0.65'),
      // Still installed; its version unknown.
      pkg('npm', 'opencode-ai', `${modules}/opencode-ai`, `${home}/.npm-global`),
    ]);
    expect(calls.filter((call) => call.startsWith('read') && call.includes('opencode-ai'))).toEqual([]);
    expect(calls.filter((call) => call.startsWith('read') && call.includes('gemini'))).toEqual([]);
    expect(notes).toEqual(
      expect.arrayContaining([
        { path: `${modules}/opencode-ai/package.json`, message: 'larger than 256 KiB, not read' },
        { path: `${modules}/@openai/codex`, message: 'symlink loop' },
        { path: `${modules}/gemini`, message: 'not a folder (fifo)' },
      ]),
    );
    expect(notes).toHaveLength(3);
  });

  it('looks only at probed names among 500 global packages', async () => {
    const home = await makeTempDir();
    const modules = join(home, '.npm-global/lib/node_modules');
    const tree: Record<string, string> = {};
    for (let i = 0; i < 500; i++) {
      const name = `pkg-${String(i).padStart(3, '0')}`;
      tree[`${name}/package.json`] = JSON.stringify({ name, version: '1.0.0' });
    }
    for (let i = 0; i < 20; i++) tree[`@unrelated-${i}/lib/package.json`] = '{}';
    tree['@anthropic-ai/sdk/package.json'] = JSON.stringify({ name: '@anthropic-ai/sdk', version: '0.60.0' });
    await makeTree(modules, tree);
    await writePackageJson(join(modules, '@anthropic-ai/claude-code'), { name: '@anthropic-ai/claude-code', version: '2.1.197' });
    await writePackageJson(join(modules, 'cline'), { name: 'cline', version: '3.0.65' });

    const calls: string[] = [];
    const host = recordingHost(createHost({ env: { HOME: home, PATH: '' } }), calls);
    const { observations } = await scan(host, { npm: ['@anthropic-ai/claude-code', 'cline', '@openai/codex'] });
    expect(sorted(observations.filter((o) => o.path.startsWith(home)))).toEqual([
      pkg('npm', '@anthropic-ai/claude-code', `${modules}/@anthropic-ai/claude-code`, `${home}/.npm-global`, '2.1.197'),
      pkg('npm', 'cline', `${modules}/cline`, `${home}/.npm-global`, '3.0.65'),
    ]);
    const inModules = calls.filter((call) => call.includes(modules));
    // One listing of node_modules and one of the probed scope; nothing else there is looked at.
    expect(inModules.filter((call) => call.startsWith('readdir'))).toEqual([`readdir ${modules}`, `readdir ${modules}/@anthropic-ai`]);
    expect(inModules.filter((call) => /pkg-|@unrelated|\/sdk/.test(call))).toEqual([]);
    expect(inModules.filter((call) => call.startsWith('read '))).toEqual(
      expect.arrayContaining([`read ${modules}/@anthropic-ai/claude-code/package.json`, `read ${modules}/cline/package.json`]),
    );
    expect(inModules.filter((call) => call.startsWith('read '))).toHaveLength(2);
  });
});

describe('packages scanner on a Linux system layout (fixture host)', () => {
  let root: string;

  beforeAll(async () => {
    root = await makeTempDir();
    // dpkg's status file: an installed package, one removed with its config kept, a multi-arch pair,
    // and enough unrelated stanzas (with multi-byte text) to need several chunks.
    const filler = Array.from(
      { length: 4000 },
      (_, i) =>
        `Package: lib-filler-${i}\nStatus: install ok installed\nPriority: optional\nVersion: 1.${i}-1\nDescription: filler — ünïcödé text\n long description line that makes this stanza a few hundred bytes long, like real ones\n .\n more text here to pad it out a little further\n`,
    );
    const status = [
      'Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.36-9\n',
      ...filler.slice(0, 3000),
      'Package: qoder\nStatus: install ok installed\nPriority: optional\nArchitecture: amd64\nVersion: 0.2.14\nDescription: Qoder\n multi-line\n',
      ...filler.slice(3000),
      'Package: cursor\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 1.7.52\n',
      'Package: ollama-helper\nStatus: install ok installed\nArchitecture: amd64\nMulti-Arch: same\nVersion: 1.0\n',
      'Package: ollama-helper\nStatus: install ok installed\nArchitecture: i386\nMulti-Arch: same\nVersion: 1.0\n',
      'Package: kiro\nStatus: install ok installed\nVersion: 0.5.0',
    ].join('\n');
    await makeTree(root, {
      'var/lib/dpkg/status': status,
      'var/lib/rpm/rpmdb.sqlite': 'SQLite format 3\0',
      'home/linuxbrew/.linuxbrew/Cellar/aider/0.86.1/INSTALL_RECEIPT.json': '{}',
      'home/linuxbrew/.linuxbrew/Cellar/opencode/1.18.33/INSTALL_RECEIPT.json': '{}',
      'usr/lib/python3/dist-packages/aider_chat-0.82.0.dist-info/METADATA': 'Name: aider-chat\nVersion: 0.82.0\n',
      // Old installers did not escape `-` in the name: only then is METADATA read.
      'usr/local/lib/python3.11/dist-packages/aider-install-0.1.3.dist-info/METADATA': 'Metadata-Version: 2.1\nName: aider-install\nVersion: 0.1.3\n',
      'usr/local/lib/python3.11/dist-packages/aider-chat-0.81.0-py3.11.egg-info/PKG-INFO': 'Metadata-Version: 1.0\nName: aider-chat\nVersion: 0.81.0\n',
      'usr/local/lib/python3.11/dist-packages/some-other-thing-1.0.dist-info/METADATA': 'Name: some-other-thing\nVersion: 1.0\n',
      'usr/local/lib/python3.11/dist-packages/aider_chat-0.80.0.dist-info/METADATA': 'Version: 0.80.0\n',
      // An egg-info file whose name is plain once the Python tag is dropped: not read.
      'usr/local/lib/python3.12/site-packages/aider_chat-0.79.0-py3.12.egg-info': 'Metadata-Version: 1.0\nName: aider-chat\nVersion: 0.79.0\n',
      'etc/npmrc': 'prefix = "/opt/npm"\n',
      'home/ada/.npmrc': '# nothing here\n',
    });
    await writePackageJson(join(root, 'usr/local/lib/node_modules/@openai/codex'), { name: '@openai/codex', version: '0.169.0' });
    await writePackageJson(join(root, 'usr/lib/node_modules/@google/gemini-cli'), { name: '@google/gemini-cli', version: '0.61.0' });
    await writePackageJson(join(root, 'opt/npm/lib/node_modules/cline'), { name: 'cline', version: '3.0.65' });
    await writePackageJson(join(root, 'home/linuxbrew/.linuxbrew/lib/node_modules/opencode-ai'), { name: 'opencode-ai', version: '1.18.33' });
  });

  it('reads dpkg status in chunks, Linuxbrew kegs, system site-packages and system npm prefixes', async () => {
    const calls: string[] = [];
    const host = recordingHost(createFixtureHost({ os: 'linux', root, home: '/home/ada' }), calls);
    const { observations, notes } = await scan(host, {
      npm: ['@openai/codex', '@google/gemini-cli', 'cline', 'opencode-ai'],
      pip: PIP,
      brew: ['aider', 'opencode'],
      brewCask: ['cursor', 'claude-code'],
      deb: ['qoder', 'cursor', 'ollama-helper', 'kiro'],
      rpm: ['cursor'],
    });
    expect(sorted(observations)).toEqual(
      sorted([
        pkg('npm', '@openai/codex', '/usr/local/lib/node_modules/@openai/codex', '/usr/local', '0.169.0'),
        pkg('npm', '@google/gemini-cli', '/usr/lib/node_modules/@google/gemini-cli', '/usr', '0.61.0'),
        pkg('npm', 'cline', '/opt/npm/lib/node_modules/cline', '/opt/npm', '3.0.65'),
        pkg('npm', 'opencode-ai', '/home/linuxbrew/.linuxbrew/lib/node_modules/opencode-ai', '/home/linuxbrew/.linuxbrew', '1.18.33'),
        pkg('brew', 'aider', '/home/linuxbrew/.linuxbrew/Cellar/aider/0.86.1', '/home/linuxbrew/.linuxbrew', '0.86.1'),
        pkg('brew', 'opencode', '/home/linuxbrew/.linuxbrew/Cellar/opencode/1.18.33', '/home/linuxbrew/.linuxbrew', '1.18.33'),
        pkg('pip', 'aider-chat', '/usr/lib/python3/dist-packages/aider_chat-0.82.0.dist-info', '/usr/lib/python3/dist-packages', '0.82.0'),
        pkg('pip', 'aider-install', '/usr/local/lib/python3.11/dist-packages/aider-install-0.1.3.dist-info', '/usr/local/lib/python3.11/dist-packages', '0.1.3'),
        pkg('pip', 'aider-chat', '/usr/local/lib/python3.11/dist-packages/aider-chat-0.81.0-py3.11.egg-info', '/usr/local/lib/python3.11/dist-packages', '0.81.0'),
        pkg('pip', 'aider-chat', '/usr/local/lib/python3.11/dist-packages/aider_chat-0.80.0.dist-info', '/usr/local/lib/python3.11/dist-packages', '0.80.0'),
        pkg('pip', 'aider-chat', '/usr/local/lib/python3.12/site-packages/aider_chat-0.79.0-py3.12.egg-info', '/usr/local/lib/python3.12/site-packages', '0.79.0'),
        pkg('deb', 'qoder', '/var/lib/dpkg/status', '/var/lib/dpkg', '0.2.14'),
        pkg('deb', 'ollama-helper', '/var/lib/dpkg/status', '/var/lib/dpkg', '1.0'),
        pkg('deb', 'kiro', '/var/lib/dpkg/status', '/var/lib/dpkg', '0.5.0'),
      ]),
    );
    expect(notes).toEqual([{ path: '/var/lib/rpm', message: 'rpm database not read (binary format): rpm packages are not reported' }]);
    // METADATA is read only for the folder names that do not say where the name ends.
    expect(calls.filter((call) => call.startsWith('read') && /dist-info|egg-info/.test(call))).toEqual(
      expect.arrayContaining([
        'read /usr/local/lib/python3.11/dist-packages/aider-install-0.1.3.dist-info/METADATA',
        'read /usr/local/lib/python3.11/dist-packages/aider-chat-0.81.0-py3.11.egg-info/PKG-INFO',
      ]),
    );
    expect(calls.filter((call) => call.startsWith('read') && /dist-info|egg-info/.test(call))).toHaveLength(2);
    // The status file was read in more than one chunk.
    expect(calls.filter((call) => call === 'read /var/lib/dpkg/status').length).toBeGreaterThan(1);
    // Homebrew: each prefix's Cellar and Caskroom looked at once; names are looked up only in one that exists
    // (here the Cellar of /home/linuxbrew/.linuxbrew; no Caskroom, no ~/.linuxbrew).
    expect(calls.filter((call) => /linuxbrew\/(Cellar|Caskroom)/.test(call)).sort()).toEqual([
      'readdir /home/linuxbrew/.linuxbrew/Cellar/aider',
      'readdir /home/linuxbrew/.linuxbrew/Cellar/opencode',
      'stat /home/ada/.linuxbrew/Caskroom',
      'stat /home/ada/.linuxbrew/Cellar',
      'stat /home/linuxbrew/.linuxbrew/Caskroom',
      'stat /home/linuxbrew/.linuxbrew/Cellar',
    ]);
  });

  it('reads only the start of a dpkg status file past the cap, and says so', async () => {
    const big = await makeTempDir();
    await makeTree(big, { 'var/lib/dpkg/status': 'Package: qoder\nStatus: install ok installed\nVersion: 0.2.14\n\n' });
    const file = await open(join(big, 'var/lib/dpkg/status'), 'r+');
    await file.truncate(65 * 1024 * 1024 + 1);
    await file.close();
    const { observations, notes } = await scan(createFixtureHost({ os: 'linux', root: big, home: '/home/ada' }), { deb: ['qoder'] });
    expect(observations).toEqual([pkg('deb', 'qoder', '/var/lib/dpkg/status', '/var/lib/dpkg', '0.2.14')]);
    expect(notes).toEqual([
      { path: '/var/lib/dpkg/status', message: 'larger than 64 MiB: only the start was read' },
      { path: '/var/lib/dpkg/status', message: 'a stanza longer than 1 MiB was skipped' },
    ]);
  });
});

describe('packages scanner on a macOS layout (fixture host)', () => {
  it('reads Homebrew Cellar and Caskroom, ~/Library pnpm, fnm and Python, and the native installers', async () => {
    const root = await makeTempDir();
    await cp(join(FIXTURES, 'macos'), root, { recursive: true });
    // node_modules cannot live in the committed fixture (ignored by git), so these are written here.
    await writePackageJson(join(root, 'opt/homebrew/lib/node_modules/@google/gemini-cli'), { name: '@google/gemini-cli', version: '0.61.0' });
    await writePackageJson(join(root, 'usr/local/lib/node_modules/@openai/codex'), { name: '@openai/codex', version: '0.169.0' });
    const pnpmStore = 'Users/ada/Library/pnpm/global/5/node_modules/.pnpm/@anthropic-ai+claude-code@2.1.197/node_modules/@anthropic-ai/claude-code';
    await writePackageJson(join(root, pnpmStore), { name: '@anthropic-ai/claude-code', version: '2.1.197' });
    await makeTree(root, {
      'Users/ada/Library/pnpm/global/5/node_modules/@anthropic-ai/claude-code': { symlink: '../.pnpm/@anthropic-ai+claude-code@2.1.197/node_modules/@anthropic-ai/claude-code' },
    });
    await writePackageJson(join(root, 'Users/ada/Library/Application Support/fnm/node-versions/v22.11.0/installation/lib/node_modules/@qwen-code/qwen-code'), {
      name: '@qwen-code/qwen-code',
      version: '0.15.10',
    });

    const host = createFixtureHost({ os: 'macos', root, home: '/Users/ada' });
    const { observations, notes } = await scan(host, {
      npm: NPM,
      pip: PIP,
      brew: ['aider', 'gemini-cli'],
      brewCask: ['claude-code', 'cursor', 'codex'],
      installPaths: ['~/.local/share/claude/versions/{version}', '~/.local/share/cursor-agent/versions/{version}', '%APPDATA%/Claude'],
    });
    const fnm = '/Users/ada/Library/Application Support/fnm/node-versions/v22.11.0/installation';
    expect(sorted(observations)).toEqual(
      sorted([
        pkg('npm', '@google/gemini-cli', '/opt/homebrew/lib/node_modules/@google/gemini-cli', '/opt/homebrew', '0.61.0'),
        pkg('npm', '@openai/codex', '/usr/local/lib/node_modules/@openai/codex', '/usr/local', '0.169.0'),
        pkg('pnpm', '@anthropic-ai/claude-code', '/Users/ada/Library/pnpm/global/5/node_modules/@anthropic-ai/claude-code', '/Users/ada/Library/pnpm/global/5', '2.1.197'),
        pkg('npm', '@qwen-code/qwen-code', `${fnm}/lib/node_modules/@qwen-code/qwen-code`, fnm, '0.15.10'),
        pkg('brew', 'aider', '/opt/homebrew/Cellar/aider/0.85.2_1', '/opt/homebrew', '0.85.2_1'),
        pkg('brew', 'aider', '/opt/homebrew/Cellar/aider/0.86.1', '/opt/homebrew', '0.86.1'),
        pkg('brew', 'gemini-cli', '/opt/homebrew/Cellar/gemini-cli/0.61.0', '/opt/homebrew', '0.61.0'),
        pkg('brew-cask', 'claude-code', '/opt/homebrew/Caskroom/claude-code/2.1.197', '/opt/homebrew', '2.1.197'),
        pkg('brew-cask', 'cursor', '/opt/homebrew/Caskroom/cursor/1.7.52', '/opt/homebrew', '1.7.52'),
        pkg('brew-cask', 'codex', '/usr/local/Caskroom/codex/0.169.0', '/usr/local', '0.169.0'),
        pkg(
          'pip',
          'aider-chat',
          '/Users/ada/Library/Python/3.12/lib/python/site-packages/aider_chat-0.86.1.dist-info',
          '/Users/ada/Library/Python/3.12/lib/python/site-packages',
          '0.86.1',
        ),
        pkg('pipx', 'aider-chat', '/Users/ada/.local/pipx/venvs/aider-chat', '/Users/ada/.local/pipx/venvs', '0.86.0'),
        pkg('native', '~/.local/share/claude/versions/{version}', '/Users/ada/.local/share/claude/versions/2.1.197', undefined, '2.1.197'),
        pkg(
          'native',
          '~/.local/share/cursor-agent/versions/{version}',
          '/Users/ada/.local/share/cursor-agent/versions/2025.11.06-8fe8a63',
          undefined,
          '2025.11.06-8fe8a63',
        ),
      ]),
    );
    expect(notes).toEqual([]);
  });
});

describe('packages scanner on a Windows layout (fixture host)', () => {
  it('reads %APPDATA%/npm, nvm-windows, %LOCALAPPDATA% pnpm, Yarn and npx, pipx, uv, Python, go and cargo', async () => {
    const root = await makeTempDir();
    await cp(join(FIXTURES, 'windows'), root, { recursive: true });
    const roaming = 'C/Users/ada/AppData/Roaming';
    const local = 'C/Users/ada/AppData/Local';
    await writePackageJson(join(root, roaming, 'npm/node_modules/@anthropic-ai/claude-code'), { name: '@anthropic-ai/claude-code', version: '2.1.197' });
    await writePackageJson(join(root, roaming, 'nvm/v20.11.0/node_modules/cline'), { name: 'cline', version: '3.0.65' });
    await writePackageJson(join(root, local, 'pnpm/global/5/node_modules/.pnpm/opencode-ai@1.18.33/node_modules/opencode-ai'), { name: 'opencode-ai', version: '1.18.33' });
    await writePackageJson(join(root, local, 'npm-cache/_npx/1a2b3c4d/node_modules/@google/gemini-cli'), { name: '@google/gemini-cli', version: '0.61.0' });
    await writePackageJson(join(root, local, 'Yarn/Data/global/node_modules/@qwen-code/qwen-code'), { name: '@qwen-code/qwen-code', version: '0.15.10' });
    await writePackageJson(join(root, 'D/tools/npm/node_modules/@openai/codex'), { name: '@openai/codex', version: '0.169.0' });
    await makeTree(root, {
      [`${local}/pnpm/global/5/node_modules/opencode-ai`]: { symlink: '.pnpm/opencode-ai@1.18.33/node_modules/opencode-ai' },
      [`${roaming}/nvm/settings.txt`]: 'root: C:\\Users\\ada\\AppData\\Roaming\\nvm\r\n',
      'C/Users/ada/.npmrc': 'prefix=D:\\tools\\npm\r\n',
    });

    const host = createFixtureHost({
      os: 'windows',
      root,
      home: 'C:\\Users\\ada',
      env: { AppData: 'C:\\Users\\ada\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local', Path: 'C:\\Windows\\System32' },
    });
    const { observations, notes } = await scan(host, {
      npm: NPM,
      pip: PIP,
      go: ['github.com/charmbracelet/crush'],
      cargo: ['aichat'],
      installPaths: ['~/.local/share/claude/versions/{version}'],
    });
    const appData = 'C:/Users/ada/AppData/Roaming';
    const localAppData = 'C:/Users/ada/AppData/Local';
    expect(sorted(observations)).toEqual(
      sorted([
        pkg('npm', '@anthropic-ai/claude-code', `${appData}/npm/node_modules/@anthropic-ai/claude-code`, `${appData}/npm`, '2.1.197'),
        pkg('npm', 'cline', `${appData}/nvm/v20.11.0/node_modules/cline`, `${appData}/nvm/v20.11.0`, '3.0.65'),
        pkg('npm', '@openai/codex', 'D:/tools/npm/node_modules/@openai/codex', 'D:/tools/npm', '0.169.0'),
        pkg('pnpm', 'opencode-ai', `${localAppData}/pnpm/global/5/node_modules/opencode-ai`, `${localAppData}/pnpm/global/5`, '1.18.33'),
        pkg('npx', '@google/gemini-cli', `${localAppData}/npm-cache/_npx/1a2b3c4d/node_modules/@google/gemini-cli`, `${localAppData}/npm-cache/_npx/1a2b3c4d`, '0.61.0'),
        pkg('yarn', '@qwen-code/qwen-code', `${localAppData}/Yarn/Data/global/node_modules/@qwen-code/qwen-code`, `${localAppData}/Yarn/Data/global`, '0.15.10'),
        pkg('pipx', 'aider-chat', 'C:/Users/ada/pipx/venvs/aider-chat', 'C:/Users/ada/pipx/venvs', '0.86.1'),
        pkg('uv', 'aider-install', `${appData}/uv/tools/aider-install`, `${appData}/uv/tools`, '0.2.0'),
        pkg(
          'pip',
          'aider-chat',
          `${appData}/Python/Python312/site-packages/aider_chat-0.85.0.dist-info`,
          `${appData}/Python/Python312/site-packages`,
          '0.85.0',
        ),
        pkg('go', 'github.com/charmbracelet/crush', 'C:/Users/ada/go/bin/crush.exe', 'C:/Users/ada/go/bin'),
        pkg('cargo', 'aichat', 'C:/Users/ada/.cargo/bin/aichat.exe', 'C:/Users/ada/.cargo', '0.30.0'),
        pkg('native', '~/.local/share/claude/versions/{version}', 'C:/Users/ada/.local/share/claude/versions/2.1.197', undefined, '2.1.197'),
      ]),
    );
    expect(notes).toEqual([]);
  });

  it('names the binary go install gives a module', () => {
    expect(goBinaryName('github.com/charmbracelet/crush')).toBe('crush');
    expect(goBinaryName('example.com/agent/v2')).toBe('agent');
    expect(goBinaryName('golang.org/x/tools/gopls@latest')).toBe('gopls');
  });
});

describe('packages scanner with nothing asked', () => {
  it('reads nothing at all', async () => {
    const calls: string[] = [];
    const host = recordingHost(createHost({ env: { HOME: await makeTempDir(), PATH: '' } }), calls);
    const { observations } = await scan(host, {});
    expect(observations).toEqual([]);
    expect(calls).toEqual([]);
  });
});
