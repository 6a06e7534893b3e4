import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'localai',
  name: 'LocalAI',
  vendor: 'LocalAI (open source)',
  homepage: 'https://localai.io/',
  category: 'local-model-runtime',
  description: 'Self-hosted, OpenAI-compatible server that runs language, image and audio models locally.',
  install: 'brew install localai (or curl https://localai.io/install.sh | sh)',
  signatures: {
    // Homebrew formula localai: `bin.install "local-ai"`.
    executables: [{ name: 'local-ai' }],
    // T: StepSecurity frameworks (process name local-ai).
    processes: { names: ['local-ai'] },
    packages: { brew: ['localai'] },
  },
  remove: { brew: 'brew uninstall localai' },
  sources: [
    'https://github.com/Homebrew/homebrew-core/blob/master/Formula/l/localai.rb',
    'https://github.com/step-security/dev-machine-guard/blob/main/internal/detector/framework.go',
  ],
};

export default tool;
