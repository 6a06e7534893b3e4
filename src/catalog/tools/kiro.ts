import type { ToolEntry } from '../schema.js';

// Kiro IDE and Kiro CLI (the successor of the Amazon Q Developer CLI).
const tool: ToolEntry = {
  id: 'kiro',
  name: 'Kiro',
  vendor: 'AWS',
  homepage: 'https://kiro.dev/',
  category: 'ai-ide',
  description: 'Spec-driven agentic IDE from AWS, with the Kiro CLI agent.',
  install: 'https://kiro.dev/downloads (CLI: curl -fsSL https://cli.kiro.dev/install | bash)',
  signatures: {
    executables: [{ name: 'kiro' }, { name: 'kiro-cli' }, { name: 'kiro-cli-chat' }, { name: 'kiro-cli-term' }],
    processes: {
      names: ['Kiro', 'kiro-cli', 'kiro-cli-chat', 'kiro-cli-term'],
      paths: ['/Applications/Kiro.app/**', '/Applications/Kiro CLI.app/**', '%LOCALAPPDATA%/Programs/Kiro/**'],
    },
    packages: { brewCask: ['kiro', 'kiro-cli'] },
    apps: {
      macos: { bundleNames: ['Kiro.app', 'Kiro CLI.app'], bundleIds: ['dev.kiro.desktop'] },
      // K
      windows: { paths: ['%LOCALAPPDATA%/Programs/Kiro'], displayNames: ['Kiro'] },
    },
    home: [
      { path: '~/.kiro' },
      { path: '~/Library/Application Support/Kiro', os: ['macos'] },
      { path: '~/Library/Application Support/kiro-cli', os: ['macos'] },
    ],
    repo: ['.kiro/'],
    // T: other detectors' lists.
    env: [
      { name: 'KIRO_AGENT_PATH' },
      // T: std-env's agent table. Kiro's integrated terminal sets it for people too, hence weak.
      { name: 'TERM_PROGRAM', value: '^kiro', strength: 'weak' },
    ],
    // D: Kiro MCP configuration docs (IDE and CLI share them).
    mcpConfigs: [
      { path: '~/.kiro/settings/mcp.json', format: 'mcpServers' },
      { path: '.kiro/settings/mcp.json', format: 'mcpServers' },
    ],
  },
  remove: {
    app: 'quit Kiro, then delete Kiro.app (macOS) or uninstall Kiro from Apps (Windows)',
    brew: 'brew uninstall --cask kiro kiro-cli',
    native: 'rm -f ~/.local/bin/kiro-cli ~/.local/bin/kiro-cli-chat ~/.local/bin/kiro-cli-term',
  },
  sources: [
    'research',
    'https://github.com/Homebrew/homebrew-cask/blob/master/Casks/k/kiro.rb',
    'https://github.com/Homebrew/homebrew-cask/blob/master/Casks/k/kiro-cli.rb',
  ],
  native: {
    santa: {
      // Amazon's team signs Amazon Q, the AWS CLI, Corretto, WorkSpaces and more (Installomator labels): never a team-wide rule.
      teamId: '94KV3E626L',
      source: 'T https://github.com/Installomator/Installomator/blob/main/fragments/labels/kiro.sh (expectedTeamID, which Installomator checks against the downloaded app\'s signature)',
    },
  },
};

export default tool;
