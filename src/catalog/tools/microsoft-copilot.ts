import type { ToolEntry } from '../schema.js';

// The consumer Copilot app, not GitHub Copilot. Its macOS bundle is called Copilot.app, as is
// the unrelated Copilot Money finance app's: only the bundle id and the sandbox container prove it.
const tool: ToolEntry = {
  id: 'microsoft-copilot',
  name: 'Microsoft Copilot app',
  vendor: 'Microsoft',
  homepage: 'https://copilot.microsoft.com/',
  category: 'desktop-app',
  description: "Microsoft's consumer Copilot assistant app (Windows Store package, Mac App Store app).",
  install: 'winget install --name "Microsoft Copilot" --source msstore (macOS: Mac App Store)',
  signatures: {
    processes: {
      // K: Store (MSIX) packages install under WindowsApps with the package family name.
      paths: ['%PROGRAMFILES%/WindowsApps/Microsoft.Copilot_*/**'],
    },
    apps: {
      // T: bundle id com.microsoft.copilot-mac (Mac App Store listing, observed installs).
      macos: { bundleIds: ['com.microsoft.copilot-mac'] },
    },
    home: [
      // T: the sandboxed app's container; the Store package's per-user data folder
      // (package family Microsoft.Copilot_8wekyb3d8bbwe, as winget and removal scripts name it).
      { path: '~/Library/Containers/com.microsoft.copilot-mac', os: ['macos'] },
      { path: '%LOCALAPPDATA%/Packages/Microsoft.Copilot_8wekyb3d8bbwe', os: ['windows'] },
    ],
  },
  remove: {
    app: 'winget uninstall --id Microsoft.Copilot_8wekyb3d8bbwe (Windows); delete Copilot.app (macOS)',
  },
  sources: [
    'https://github.com/step-security/dev-machine-guard/blob/main/SCAN_COVERAGE.md',
  ],
};

export default tool;
