import type { ToolEntry } from '../schema.js';

// Tongyi Lingma was renamed Qoder CN in 2026 (T); the extension and plugin ids kept their names.
const tool: ToolEntry = {
  id: 'tongyi-lingma',
  name: 'Tongyi Lingma',
  vendor: 'Alibaba Cloud',
  homepage: 'https://marketplace.visualstudio.com/items?itemName=Alibaba-Cloud.tongyi-lingma',
  category: 'editor-extension',
  description: "Alibaba Cloud's coding assistant for VS Code and JetBrains IDEs, with its own IDE build.",
  install: 'code --install-extension Alibaba-Cloud.tongyi-lingma',
  signatures: {
    processes: {
      // K: local service binary the plugins start.
      names: ['Lingma'],
      paths: ['~/.lingma/bin/**'],
    },
    // K
    installPaths: ['~/.lingma/bin/{version}'],
    vscodeExtensions: ['Alibaba-Cloud.tongyi-lingma'],
    jetbrainsPlugins: ['com.alibabacloud.intellij.cosy'],
    apps: {
      // T: Lingma IDE bundle id from a third-party list.
      macos: { bundleIds: ['com.aliyun.lingma.ide'] },
    },
    // K
    home: [{ path: '~/.lingma' }],
    repo: ['.lingma/'],
  },
  remove: {
    extension: 'code --uninstall-extension Alibaba-Cloud.tongyi-lingma (JetBrains: uninstall the plugin in Settings | Plugins)',
  },
  sources: ['research'],
};

export default tool;
