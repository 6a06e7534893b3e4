import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'opencode',
  name: 'opencode',
  vendor: 'SST (anomalyco)',
  homepage: 'https://opencode.ai',
  category: 'agent-cli',
  description: 'Open-source terminal coding agent with a TUI and a local server.',
  install: 'npm install -g opencode-ai',
  signatures: {
    executables: [{ name: 'opencode' }],
    processes: {
      names: ['opencode'],
      paths: [
        'node_modules/opencode-linux-*/**',
        'node_modules/opencode-darwin-*/**',
        'node_modules/opencode-windows-*/**',
        // K: target of the curl installer.
        '~/.opencode/bin/**',
      ],
    },
    packages: { npm: ['opencode-ai'], brew: ['opencode'] },
    installPaths: ['~/.opencode/bin'],
    vscodeExtensions: ['sst-dev.opencode', 'sst-dev.opencode-v2'],
    home: [
      { path: '$XDG_CONFIG_HOME/opencode' },
      { path: '$XDG_DATA_HOME/opencode' },
      { path: '$XDG_STATE_HOME/opencode' },
      { path: '$XDG_CACHE_HOME/opencode' },
    ],
    repo: ['opencode.json', 'opencode.jsonc', '.opencode/'],
    env: [
      { name: 'OPENCODE_PID' },
      // Kilo CLI (an opencode fork) sets OPENCODE=1 as well.
      { name: 'OPENCODE', value: '^1$', strength: 'weak' },
      { name: 'OPENCODE_TERMINAL', value: '^1$', strength: 'weak' },
    ],
  },
  remove: {
    npm: 'npm uninstall -g opencode-ai',
    brew: 'brew uninstall opencode',
    native: 'rm -rf ~/.opencode',
  },
  sources: ['research', 'https://github.com/Homebrew/homebrew-core/blob/master/Formula/o/opencode.rb'],
};

export default tool;
