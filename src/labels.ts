/** Words for the report formats: one place, so text, SARIF and exports say the same. */
import type { ToolCategory } from './catalog/schema.js';
import type { Action, Finding } from './types.js';
import type { TerminationAttempt } from './report/types.js';

/** How strict each action is: block > warn > allow. */
export const ACTION_RANK: Record<Action, number> = { allow: 0, warn: 1, block: 2 };

/** A verdict in the reports' own words (SARIF messages, the HTML reports' badges and cards). */
export const ACTION_LABEL: Record<Action, string> = { block: 'Blocked', warn: 'To review', allow: 'Allowed' };

/** What a finding counts as: its verdict, but no more than `warn` under a live exception (it is seen, it does not fail). */
export function effectiveAction(finding: Pick<Finding, 'action' | 'exception'>): Action {
  return finding.exception && finding.action === 'block' ? 'warn' : finding.action;
}

export const CATEGORY_LABEL: Record<ToolCategory, string> = {
  'agent-cli': 'agent CLI',
  'ai-ide': 'AI IDE',
  'editor-extension': 'editor extension',
  'jetbrains-plugin': 'JetBrains plugin',
  'desktop-app': 'desktop app',
  'local-model-runtime': 'local model runtime',
  'agent-instructions': 'agent instructions',
  'agent-sdk': 'agent SDK',
  'browser-extension': 'browser extension',
};

/** What became of a process aitool tried to stop, in words (text and HTML reports). */
export const TERMINATION_OUTCOME: Record<TerminationAttempt['outcome'], string> = {
  'would-stop': 'would stop (dry run)',
  stopped: 'stopped (SIGTERM)',
  killed: 'killed (SIGKILL after the grace period)',
  gone: 'already gone',
  refused: 'not stopped',
  failed: 'could not stop',
};
