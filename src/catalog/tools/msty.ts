import type { ToolEntry } from '../schema.js';

// Msty (the original app) and Msty Studio (its successor) are one product line from one vendor,
// with separate bundles and data folders; one entry covers both.
const tool: ToolEntry = {
  id: 'msty',
  name: 'Msty',
  vendor: 'CloudStack (Msty)',
  homepage: 'https://msty.ai/',
  category: 'local-model-runtime',
  description: 'Desktop app (Msty, Msty Studio) that runs local models through its bundled runtime and chats with online ones.',
  install: 'https://msty.ai/ (macOS: brew install --cask msty-studio)',
  signatures: {
    processes: {
      paths: [
        '/Applications/Msty.app/**',
        '/Applications/MstyStudio.app/**',
        '~/Applications/Msty.app/**',
        '~/Applications/MstyStudio.app/**',
        // K: electron-builder's per-user install folders.
        '%LOCALAPPDATA%/Programs/Msty/**',
        '%LOCALAPPDATA%/Programs/MstyStudio/**',
      ],
    },
    packages: { brewCask: ['msty', 'msty-studio'] },
    apps: {
      // Homebrew casks msty and msty-studio: `app` and `uninstall quit:` (the bundle ids).
      macos: { bundleNames: ['Msty.app', 'MstyStudio.app'], bundleIds: ['app.msty.app', 'com.MstyStudio.app'] },
      // K: electron-builder's per-user install folders.
      windows: {
        paths: ['%LOCALAPPDATA%/Programs/Msty/Msty.exe', '%LOCALAPPDATA%/Programs/MstyStudio/MstyStudio.exe'],
        displayNames: ['Msty', 'Msty Studio'],
      },
      // K: the AppImage names of the Linux downloads.
      linux: { paths: ['Msty*.AppImage', 'MstyStudio*.AppImage'] },
    },
    home: [
      // Homebrew casks' zap lists.
      { path: '~/Library/Application Support/Msty', os: ['macos'] },
      { path: '~/Library/Application Support/MstyStudio', os: ['macos'] },
      // K: Electron's default user-data folders.
      { path: '%APPDATA%/Msty', os: ['windows'] },
      { path: '%APPDATA%/MstyStudio', os: ['windows'] },
      { path: '$XDG_CONFIG_HOME/Msty', os: ['linux'] },
      { path: '$XDG_CONFIG_HOME/MstyStudio', os: ['linux'] },
    ],
  },
  remove: {
    app: 'quit Msty, then delete Msty.app / MstyStudio.app (macOS), uninstall it from Apps (Windows) or delete the AppImage (Linux)',
    brew: 'brew uninstall --cask msty msty-studio',
  },
  sources: [
    'https://github.com/Homebrew/homebrew-cask/blob/master/Casks/m/msty.rb',
    'https://github.com/Homebrew/homebrew-cask/blob/master/Casks/m/msty-studio.rb',
    'https://github.com/fleetdm/fleet/blob/main/orbit/pkg/table/ai_tools/internal/apps/apps.go',
  ],
};

export default tool;
