import type { ToolEntry } from '../schema.js';

// One entry for the Copilot CLI, the editor extensions and the language server that
// non-VS Code editors spawn: an organisation licenses them together.
const tool: ToolEntry = {
  id: 'github-copilot',
  name: 'GitHub Copilot',
  vendor: 'GitHub',
  homepage: 'https://github.com/features/copilot',
  category: 'editor-extension',
  description: "GitHub's AI pair programmer: editor extensions, the Copilot CLI agent and a language server for other editors.",
  install: 'code --install-extension GitHub.copilot-chat (CLI: npm install -g @github/copilot)',
  signatures: {
    skillFolders: [
      // D: docs.github.com/en/copilot/how-tos/copilot-cli/customize-copilot/create-skills.
      '~/.copilot/skills',
      '.github/skills',
    ],
    executables: [
      // AWS Copilot (the ECS CLI) also installs a `copilot` binary.
      { name: 'copilot', ambiguous: true },
      { name: 'copilot-language-server' },
    ],
    processes: {
      // The CLI's native child shows comm=MainThread (embedded Node 24) and a helper whose argv is [copilot-runtime].
      names: ['copilot', 'copilot-runtime', 'copilot-language-server'],
      ambiguousNames: ['copilot'],
      paths: [
        'node_modules/@github/copilot-linux*/**',
        'node_modules/@github/copilot-darwin-*/**',
        'node_modules/@github/copilot-win32-*/**',
        'node_modules/@github/copilot-language-server-*/**',
        '~/.cache/copilot/pkg/**',
      ],
    },
    // The Copilot SDKs drive the Copilot CLI over JSON-RPC; the npm one ships it (copilot-runtime in
    // @github/copilot-sdk-<platform>, seen with npm pack), the Python one downloads a pinned runtime.
    // Names from https://github.com/github/copilot-sdk (README: npm, PyPI, Go module).
    sdkPackages: {
      npm: ['@github/copilot-sdk'],
      pip: ['github-copilot-sdk'],
      go: ['github.com/github/copilot-sdk/go'],
    },
    packages: {
      npm: ['@github/copilot', '@github/copilot-language-server'],
      brewCask: ['copilot-cli'],
      // K: WinGet id from memory.
      winget: ['GitHub.Copilot'],
    },
    installPaths: ['~/.cache/copilot/pkg/*/{version}'],
    vscodeExtensions: ['GitHub.copilot', 'GitHub.copilot-chat'],
    jetbrainsPlugins: ['com.github.copilot'],
    // copilot.lua (zbirenbaum) and CopilotChat.nvim are community plugins that sign in to Copilot; they need a Copilot seat.
    vimPlugins: ['copilot.vim', 'copilot.lua', 'CopilotChat.nvim'],
    home: [
      { path: '~/.copilot' },
      { path: '~/.cache/copilot' },
      // K: token store of the editor plugins.
      { path: '~/.config/github-copilot', os: ['linux', 'macos'] },
      { path: '%LOCALAPPDATA%/github-copilot', os: ['windows'] },
    ],
    repo: [
      '.github/copilot-instructions.md',
      '.github/instructions/**',
      '.github/copilot/',
      '.github/prompts/',
      '.github/chatmodes/',
    ],
    env: [
      { name: 'COPILOT_CLI', value: '^1$' },
      { name: 'COPILOT_AGENT_SESSION_ID' },
      { name: 'COPILOT_CLI_BINARY_VERSION' },
      // VS Code agent-mode terminals (microsoft/vscode PR #316267).
      { name: 'COPILOT_AGENT', value: '^1$' },
      // T: listed by other detectors (@vercel/detect-agent: `github-copilot`, `github-copilot-cli`).
      { name: 'AI_AGENT', value: '^github[-_]copilot' },
    ],
    commits: [
      { pattern: '^Co-authored-by:\\s*Copilot\\s*<223556219\\+Copilot@users\\.noreply\\.github\\.com>' },
      // T: commits of the cloud coding agent.
      { pattern: 'copilot-swe-agent\\[bot\\]', in: 'author' },
    ],
    mcpConfigs: [
      // D: VS Code MCP configuration reference. VS Code's MCP client is Copilot's agent mode:
      // the user mcp.json in the profile folder (default and named profiles), and the workspace file.
      { path: '$XDG_CONFIG_HOME/Code/User/mcp.json', format: 'servers', os: ['linux'] },
      { path: '$XDG_CONFIG_HOME/Code/User/profiles/*/mcp.json', format: 'servers', os: ['linux'] },
      { path: '$XDG_CONFIG_HOME/Code - Insiders/User/mcp.json', format: 'servers', os: ['linux'] },
      { path: '~/Library/Application Support/Code/User/mcp.json', format: 'servers', os: ['macos'] },
      { path: '~/Library/Application Support/Code/User/profiles/*/mcp.json', format: 'servers', os: ['macos'] },
      { path: '~/Library/Application Support/Code - Insiders/User/mcp.json', format: 'servers', os: ['macos'] },
      { path: '%APPDATA%/Code/User/mcp.json', format: 'servers', os: ['windows'] },
      { path: '%APPDATA%/Code/User/profiles/*/mcp.json', format: 'servers', os: ['windows'] },
      { path: '%APPDATA%/Code - Insiders/User/mcp.json', format: 'servers', os: ['windows'] },
      { path: '.vscode/mcp.json', format: 'servers' },
      // D: the same reference: Copilot CLI's user file ($COPILOT_HOME falls back to ~/.copilot).
      { path: '~/.copilot/mcp-config.json', format: 'mcpServers' },
    ],
  },
  remove: {
    npm: 'npm uninstall -g @github/copilot',
    brew: 'brew uninstall --cask copilot-cli',
    extension: 'code --uninstall-extension GitHub.copilot-chat && code --uninstall-extension GitHub.copilot',
  },
  sources: ['research', 'https://github.com/Homebrew/homebrew-cask/blob/master/Casks/c/copilot-cli.rb'],
  native: {
    // The Copilot CLI's file-based enterprise managed settings. GitHub's docs name a file-based source
    // but give no path for the CLI: these are the paths VS Code's Copilot reads.
    managedSettings: {
      linux: '/etc/github-copilot/managed-settings.json',
      macos: '/Library/Application Support/GitHubCopilot/managed-settings.json',
      windows: 'C:\\Program Files\\GitHubCopilot\\managed-settings.json',
      verified: false,
      source:
        'https://github.com/microsoft/vscode/pull/321870 (the paths VS Code\'s Copilot reads); D https://docs.github.com/en/copilot/reference/enterprise-administrators/enterprise-managed-settings names a file-based source without paths',
    },
  },
};

export default tool;
