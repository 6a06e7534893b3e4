/**
 * The built-in catalog's entries, one per file in tools/<id>.ts. Adding a
 * tool = one file there, one import and one row below (sorted by id), and a
 * row in the table test of test/catalog.test.ts.
 *
 * The build ships this list as one JSON text (scripts/build.mjs,
 * catalogAsJson): V8 parses JSON faster than it runs the object literals,
 * and a string is a small part of the code cache. So every entry must be
 * plain JSON data; the build refuses one that is not.
 */
import type { ToolEntry } from './schema.js';

import agentInstructions from './tools/agent-instructions.js';
import aider from './tools/aider.js';
import amazonQ from './tools/amazon-q.js';
import amp from './tools/amp.js';
import antigravity from './tools/antigravity.js';
import anythingllm from './tools/anythingllm.js';
import augment from './tools/augment.js';
import blackbox from './tools/blackbox.js';
import chatgptDesktop from './tools/chatgpt-desktop.js';
import chatgptSearch from './tools/chatgpt-search.js';
import claudeCode from './tools/claude-code.js';
import claudeDesktop from './tools/claude-desktop.js';
import claudeInChrome from './tools/claude-in-chrome.js';
import cline from './tools/cline.js';
import codebuddy from './tools/codebuddy.js';
import codegpt from './tools/codegpt.js';
import codex from './tools/codex.js';
import continueDev from './tools/continue.js';
import crush from './tools/crush.js';
import cursor from './tools/cursor.js';
import factoryDroid from './tools/factory-droid.js';
import geminiCli from './tools/gemini-cli.js';
import geminiCodeAssist from './tools/gemini-code-assist.js';
import githubCopilot from './tools/github-copilot.js';
import goose from './tools/goose.js';
import gptEngineer from './tools/gpt-engineer.js';
import gpt4all from './tools/gpt4all.js';
import grokBuild from './tools/grok-build.js';
import grokCli from './tools/grok-cli.js';
import hermesAgent from './tools/hermes-agent.js';
import harpaAi from './tools/harpa-ai.js';
import iflowCli from './tools/iflow-cli.js';
import jan from './tools/jan.js';
import jetbrainsAi from './tools/jetbrains-ai.js';
import jules from './tools/jules.js';
import kiloCode from './tools/kilo-code.js';
import kimiCode from './tools/kimi-code.js';
import kiro from './tools/kiro.js';
import lmStudio from './tools/lm-studio.js';
import localai from './tools/localai.js';
import microsoftAiShell from './tools/microsoft-ai-shell.js';
import microsoftCopilot from './tools/microsoft-copilot.js';
import maxai from './tools/maxai.js';
import merlin from './tools/merlin.js';
import monica from './tools/monica.js';
import msty from './tools/msty.js';
import museCode from './tools/muse-code.js';
import ollama from './tools/ollama.js';
import openInterpreter from './tools/open-interpreter.js';
import openclaw from './tools/openclaw.js';
import opencode from './tools/opencode.js';
import pi from './tools/pi.js';
import perplexityCompanion from './tools/perplexity-companion.js';
import qoder from './tools/qoder.js';
import qwenCode from './tools/qwen-code.js';
import rooCode from './tools/roo-code.js';
import sider from './tools/sider.js';
import sourcegraphCody from './tools/sourcegraph-cody.js';
import sourcery from './tools/sourcery.js';
import supermaven from './tools/supermaven.js';
import tabnine from './tools/tabnine.js';
import textGenerationWebui from './tools/text-generation-webui.js';
import tongyiLingma from './tools/tongyi-lingma.js';
import trae from './tools/trae.js';
import windsurf from './tools/windsurf.js';
import zedAi from './tools/zed-ai.js';

export const ENTRIES: readonly ToolEntry[] = [
  agentInstructions,
  aider,
  amazonQ,
  amp,
  antigravity,
  anythingllm,
  augment,
  blackbox,
  chatgptDesktop,
  chatgptSearch,
  claudeCode,
  claudeDesktop,
  claudeInChrome,
  cline,
  codebuddy,
  codegpt,
  codex,
  continueDev,
  crush,
  cursor,
  factoryDroid,
  geminiCli,
  geminiCodeAssist,
  githubCopilot,
  goose,
  gptEngineer,
  gpt4all,
  grokBuild,
  grokCli,
  harpaAi,
  hermesAgent,
  iflowCli,
  jan,
  jetbrainsAi,
  jules,
  kiloCode,
  kimiCode,
  kiro,
  lmStudio,
  localai,
  maxai,
  merlin,
  microsoftAiShell,
  microsoftCopilot,
  monica,
  msty,
  museCode,
  ollama,
  openInterpreter,
  openclaw,
  opencode,
  perplexityCompanion,
  pi,
  qoder,
  qwenCode,
  rooCode,
  sider,
  sourcegraphCody,
  sourcery,
  supermaven,
  tabnine,
  textGenerationWebui,
  tongyiLingma,
  trae,
  windsurf,
  zedAi,
];
