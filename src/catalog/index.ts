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
import claudeCode from './tools/claude-code.js';
import claudeDesktop from './tools/claude-desktop.js';
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
import iflowCli from './tools/iflow-cli.js';
import jetbrainsAi from './tools/jetbrains-ai.js';
import jules from './tools/jules.js';
import kiloCode from './tools/kilo-code.js';
import kiro from './tools/kiro.js';
import lmStudio from './tools/lm-studio.js';
import ollama from './tools/ollama.js';
import opencode from './tools/opencode.js';
import pi from './tools/pi.js';
import qoder from './tools/qoder.js';
import qwenCode from './tools/qwen-code.js';
import rooCode from './tools/roo-code.js';
import sourcegraphCody from './tools/sourcegraph-cody.js';
import tabnine from './tools/tabnine.js';
import tongyiLingma from './tools/tongyi-lingma.js';
import trae from './tools/trae.js';
import windsurf from './tools/windsurf.js';
import zedAi from './tools/zed-ai.js';

/** Every built-in tool, sorted by id. */
export const CATALOG: readonly ToolEntry[] = Object.freeze([
  agentInstructions,
  aider,
  amazonQ,
  amp,
  augment,
  claudeCode,
  claudeDesktop,
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
  iflowCli,
  jetbrainsAi,
  jules,
  kiloCode,
  kiro,
  lmStudio,
  ollama,
  opencode,
  pi,
  qoder,
  qwenCode,
  rooCode,
  sourcegraphCody,
  tabnine,
  tongyiLingma,
  trae,
  windsurf,
  zedAi,
]);

const BY_ID: ReadonlyMap<string, ToolEntry> = new Map(CATALOG.map((tool) => [tool.id, tool]));

/** The built-in entry with this id, or undefined. */
export function findTool(id: string): ToolEntry | undefined {
  return BY_ID.get(id);
}
