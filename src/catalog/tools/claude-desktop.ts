import type { ToolEntry } from '../schema.js';

// Kept apart from claude-code: the desktop chat app and the coding agent are often ruled on
// separately. A Claude Code session hosted by the app still carries claude-code's markers
// (CLAUDE_CODE_ENTRYPOINT=claude-desktop), so it is reported as claude-code.
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
      paths: ['/Applications/Claude.app/**', '~/Applications/Claude.app/**', '%LOCALAPPDATA%/AnthropicClaude/**'],
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
    ],
    mcpConfigs: [
      // D: MCP quickstart for Claude Desktop.
      { path: '~/Library/Application Support/Claude/claude_desktop_config.json', format: 'mcpServers', os: ['macos'] },
      { path: '%APPDATA%/Claude/claude_desktop_config.json', format: 'mcpServers', os: ['windows'] },
      // T: the Microsoft Store (MSIX) build's redirected AppData.
      { path: '%LOCALAPPDATA%/Packages/Claude_*/LocalCache/Roaming/Claude/claude_desktop_config.json', format: 'mcpServers', os: ['windows'] },
      // T: there is no official Linux build; unofficial repackages keep Electron's default folder.
      { path: '$XDG_CONFIG_HOME/Claude/claude_desktop_config.json', format: 'mcpServers', os: ['linux'] },
    ],
  },
  remove: {
    app: 'Quit Claude, then delete Claude.app (macOS) or uninstall "Claude" from Apps (Windows)',
    brew: 'brew uninstall --cask claude',
  },
  sources: ['research', 'https://github.com/Homebrew/homebrew-cask/blob/master/Casks/c/claude.rb'],
};

export default tool;
