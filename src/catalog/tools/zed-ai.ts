import type { ToolEntry } from '../schema.js';

// Zed is an editor first; its agent panel is what the policy cares about. The terminal
// markers below are set in every Zed terminal, so they are weak.
const tool: ToolEntry = {
  id: 'zed-ai',
  name: 'Zed (AI agent)',
  vendor: 'Zed Industries',
  homepage: 'https://zed.dev/',
  category: 'ai-ide',
  description: 'Fast native code editor with a built-in agent panel and external-agent support.',
  install: 'https://zed.dev/download (Linux: curl -f https://zed.dev/install.sh | sh)',
  signatures: {
    executables: [
      // brimdata's zed data tool used the same name.
      { name: 'zed', ambiguous: true },
      // K: distribution package names.
      { name: 'zeditor' },
      { name: 'zed-editor' },
    ],
    processes: {
      names: ['zed', 'zed-editor'],
      ambiguousNames: ['zed'],
      paths: ['~/.local/zed.app/**', '/Applications/Zed.app/**', '/Applications/Zed Preview.app/**', '%LOCALAPPDATA%/Programs/Zed/**'],
    },
    // flatpak: T (Flathub id in many install scripts).
    packages: { brewCask: ['zed'], flatpak: ['dev.zed.Zed'] },
    installPaths: ['~/.local/zed.app'],
    // The agent panel (`agent`; `assistant` in older versions), LLM providers, external agents (ACP).
    zedSettings: ['agent', 'assistant', 'language_models', 'agent_servers'],
    apps: {
      macos: { bundleNames: ['Zed.app', 'Zed Preview.app'], bundleIds: ['dev.zed.Zed', 'dev.zed.Zed-Preview'] },
      // K
      windows: { paths: ['%LOCALAPPDATA%/Programs/Zed'], displayNames: ['Zed'] },
      // The install script copies the desktop file as ~/.local/share/applications/dev.zed.Zed.desktop (D); Flathub exports the same name (T).
      linux: { paths: ['~/.local/zed.app'], desktopFiles: ['dev.zed.Zed.desktop'] },
    },
    home: [
      { path: '~/.config/zed', os: ['linux', 'macos'] },
      { path: '~/Library/Application Support/Zed', os: ['macos'] },
      // K
      { path: '~/.local/share/zed', os: ['linux'] },
      { path: '%LOCALAPPDATA%/Zed', os: ['windows'] },
    ],
    repo: ['.rules', '.zed/'],
    env: [
      { name: 'ZED_TERM', value: '^true$', strength: 'weak' },
      { name: 'TERM_PROGRAM', value: '^zed$', strength: 'weak' },
    ],
    // D: Zed docs: user settings.json (XDG_CONFIG_HOME on Linux only), servers under context_servers.
    mcpConfigs: [
      { path: '$XDG_CONFIG_HOME/zed/settings.json', format: 'context_servers', os: ['linux'] },
      { path: '~/.config/zed/settings.json', format: 'context_servers', os: ['macos'] },
      { path: '%APPDATA%/Zed/settings.json', format: 'context_servers', os: ['windows'] },
    ],
  },
  remove: {
    app: 'run `zed --uninstall`, or delete Zed.app (macOS)',
    brew: 'brew uninstall --cask zed',
    native: 'rm -rf ~/.local/zed.app ~/.local/bin/zed',
  },
  sources: [
    'research',
    'https://zed.dev/docs/linux',
    'https://github.com/Homebrew/homebrew-cask/blob/master/Casks/z/zed.rb',
  ],
  native: {
    santa: {
      // The team signs the whole Zed editor, not only its AI features: a team-wide rule would take the editor.
      teamId: 'MQ55VZLNZQ',
      source: 'T https://github.com/Installomator/Installomator/blob/main/fragments/labels/zed.sh (expectedTeamID, which Installomator checks against the downloaded app\'s signature)',
    },
  },
};

export default tool;
