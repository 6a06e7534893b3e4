import { describe, expect, it } from 'vitest';
import type { ToolEntry } from '../src/catalog/schema.js';
import { compileCatalog, match } from '../src/match/index.js';
import type { ExecutableObservation, ProcessObservation, TraceObservation } from '../src/types.js';

// A small catalog in the shape of the real one, so each rule is visible in the table.
const tools: ToolEntry[] = [
  {
    id: 'claude-code', name: 'Claude Code', vendor: 'Anthropic', homepage: 'https://example.test', category: 'agent-cli',
    signatures: {
      executables: [{ name: 'claude' }],
      processes: { names: ['claude'], args: ['\\.claude/shell-snapshots/snapshot-'] },
      packages: { npm: ['@anthropic-ai/claude-code'] },
      installPaths: ['~/.local/share/claude/versions/{version}'],
      home: [{ path: '~/.claude' }, { path: '%APPDATA%/Claude', os: ['windows'] }],
    },
  },
  {
    id: 'amazon-q', name: 'Amazon Q', vendor: 'AWS', homepage: 'https://example.test', category: 'agent-cli',
    signatures: { executables: [{ name: 'q', ambiguous: true }], installPaths: ['~/.local/share/amazon-q/**'] },
  },
  {
    id: 'amp', name: 'Amp', vendor: 'Sourcegraph', homepage: 'https://example.test', category: 'agent-cli',
    signatures: { executables: [{ name: 'amp', ambiguous: true }], packages: { npm: ['@ampcode/cli', '@sourcegraph/amp'] } },
  },
  {
    id: 'codex', name: 'Codex', vendor: 'OpenAI', homepage: 'https://example.test', category: 'agent-cli',
    signatures: {
      executables: [{ name: 'codex' }],
      packages: { npm: ['@openai/codex'] },
      processes: { names: ['codex'], paths: ['~/.codex/packages/**'], args: ['\\bapp-server\\b.*--managed-daemon'] },
    },
  },
  {
    id: 'cline', name: 'Cline', vendor: 'Cline', homepage: 'https://example.test', category: 'agent-cli',
    signatures: { processes: { names: ['.cline'], args: ['--cline-hub-daemon'] }, executables: [{ name: 'cline' }] },
  },
  {
    id: 'aider', name: 'Aider', vendor: 'Aider', homepage: 'https://example.test', category: 'agent-cli',
    signatures: { executables: [{ name: 'aider' }], packages: { pip: ['aider-chat'] } },
  },
];

const catalog = compileCatalog(tools, { os: 'linux', home: '/home/ada', env: {} });

function proc(partial: Partial<ProcessObservation>): ProcessObservation {
  return { kind: 'process', pid: 100, ppid: 1, name: 'x', cmd: '', argv: [], packages: [], ancestors: [], ...partial };
}
function exe(partial: Partial<ExecutableObservation>): ExecutableObservation {
  return { kind: 'executable', name: 'x', path: '/usr/bin/x', realPath: '/usr/bin/x', packages: [], shadowed: false, ...partial };
}

type Row = [string, ProcessObservation | ExecutableObservation | TraceObservation, Array<[string, string]>];

