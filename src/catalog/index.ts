/**
 * The built-in catalog: one declarative entry per AI tool, each in tools/<id>.ts.
 * Adding a tool = one file there, one import and one row below (sorted by id), and a row
 * in the table test of test/catalog.test.ts.
 *
 * Only types come from schema.ts: this module is on the hot path and must not load zod.
 */
import type { ToolEntry } from './schema.js';

import agentInstructions from './tools/agent-instructions.js';
import aider from './tools/aider.js';
import amazonQ from './tools/amazon-q.js';
import amp from './tools/amp.js';
import augment from './tools/augment.js';
import chatgptSearch from './tools/chatgpt-search.js';
import claudeCode from './tools/claude-code.js';
import claudeDesktop from './tools/claude-desktop.js';
import claudeInChrome from './tools/claude-in-chrome.js';
import cline from './tools/cline.js';
import codebuddy from './tools/codebuddy.js';
import codex from './tools/codex.js';
import continueDev from './tools/continue.js';
import crush from './tools/crush.js';
import cursor from './tools/cursor.js';
import factoryDroid from './tools/factory-droid.js';
import geminiCli from './tools/gemini-cli.js';
import geminiCodeAssist from './tools/gemini-code-assist.js';
import githubCopilot from './tools/github-copilot.js';
import goose from './tools/goose.js';
import grokCli from './tools/grok-cli.js';
import harpaAi from './tools/harpa-ai.js';
import iflowCli from './tools/iflow-cli.js';
import jetbrainsAi from './tools/jetbrains-ai.js';
import jules from './tools/jules.js';
import kiloCode from './tools/kilo-code.js';
import kiro from './tools/kiro.js';
import lmStudio from './tools/lm-studio.js';
import maxai from './tools/maxai.js';
import merlin from './tools/merlin.js';
import monica from './tools/monica.js';
import ollama from './tools/ollama.js';
import opencode from './tools/opencode.js';
import perplexityCompanion from './tools/perplexity-companion.js';
import qoder from './tools/qoder.js';
import qwenCode from './tools/qwen-code.js';
import rooCode from './tools/roo-code.js';
import sider from './tools/sider.js';
import sourcegraphCody from './tools/sourcegraph-cody.js';
import tabnine from './tools/tabnine.js';
import tongyiLingma from './tools/tongyi-lingma.js';
import trae from './tools/trae.js';
import windsurf from './tools/windsurf.js';
import zedAi from './tools/zed-ai.js';
import { SKILL_FOLDERS } from './skill-folders.js';

/** An entry with the skills folders ./skill-folders.ts keeps for it (until they move into its own file). */
function withSkillFolders(entry: ToolEntry): ToolEntry {
  const folders = SKILL_FOLDERS[entry.id];
  if (!folders) return entry;
  const skillFolders = [...(entry.signatures.skillFolders ?? []), ...folders.filter((f) => !entry.signatures.skillFolders?.includes(f))];
  return { ...entry, signatures: { ...entry.signatures, skillFolders } };
}

/** Every built-in tool, sorted by id. */
export const CATALOG: readonly ToolEntry[] = Object.freeze(
  [
    agentInstructions,
    aider,
    amazonQ,
    amp,
    augment,
    chatgptSearch,
    claudeCode,
    claudeDesktop,
    claudeInChrome,
    cline,
    codebuddy,
    codex,
    continueDev,
    crush,
    cursor,
    factoryDroid,
    geminiCli,
    geminiCodeAssist,
    githubCopilot,
    goose,
    grokCli,
    harpaAi,
    iflowCli,
    jetbrainsAi,
    jules,
    kiloCode,
    kiro,
    lmStudio,
    maxai,
    merlin,
    monica,
    ollama,
    opencode,
    perplexityCompanion,
    qoder,
    qwenCode,
    rooCode,
    sider,
    sourcegraphCody,
    tabnine,
    tongyiLingma,
    trae,
    windsurf,
    zedAi,
  ].map(withSkillFolders),
);

const BY_ID: ReadonlyMap<string, ToolEntry> = new Map(CATALOG.map((tool) => [tool.id, tool]));

/** The built-in entry with this id, or undefined. */
export function findTool(id: string): ToolEntry | undefined {
  return BY_ID.get(id);
}
