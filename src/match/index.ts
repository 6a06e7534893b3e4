/**
 * Observations × catalog → detections. Pure: no I/O, so every rule is covered
 * by table tests (test/match.test.ts, test/match-installed.test.ts).
 */
import type { Detection, Observation } from '../types.js';
import type { CompiledCatalog } from './compile.js';
import {
  matchApp,
  matchBrowserExtension,
  matchConfigChange,
  matchExtension,
  matchMcpServer,
  matchPackage,
  matchSkill,
  matchTrace,
} from './installed.js';
import { matchAncestor, matchArtifact, matchCommit, matchEnv } from './commit.js';
import { matchDependency, matchSdkInstall } from './dependency.js';
import { dropGuesses } from './guesses.js';
import { matchExecutableAgainst, matchProcessAgainst } from './running.js';

export { compileCatalog, type CompiledCatalog, type CompiledTool, type ToolSource } from './compile.js';

/**
 * Matches every observation. A process or executable yields at most one
 * detection per tool; where some tool is confirmed, name-only guesses at other
 * tools are dropped, unless the confirmation is only a lower layer's custom
 * tool (see ./guesses.ts).
 */
export interface MatchOptions {
  /** Whether a tool's weak session markers count (the policy's `session.weakMarkers`); none by default. */
  countWeak?: (tool: string) => boolean;
}

export function match(observations: readonly Observation[], catalog: CompiledCatalog, options: MatchOptions = {}): Detection[] {
  const detections: Detection[] = [];
  const countWeak = options.countWeak ?? (() => false);
  for (const observation of observations) {
    switch (observation.kind) {
      case 'ancestor':
        detections.push(...matchAncestor(observation, catalog));
        break;
      case 'env':
        detections.push(...matchEnv(observation, catalog, countWeak));
        break;
      case 'artifact':
        detections.push(...matchArtifact(observation, catalog));
        break;
      case 'commit':
        detections.push(...matchCommit(observation, catalog));
        break;
      case 'dependency':
        detections.push(...matchDependency(observation, catalog));
        break;
      case 'sdk-install':
        detections.push(...matchSdkInstall(observation, catalog));
        break;
      case 'trace':
        detections.push(...matchTrace(observation, catalog));
        break;
      case 'package':
        detections.push(...matchPackage(observation, catalog));
        break;
      case 'extension':
        detections.push(...matchExtension(observation, catalog));
        break;
      case 'app':
        detections.push(...matchApp(observation, catalog));
        break;
      case 'mcp-server':
        detections.push(...matchMcpServer(observation, catalog));
        break;
      case 'config-change':
        detections.push(...matchConfigChange(observation, catalog));
        break;
      case 'skill':
        detections.push(...matchSkill(observation, catalog));
        break;
      case 'browser-extension':
        detections.push(...matchBrowserExtension(observation, catalog));
        break;
      case 'process':
      case 'executable': {
        const found = observation.kind === 'process' ? matchProcessAgainst(observation, catalog) : matchExecutableAgainst(observation, catalog);
        detections.push(...dropGuesses(found, catalog));
        break;
      }
    }
  }
  return detections;
}
