import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'maxai',
  name: 'MaxAI',
  vendor: 'MaxAI.me',
  homepage: 'https://www.maxai.me',
  category: 'browser-extension',
  description: 'AI sidebar for the browser: chat, page and video summaries, writing on any site.',
  install: 'https://chromewebstore.google.com/detail/maxai-ask-ai-anything-as/mhnlakgilnojmhinhkckjpncpbhabphi',
  signatures: {
    browserExtensions: {
      // D: the store page.
      chromium: ['mhnlakgilnojmhinhkckjpncpbhabphi'],
    },
  },
  sources: ['https://chromewebstore.google.com/detail/maxai-ask-ai-anything-as/mhnlakgilnojmhinhkckjpncpbhabphi'],
};

export default tool;
