import type { ToolEntry } from '../schema.js';

// Kimi Code CLI (TypeScript, npm) replaced the archived Python Kimi CLI; its first run migrates
// ~/.kimi into ~/.kimi-code. One entry covers both, since both are Moonshot's `kimi` agent.
const tool: ToolEntry = {
  id: 'kimi-code',
  name: 'Kimi Code',
  vendor: 'Moonshot AI',
  homepage: 'https://www.kimi.com/code/',
  category: 'agent-cli',
  description: "Moonshot AI's terminal coding agent (`kimi`), and the legacy Kimi CLI it replaced.",
  install: 'curl -fsSL https://code.kimi.com/kimi-code/install.sh | bash (or: npm install -g @moonshot-ai/kimi-code)',
  signatures: {
    // `kimi` is also the bin of the unrelated npm package `kimi-code` (a Claude Code wrapper):
    // only the install folder or the package proves it.
    executables: [{ name: 'kimi', ambiguous: true }],
    processes: {
      names: ['kimi'],
      ambiguousNames: ['kimi'],
      // T: the install script puts the executable in ~/.kimi-code/bin (Windows: %USERPROFILE%\.kimi-code\bin\kimi).
      paths: ['~/.kimi-code/bin/**'],
      // T: sessions are written under ~/.kimi-code/sessions/<workspace>/<session>/ (wire.jsonl).
      openFiles: ['~/.kimi-code/sessions/**'],
    },
    packages: {
      // npm view @moonshot-ai/kimi-code: bin { kimi }.
      npm: ['@moonshot-ai/kimi-code'],
      // The legacy Python CLI (PyPI kimi-cli, and kimi-code: "a legacy alias of kimi-cli").
      pip: ['kimi-cli', 'kimi-code'],
      // Homebrew/homebrew-core Formula/k/kimi-code.rb and kimi-cli.rb.
      brew: ['kimi-code', 'kimi-cli'],
    },
    installPaths: ['~/.kimi-code/bin'],
    home: [
      // D: config, sessions, logs and update cache live in ~/.kimi-code (KIMI_CODE_HOME moves it).
      { path: '~/.kimi-code' },
      // D: the legacy Kimi CLI's ~/.kimi/config.toml.
      { path: '~/.kimi' },
    ],
    mcpConfigs: [
      // D: user-level ~/.kimi-code/mcp.json and project-level .kimi-code/mcp.json, `mcpServers` map.
      { path: '~/.kimi-code/mcp.json', format: 'mcpServers' },
      { path: '.kimi-code/mcp.json', format: 'mcpServers' },
      // D: the legacy CLI's ~/.kimi/mcp.json.
      { path: '~/.kimi/mcp.json', format: 'mcpServers' },
    ],
  },
  remove: {
    npm: 'npm uninstall -g @moonshot-ai/kimi-code',
    pip: 'uv tool uninstall kimi-cli (the legacy CLI)',
    brew: 'brew uninstall kimi-code (legacy: brew uninstall kimi-cli)',
    native: 'rm -rf ~/.kimi-code/bin (sessions and config stay in ~/.kimi-code)',
  },
  sources: [
    'https://moonshotai.github.io/kimi-code/en/guides/getting-started',
    'https://moonshotai.github.io/kimi-code/en/customization/mcp',
    'https://moonshotai.github.io/kimi-cli/en/configuration/config-files.html',
    'https://www.kimi.com/code/docs/kimi-code-cli/customization/mcp.html',
    'https://pypi.org/project/kimi-cli/',
    'https://www.npmjs.com/package/@moonshot-ai/kimi-code',
  ],
};

export default tool;
