import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'amp',
  name: 'Amp',
  vendor: 'Amp (Sourcegraph)',
  homepage: 'https://ampcode.com/',
  category: 'agent-cli',
  description: 'Coding agent for the terminal and VS Code-family editors.',
  install: 'npm install -g @ampcode/cli',
  signatures: {
    // `amp` is also a text editor and other tools.
    executables: [{ name: 'amp', ambiguous: true }],
    processes: {
      names: ['amp'],
      ambiguousNames: ['amp'],
      paths: ['node_modules/@ampcode/cli-*/**'],
    },
    // @sourcegraph/amp is the deprecated name; it depends on @ampcode/cli.
    // "TypeScript SDK for Amp CLI": spawns @sourcegraph/amp (npm pack; repository sourcegraph/amp).
    sdkPackages: { npm: ['@sourcegraph/amp-sdk'] },
    packages: { npm: ['@ampcode/cli', '@sourcegraph/amp'] },
    vscodeExtensions: ['sourcegraph.amp'],
    home: [{ path: '$XDG_CONFIG_HOME/amp' }, { path: '$XDG_DATA_HOME/amp' }, { path: '$XDG_CACHE_HOME/amp' }],
    repo: ['.amp/'],
    env: [
      { name: 'AGENT', value: '^amp$' },
      { name: 'AI_AGENT', value: '^amp$' },
      { name: 'AMP_CURRENT_THREAD_ID' },
      { name: 'AMP_THREAD_ID' },
      { name: 'AGENT_THREAD_ID', value: '^T-' },
    ],
    commits: [
      { pattern: '^Amp-Thread-ID:' },
      { pattern: '^Co-authored-by:\\s*Amp\\s*<amp@ampcode\\.com>' },
    ],
  },
  remove: {
    npm: 'npm uninstall -g @ampcode/cli @sourcegraph/amp',
    extension: 'code --uninstall-extension sourcegraph.amp',
  },
  sources: ['research'],
};

export default tool;
