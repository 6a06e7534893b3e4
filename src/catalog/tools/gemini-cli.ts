import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'gemini-cli',
  name: 'Gemini CLI',
  vendor: 'Google',
  homepage: 'https://github.com/google-gemini/gemini-cli',
  category: 'agent-cli',
  description: "Google's open-source terminal agent for Gemini models.",
  install: 'npm install -g @google/gemini-cli',
  signatures: {
    skillFolders: [
      // D: geminicli.com/docs/cli/using-agent-skills ("Discovery tiers").
      '~/.gemini/skills',
      '.gemini/skills',
    ],
    executables: [{ name: 'gemini' }],
    processes: {
      // Runs as two `node` processes; only the script path or the npm package proves it.
      args: ['gemini-shell-\\w+/bgpids\\.tmp'],
    },
    // The Gemini CLI's agent core as a library (repository google-gemini/gemini-cli, packages/core).
    sdkPackages: { npm: ['@google/gemini-cli-core'] },
    packages: {
      npm: ['@google/gemini-cli'],
      // K: Homebrew formula name from memory.
      brew: ['gemini-cli'],
    },
    vscodeExtensions: ['google.gemini-cli-vscode-ide-companion'],
    home: [{ path: '~/.gemini' }],
    repo: ['GEMINI.md', '.gemini/', '.geminiignore'],
    env: [{ name: 'GEMINI_CLI', value: '^1$' }, { name: 'GEMINI_CLI_NO_RELAUNCH' }],
    // D: Gemini CLI configuration docs (user and project settings.json).
    mcpConfigs: [
      { path: '~/.gemini/settings.json', format: 'mcpServers' },
      { path: '.gemini/settings.json', format: 'mcpServers' },
    ],
  },
  remove: {
    npm: 'npm uninstall -g @google/gemini-cli',
    brew: 'brew uninstall gemini-cli',
  },
  sources: ['research'],
};

export default tool;