const rows: Row[] = [
  ['native binary in its npm package', proc({ name: 'claude.exe', argv: ['claude', '-p'], exe: '/usr/lib/node_modules/@anthropic-ai/claude-code/bin/claude.exe' }), [['claude-code', 'confirmed']]],
  ['native installer version folder', proc({ name: 'claude', argv: ['claude'], exe: '/home/ada/.local/share/claude/versions/2.1.197' }), [['claude-code', 'confirmed']]],
  ['old cli.js Claude that renamed itself', proc({ name: 'claude', argv: ['claude'], exe: '/usr/bin/node' }), [['claude-code', 'name-only']]],
  ['node script through a PATH link', proc({ name: 'node', argv: ['node', '/usr/local/bin/codex', 'exec'], exe: '/usr/bin/node', scriptArg: '/usr/local/bin/codex', script: '/usr/local/lib/node_modules/@openai/codex/bin/codex.js' }), [['codex', 'confirmed']]],
  ['Node 24 main thread name', proc({ name: 'MainThread', argv: ['/x/node_modules/@openai/codex/vendor/codex'], exe: '/x/node_modules/@openai/codex/vendor/codex' }), [['codex', 'confirmed']]],
  ['codex daemon outside any package', proc({ name: 'codex', argv: ['/home/ada/.codex/packages/app-server-daemon/releases/1/bin/codex', 'app-server'], exe: '/home/ada/.codex/packages/app-server-daemon/releases/1/bin/codex' }), [['codex', 'confirmed']]],
  ['codex app-server by name and flag', proc({ name: 'codex', argv: ['/opt/x/codex', 'app-server', '--listen', 'unix://', '--managed-daemon'], exe: '/opt/x/codex' }), [['codex', 'confirmed']]],
  ['app-server of some other program', proc({ name: 'node', argv: ['node', 'app-server', '--listen'], exe: '/usr/bin/node' }), []],
  ['a shell an agent spawned', proc({ name: 'bash', argv: ['/bin/bash', '-c', 'source /home/ada/.claude/shell-snapshots/snapshot-bash-1.sh && eval ls'], exe: '/usr/bin/bash' }), [['claude-code', 'confirmed']]],
  ['cline hub daemon', proc({ name: '.cline', argv: ['/p/cline/bin/.cline', '--cline-hub-daemon'], exe: '/p/cline/bin/.cline' }), [['cline', 'confirmed']]],
  ['python console script in a pipx venv', proc({ name: 'aider', argv: ['python3', '/home/ada/.local/pipx/venvs/aider-chat/bin/aider'], exe: '/usr/bin/python3.11', script: '/home/ada/.local/pipx/venvs/aider-chat/bin/aider' }), [['aider', 'confirmed']]],
  ['python -m with the tool\'s module', proc({ name: 'python3', argv: ['python3', '-m', 'aider'], exe: '/usr/bin/python3.11', module: 'aider' }), [['aider', 'name-only']]],
  ['node with a script named like a tool but not in its package', proc({ name: 'node', argv: ['node', '-r', 'codex', '/srv/app.js'], exe: '/usr/bin/node', scriptArg: '/srv/app.js', script: '/srv/app.js' }), []],
  ['python console script elsewhere', proc({ name: 'aider', argv: ['python3', '/usr/local/bin/aider'], exe: '/usr/bin/python3.11', scriptArg: '/usr/local/bin/aider', script: '/usr/local/bin/aider' }), [['aider', 'name-only']]],
  ['a q that is not Amazon Q', proc({ name: 'q', argv: ['q', 'select'], exe: '/usr/bin/q' }), []],
  ['amp outside its package', proc({ name: 'amp', argv: ['amp'], exe: '/opt/amp/amp' }), []],
  ['amp inside its package', proc({ name: 'amp', argv: ['amp'], exe: '/usr/lib/node_modules/@ampcode/cli/bin/amp.exe' }), [['amp', 'confirmed']]],
  ['a project folder named codex', proc({ name: 'node', argv: ['node', '/home/ada/src/codex/server.js'], exe: '/usr/bin/node', script: '/home/ada/src/codex/server.js' }), []],
  ['executable linked into npm package', exe({ name: 'claude', path: '/usr/local/bin/claude', realPath: '/usr/local/lib/node_modules/@anthropic-ai/claude-code/bin/claude.exe', packages: [{ name: '@anthropic-ai/claude-code', version: '2.1.197', dir: '/usr/local/lib/node_modules/@anthropic-ai/claude-code' }] }), [['claude-code', 'confirmed']]],
  ['executable q in /usr/bin', exe({ name: 'q', path: '/usr/bin/q', realPath: '/usr/bin/q' }), []],
  ['executable claude of unknown origin', exe({ name: 'claude', path: '/opt/bin/claude', realPath: '/opt/bin/claude' }), [['claude-code', 'name-only']]],
  ['home trace', { kind: 'trace', path: '/home/ada/.claude', pattern: '~/.claude', isDirectory: true }, [['claude-code', 'confirmed']]],
];

describe('match', () => {
  it.each(rows)('%s', (_label, observation, expected) => {
    const found = match([observation], catalog).map((d) => [d.tool, d.confidence]);
    expect(found).toEqual(expected);
  });

  it('reads the version from the package the path proves, or from the install folder', () => {
    const row = (label: string) => rows.find((r) => r[0] === label)![1];
    const [fromPackage] = match([row('executable linked into npm package')], catalog);
    expect(fromPackage?.evidence).toMatchObject({ version: '2.1.197', package: '@anthropic-ai/claude-code', installMethod: 'npm' });
    const [fromFolder] = match([row('native installer version folder')], catalog);
    expect(fromFolder?.evidence).toMatchObject({ version: '2.1.197', installMethod: 'native' });
  });

  it('asks the scanners only for names and home paths that apply to this OS', () => {
    expect([...catalog.probes.executableNames].sort()).toEqual(['aider', 'amp', 'claude', 'cline', 'codex', 'q']);
    expect(catalog.probes.homePaths).toEqual(['~/.claude']);
  });
});
