import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'iflow-cli',
  name: 'iFlow CLI',
  vendor: 'iFlow',
  homepage: 'https://platform.iflow.cn/en/cli/quickstart',
  category: 'agent-cli',
  description: 'Terminal coding agent of the iFlow platform, derived from Gemini CLI.',
  install: 'npm install -g @iflow-ai/iflow-cli',
  signatures: {
    executables: [{ name: 'iflow' }],
    // The iFlow CLI SDKs start and drive the iflow process over ACP (https://platform.iflow.cn/en/cli/sdk/sdk-python:
    // "SDK automatically manages iFlow processes"; npm package from repository iflow-ai/iflow-cli).
    sdkPackages: { npm: ['@iflow-ai/iflow-cli-sdk'], pip: ['iflow-cli-sdk'] },
    packages: { npm: ['@iflow-ai/iflow-cli'] },
    home: [{ path: '~/.iflow' }],
    repo: ['IFLOW.md', '.iflow/'],
  },
  remove: { npm: 'npm uninstall -g @iflow-ai/iflow-cli' },
  sources: ['https://platform.iflow.cn/en/cli/quickstart', 'https://platform.iflow.cn/en/cli/configuration/settings'],
};

export default tool;
