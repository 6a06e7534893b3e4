import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'chatgpt-search',
  name: 'ChatGPT search (browser extension)',
  vendor: 'OpenAI',
  homepage: 'https://chatgpt.com',
  category: 'browser-extension',
  description: "OpenAI's Chrome extension that makes ChatGPT the browser's search engine.",
  install: 'https://chromewebstore.google.com/detail/chatgpt-search/ejcfepkfckglbgocfkanmcdngdijcgld',
  signatures: {
    browserExtensions: {
      // D: the store page (publisher OpenAI).
      chromium: ['ejcfepkfckglbgocfkanmcdngdijcgld'],
    },
  },
  sources: ['https://chromewebstore.google.com/detail/chatgpt-search/ejcfepkfckglbgocfkanmcdngdijcgld'],
};

export default tool;
