import type { ToolEntry } from '../schema.js';

// Kept apart from claude-code: the desktop chat app and the coding agent are often ruled on
// separately. A Claude Code session hosted by the app still carries claude-code's markers
// (CLAUDE_CODE_ENTRYPOINT=claude-desktop), so it is reported as claude-code. Cowork (the app's
// local agent mode, 0.7+) is part of this entry: its session folders below are the evidence it was used.
const tool: ToolEntry = {
  id: 'claude-desktop',
  name: 'Claude Desktop',
  vendor: 'Anthropic',
  homepage: 'https://claude.com/download',
  category: 'desktop-app',
  description: "Anthropic's desktop chat app, which can also host Claude Code sessions and MCP servers.",
  install: 'https://claude.com/download (macOS: brew install --cask claude)',
  signatures: {
    processes: {
      paths: [
        '/Applications/Claude.app/**',
        '~/Applications/Claude.app/**',
        '%LOCALAPPDATA%/AnthropicClaude/**',
        // T: StepSecurity agent.go (Claude Cowork on Windows).
        '%LOCALAPPDATA%/Programs/Claude/**',
      ],
    },
    packages: { brewCask: ['claude'] },
    apps: {
      macos: { bundleNames: ['Claude.app'], bundleIds: ['com.anthropic.claudefordesktop'] },
      // K: install folder of the Squirrel installer, not confirmed here.
      windows: { paths: ['%LOCALAPPDATA%/AnthropicClaude/claude.exe'], displayNames: ['Claude'] },
    },
    home: [
      { path: '~/Library/Application Support/Claude', os: ['macos'] },
      { path: '~/Library/Logs/Claude', os: ['macos'] },
      { path: '%APPDATA%/Claude', os: ['windows'] },
      // D: Cowork data storage docs; T: Cowork session-format write-ups. Cowork conversations
      // (local_<uuid>.json, transcripts, audit.jsonl) live in local-agent-mode-sessions.
      { path: '~/Library/Application Support/Claude/local-agent-mode-sessions', os: ['macos'] },
      { path: '%APPDATA%/Claude/local-agent-mode-sessions', os: ['windows'] },
      // T: the Microsoft Store build's redirected AppData.
      { path: '%LOCALAPPDATA%/Packages/Claude_pzs8sxrjxfjjc/LocalCache/Roaming/Claude/local-agent-mode-sessions', os: ['windows'] },
      // D: Cowork on third-party platforms keeps a separate Claude-3p folder.
      { path: '~/Library/Application Support/Claude-3p', os: ['macos'] },
      { path: '~/Library/Logs/Claude-3p', os: ['macos'] },
      { path: '%APPDATA%/Claude-3p', os: ['windows'] },
    ],
    mcpConfigs: [
      // D: MCP quickstart for Claude Desktop.
      { path: '~/Library/Application Support/Claude/claude_desktop_config.json', format: 'mcpServers', os: ['macos'] },
      { path: '%APPDATA%/Claude/claude_desktop_config.json', format: 'mcpServers', os: ['windows'] },
      // T: the Microsoft Store (MSIX) build's redirected AppData.
      { path: '%LOCALAPPDATA%/Packages/Claude_*/LocalCache/Roaming/Claude/claude_desktop_config.json', format: 'mcpServers', os: ['windows'] },
      // T: there is no official Linux build; unofficial repackages keep Electron's default folder.
      { path: '$XDG_CONFIG_HOME/Claude/claude_desktop_config.json', format: 'mcpServers', os: ['linux'] },
      // D: Cowork on third-party platforms (claude.com/docs/cowork/3p/data-storage).
      { path: '~/Library/Application Support/Claude-3p/claude_desktop_config.json', format: 'mcpServers', os: ['macos'] },
      { path: '%APPDATA%/Claude-3p/claude_desktop_config.json', format: 'mcpServers', os: ['windows'] },
    ],
  },
  remove: {
    app: 'Quit Claude, then delete Claude.app (macOS) or uninstall "Claude" from Apps (Windows)',
    brew: 'brew uninstall --cask claude',
  },
  sources: [
    'research',
    'https://github.com/Homebrew/homebrew-cask/blob/master/Casks/c/claude.rb',
    'https://claude.com/docs/cowork/3p/data-storage',
    'https://github.com/step-security/dev-machine-guard/blob/main/internal/detector/agent.go',
  ],
  native: {
    santa: {
      // Anthropic's team: it may sign the vendor's other products (Claude Code), so never a team-wide rule.
      teamId: 'Q6L2SF6YDW',
      source: 'T https://github.com/Installomator/Installomator/blob/main/fragments/labels/claudedesktop.sh (expectedTeamID, which Installomator checks against the downloaded app\'s signature)',
    },
  },
};

export default tool;
