import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'qwen-code',
  name: 'Qwen Code',
  vendor: 'Alibaba (Qwen)',
  homepage: 'https://github.com/QwenLM/qwen-code',
  category: 'agent-cli',
  description: 'Terminal coding agent for Qwen models, forked from Gemini CLI.',
  install: 'npm install -g @qwen-code/qwen-code',
  signatures: {
    executables: [{ name: 'qwen' }],
    // "TypeScript SDK for programmatic access to qwen-code CLI": bundles the CLI (dist/cli/cli.js) and spawns it
    // (npm pack @qwen-code/sdk; repository QwenLM/qwen-code).
    sdkPackages: { npm: ['@qwen-code/sdk'] },
    packages: { npm: ['@qwen-code/qwen-code'] },
    vscodeExtensions: ['qwenlm.qwen-code-vscode-ide-companion'],
    home: [{ path: '~/.qwen' }],
    repo: ['QWEN.md', '.qwen/', '.qwenignore'],
    env: [{ name: 'QWEN_CODE', value: '^1$' }, { name: 'QWEN_CODE_NO_RELAUNCH' }],
    commits: [
      { pattern: '^Co-authored-by:\\s*Qwen-Coder\\s*<qwen-coder@alibabacloud\\.com>' },
      { pattern: 'Generated with Qwen Code' },
    ],
    // V: ~/.qwen/settings.json seen here; a Gemini CLI fork with the same settings layout.
    mcpConfigs: [
      { path: '~/.qwen/settings.json', format: 'mcpServers' },
      { path: '.qwen/settings.json', format: 'mcpServers' },
    ],
  },
  remove: { npm: 'npm uninstall -g @qwen-code/qwen-code' },
  sources: ['research'],
};

export default tool;
