import type { ToolEntry } from '../schema.js';

// The Qoder IDE and Qoder CLI share one entry: the npm `qoder` bin is a dispatcher to either.
const tool: ToolEntry = {
  id: 'qoder',
  name: 'Qoder',
  vendor: 'Qoder (Alibaba)',
  homepage: 'https://qoder.com',
  category: 'ai-ide',
  description: 'Agentic coding IDE with a companion CLI (a Gemini CLI fork) and a JetBrains plugin.',
  install: 'https://qoder.com/download (CLI: npm install -g @qoder-ai/qodercli)',
  signatures: {
    executables: [{ name: 'qodercli' }, { name: 'qoder' }],
    processes: {
      names: ['qoder', 'Qoder'],
      paths: ['/usr/share/qoder/**', '/usr/share/qoder-ide/**', '~/.qoder/entry/**', '/Applications/Qoder.app/**', '/Applications/Qoder IDE.app/**'],
    },
    packages: {
      // @qodercn-ai/qoderclicn is the China-edition CLI (T: third-party dossier).
      npm: ['@qoder-ai/qodercli', '@qodercn-ai/qoderclicn'],
    },
    installPaths: ['/usr/share/qoder/**', '/usr/share/qoder-ide/**'],
    // T: JetBrains Marketplace id quoted in a third-party dossier.
    jetbrainsPlugins: ['com.qoder'],
    apps: {
      macos: { bundleNames: ['Qoder.app', 'Qoder IDE.app'] },
      // K: Windows install folder.
      windows: { paths: ['%LOCALAPPDATA%/Programs/Qoder'], displayNames: ['Qoder'] },
      linux: { paths: ['/usr/share/qoder/bin/qoder', '/usr/share/qoder-ide/bin/qoder'] },
    },
    home: [{ path: '~/.qoder' }, { path: '~/.qoder.json' }, { path: '~/.qoder-cn.json' }],
    repo: ['.qoder/', '.qoderignore', 'AGENTS.local.md'],
    env: [{ name: 'QODER_CLI', value: '^1$' }, { name: 'QODERCN_CLI', value: '^1$' }],
    // V: the npm postinstall appends a `# QODER_DISPATCHER_PATH v1` … `# END QODER_DISPATCHER_PATH v1` block.
    fileMarkers: [
      { path: '~/.bashrc', pattern: '^# QODER_DISPATCHER_PATH' },
      { path: '~/.profile', pattern: '^# QODER_DISPATCHER_PATH' },
      // V: the same postinstall writes this global git ignore. Weak alone (anyone may ignore
      // AGENTS.local.md), kept because the research saw it written by the same install.
      { path: '$XDG_CONFIG_HOME/git/ignore', pattern: '^AGENTS\\.local\\.md$' },
    ],
  },
  remove: {
    // The npm postinstall also appends a QODER_DISPATCHER_PATH block to ~/.bashrc and ~/.profile.
    npm: 'npm uninstall -g @qoder-ai/qodercli, then delete the QODER_DISPATCHER_PATH block from ~/.bashrc and ~/.profile',
    app: 'delete Qoder.app (macOS), uninstall Qoder from Apps (Windows) or remove the qoder package (Linux)',
  },
  sources: ['research', 'https://docs.qoder.com/'],
};

export default tool;
