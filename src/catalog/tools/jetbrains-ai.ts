import type { ToolEntry } from '../schema.js';

// AI Assistant and the Junie agent (plugin and CLI) in one entry.
const tool: ToolEntry = {
  id: 'jetbrains-ai',
  name: 'JetBrains AI Assistant / Junie',
  vendor: 'JetBrains',
  homepage: 'https://www.jetbrains.com/ai/',
  category: 'jetbrains-plugin',
  description: "JetBrains' AI Assistant plugin and its Junie coding agent, in the IDE and as a CLI.",
  install: 'Settings | Plugins | Marketplace: "AI Assistant" or "Junie" (CLI: npm install -g @jetbrains/junie)',
  signatures: {
    executables: [{ name: 'junie' }],
    processes: {
      // ~/.local/bin/junie is a shim that execs the downloaded release.
      names: ['junie'],
      paths: ['~/.local/share/junie/**'],
    },
    packages: { npm: ['@jetbrains/junie'] },
    installPaths: ['~/.local/share/junie/versions/{version}'],
    jetbrainsPlugins: ['com.intellij.ml.llm', 'org.jetbrains.junie'],
    home: [
      { path: '~/.local/share/junie' },
      // T
      { path: '~/.junie' },
    ],
    // .aiassistant/ and .aiignore are K.
    repo: ['.junie/', '.aiassistant/', '.aiignore'],
    // T: std-env's agent table (the Junie CLI's shells).
    env: [{ name: 'JUNIE_DATA' }, { name: 'JUNIE_SHIM_PATH' }],
  },
  remove: {
    npm: 'npm uninstall -g @jetbrains/junie && rm -rf ~/.local/share/junie ~/.local/bin/junie',
    extension: 'Settings | Plugins | Installed: uninstall "AI Assistant" and "Junie"',
  },
  sources: ['research'],
};

export default tool;
