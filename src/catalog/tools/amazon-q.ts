import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'amazon-q',
  name: 'Amazon Q Developer',
  vendor: 'AWS',
  homepage: 'https://aws.amazon.com/q/developer/',
  category: 'editor-extension',
  description: "AWS's coding assistant for VS Code and JetBrains IDEs, with the (now unmaintained) Q CLI.",
  install: 'code --install-extension AmazonWebServices.amazon-q-vscode',
  signatures: {
    executables: [
      // `q` is far too short and common to count alone.
      { name: 'q', ambiguous: true },
      { name: 'qchat' },
      { name: 'qterm' },
    ],
    processes: {
      names: ['q', 'qchat', 'qterm'],
      ambiguousNames: ['q'],
      paths: ['/Applications/Amazon Q.app/**'],
    },
    packages: { brewCask: ['amazon-q'] },
    vscodeExtensions: ['AmazonWebServices.amazon-q-vscode'],
    jetbrainsPlugins: ['amazon.q'],
    // awslabs/amazonq.nvim; its README installs it under the name `amazonq`.
    vimPlugins: ['amazonq.nvim', 'amazonq'],
    apps: {
      macos: { bundleNames: ['Amazon Q.app'], bundleIds: ['com.amazon.codewhisperer'] },
    },
    home: [
      { path: '~/.aws/amazonq' },
      { path: '~/Library/Application Support/amazon-q', os: ['macos'] },
    ],
    repo: ['.amazonq/'],
    mcpConfigs: [
      // D: Amazon Q Developer CLI (1.9+) global and workspace mcp.json.
      { path: '~/.aws/amazonq/mcp.json', format: 'mcpServers' },
      { path: '.amazonq/mcp.json', format: 'mcpServers' },
      // D: AWS docs: the IDE plugins' default agent and the CLI's custom agents carry `mcpServers`.
      { path: '~/.aws/amazonq/agents/default.json', format: 'mcpServers' },
      { path: '~/.aws/amazonq/cli-agents/*.json', format: 'mcpServers' },
    ],
  },
  remove: {
    extension: 'code --uninstall-extension AmazonWebServices.amazon-q-vscode (JetBrains: uninstall "Amazon Q")',
    brew: 'brew uninstall --cask amazon-q',
    native: 'rm -f ~/.local/bin/q ~/.local/bin/qchat ~/.local/bin/qterm',
  },
  sources: ['research', 'https://github.com/Homebrew/homebrew-cask/blob/master/Casks/a/amazon-q.rb'],
  native: {
    santa: {
      // Amazon's team signs Kiro, the AWS CLI, Corretto, WorkSpaces and more (Installomator labels): never a team-wide rule.
      teamId: '94KV3E626L',
      source: 'T https://github.com/Installomator/Installomator/blob/main/fragments/labels/amazonq.sh (expectedTeamID, which Installomator checks against the downloaded app\'s signature)',
    },
  },
};

export default tool;
