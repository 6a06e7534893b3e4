import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'jan',
  name: 'Jan',
  vendor: 'Menlo Research (janhq)',
  homepage: 'https://jan.ai/',
  category: 'local-model-runtime',
  description: 'Desktop app that downloads and runs local language models, with an OpenAI-compatible local API.',
  install: 'https://jan.ai/download (macOS: brew install --cask jan)',
  signatures: {
    processes: {
      paths: ['/Applications/Jan.app/**', '~/Applications/Jan.app/**', '%LOCALAPPDATA%/Programs/Jan/**', 'Jan.AppImage', 'Jan_*.AppImage'],
    },
    packages: { brewCask: ['jan'] },
    apps: {
      // Homebrew cask jan: app "Jan.app"; its preferences are jan.ai.app.plist.
      macos: { bundleNames: ['Jan.app'], bundleIds: ['jan.ai.app'] },
      // K: per-user installer folder.
      windows: { paths: ['%LOCALAPPDATA%/Programs/Jan/Jan.exe'], displayNames: ['Jan'] },
      // Homebrew cask jan on Linux: Jan_<version>_amd64.AppImage, installed as Jan.AppImage.
      linux: { paths: ['Jan_*.AppImage', 'Jan.AppImage'] },
    },
    home: [
      // Homebrew cask jan's zap lists (macOS and Linux).
      { path: '~/Library/Application Support/Jan', os: ['macos'] },
      { path: '$XDG_CONFIG_HOME/Jan', os: ['linux'] },
      { path: '$XDG_DATA_HOME/Jan', os: ['linux'] },
      // K: Electron's default user-data folder.
      { path: '%APPDATA%/Jan', os: ['windows'] },
    ],
  },
  remove: {
    app: 'quit Jan, then delete Jan.app (macOS), uninstall Jan from Apps (Windows) or delete the AppImage (Linux)',
    brew: 'brew uninstall --cask jan',
  },
  sources: [
    'https://github.com/Homebrew/homebrew-cask/blob/master/Casks/j/jan.rb',
    'https://github.com/fleetdm/fleet/blob/main/orbit/pkg/table/ai_tools/internal/apps/apps.go',
  ],
};

export default tool;
