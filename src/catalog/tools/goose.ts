import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'goose',
  name: 'goose',
  vendor: 'Block',
  homepage: 'https://block.github.io/goose/',
  category: 'agent-cli',
  description: 'Open-source extensible AI agent from Block, as a CLI and a desktop app.',
  install: 'brew install block-goose-cli (desktop: brew install --cask block-goose)',
  signatures: {
    executables: [
      // pressly/goose (database migrations) installs `goose` too.
      { name: 'goose', ambiguous: true },
      // K: server used by the desktop app.
      { name: 'goosed' },
    ],
    processes: {
      names: ['goose', 'goosed'],
      ambiguousNames: ['goose'],
      paths: ['/Applications/Goose.app/**', '%LOCALAPPDATA%/Programs/Goose/**'],
    },
    packages: { brew: ['block-goose-cli'], brewCask: ['block-goose'] },
    apps: {
      macos: { bundleNames: ['Goose.app'] },
      // K
      windows: { paths: ['%LOCALAPPDATA%/Programs/Goose'], displayNames: ['Goose'] },
    },
    home: [
      // goose uses ~/.config on macOS as well.
      { path: '~/.config/goose', os: ['linux', 'macos'] },
      { path: '%APPDATA%/Block/goose', os: ['windows'] },
      // K
      { path: '~/.local/share/goose', os: ['linux', 'macos'] },
      { path: '~/.local/state/goose', os: ['linux', 'macos'] },
      { path: '~/Library/Application Support/Goose', os: ['macos'] },
    ],
    repo: ['.goosehints'],
    env: [
      { name: 'GOOSE_TERMINAL', value: '^1$' },
      { name: 'AGENT', value: '^goose$' },
    ],
  },
  remove: {
    brew: 'brew uninstall block-goose-cli (desktop: brew uninstall --cask block-goose)',
    native: 'rm -f ~/.local/bin/goose',
    app: 'quit Goose, then delete Goose.app (macOS) or uninstall Goose from Apps (Windows)',
  },
  sources: [
    'research',
    'https://block.github.io/goose/docs/guides/config-files',
    'https://github.com/Homebrew/homebrew-core/blob/master/Formula/b/block-goose-cli.rb',
    'https://github.com/Homebrew/homebrew-cask/blob/master/Casks/b/block-goose.rb',
  ],
  native: {
    santa: {
      // Block's team: the vendor has other products, so never a team-wide rule.
      teamId: 'W2L75AE9HQ',
      source: 'T https://github.com/Installomator/Installomator/blob/main/fragments/labels/goose.sh (expectedTeamID, which Installomator checks against the downloaded app\'s signature)',
    },
  },
};

export default tool;
