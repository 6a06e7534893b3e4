import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'factory-droid',
  name: 'Factory Droid',
  vendor: 'Factory',
  homepage: 'https://factory.ai',
  category: 'agent-cli',
  description: "Factory's software-engineering agent for the terminal.",
  install: 'npm install -g @factory/cli',
  signatures: {
    // A short generic word; the npm package or platform folder must prove it.
    executables: [{ name: 'droid', ambiguous: true }],
    processes: {
      names: ['droid'],
      ambiguousNames: ['droid'],
      paths: ['node_modules/@factory/cli-*/**'],
      // The shell tool runs commands through this supervisor.
      args: ['\\bfactory-execute-supervisor\\b'],
    },
    packages: { npm: ['@factory/cli'] },
    home: [{ path: '~/.factory' }],
    repo: ['.factory/'],
    commits: [
      { pattern: '^Co-authored-by:\\s*factory-droid\\[bot\\]\\s*<138933559\\+factory-droid\\[bot\\]@users\\.noreply\\.github\\.com>' },
    ],
  },
  remove: { npm: 'npm uninstall -g @factory/cli' },
  sources: ['research'],
};

export default tool;
