// The real Gemini CLI (the npm package, at the version test/real-clis pins)
// obeys the system settings aitool writes. Each case runs `gemini -p` twice
// against a stand-in model server, identically but for the system settings,
// placed at /etc/gemini-cli/settings.json by the built `aitool apply` run as
// root (in a private mount namespace whose /etc and /var/lib are overlays, so
// the machine's own are never written); the file apply wrote is checked to be
// exactly what `aitool export gemini-cli` writes. The probe MCP server is
// configured in the user's own ~/.gemini/settings.json, as a person would.
//
// `-m gemini-2.5-flash` names a model so Gemini CLI does not first ask a
// routing model to grade the prompt (a JSON answer the stand-in does not give).
//
// What Gemini CLI 0.61.0 did, observed on Linux as root:
// - mcp.excluded [probe]: started, never started the server, did not offer
//   its tool (`mcp_probe_probe_ping`) to the model, exit 0, nothing about it
//   on stderr.
// - a policy blocking Gemini CLI, run with --yolo: refused to start before any
//   model request, exit 52: "YOLO mode is disabled by your administrator. ..."
//   (security.disableYoloMode). It also warned on every start:
//   "Warning: tools.exclude in settings.json is deprecated and will be removed
//   in 1.0. Migrate to Policy Engine: ...".
// - the same without --yolo: started, exit 0, and offered the model no tool at
//   all (tools.core []), no MCP server started; it still answered in chat.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runInEtcOverlay, type OverlayResult } from '../helpers/etc-overlay.js';
import { FINAL_TEXT, startModelServer, type ModelServer, type ScriptedCall } from '../helpers/model-server.js';
import { realClis, type RealClis } from '../helpers/real-clis.js';
import { makeTempDir } from '../helpers/temp.js';
import { afterTest, applySetup, BLOCK_PROBE_SERVER, cleanUpAfterTest, clisOrSkip, exportedFiles, markerLines, NODE_PATH, PROBE_MCP_SERVER } from './real-cli-world.js';

const SYSTEM_SETTINGS = '/etc/gemini-cli/settings.json';
const MCP_TOOL = 'mcp_probe_probe_ping';

beforeAll(() => realClis(), 300_000);
afterEach(cleanUpAfterTest);

interface GeminiRun {
  result: OverlayResult;
  server: ModelServer;
  cwd: string;
  marker: string;
}

/** Nothing under /etc (the control runs), or an `aitool apply` command that writes the files inside the namespace. */
type Placement = Record<string, never> | { setup: string[] };

/** `gemini -p` in a fresh HOME (API-key auth, the probe MCP server, the cwd trusted), the system settings placed by `placement`. */
async function runGemini(clis: RealClis, call: (cwd: string) => ScriptedCall, placement: Placement, flags: string[]): Promise<GeminiRun> {
  const home = await makeTempDir('aitool-gemini-home-');
  const cwd = await makeTempDir('aitool-gemini-cwd-');
  const marker = join(cwd, 'mcp-marker');
  mkdirSync(join(home, '.gemini'));
  writeFileSync(
    join(home, '.gemini', 'settings.json'),
    JSON.stringify({
      // A base URL alone makes Gemini CLI pick its "gateway" auth, which a non-interactive run refuses.
      security: { auth: { selectedType: 'gemini-api-key' } },
      mcpServers: { probe: { command: process.execPath, args: [PROBE_MCP_SERVER, marker] } },
    }),
  );
  // An untrusted folder turns --yolo back into the default approval mode.
  writeFileSync(join(home, '.gemini', 'trustedFolders.json'), JSON.stringify({ [cwd]: 'TRUST_FOLDER' }));
  const server = await startModelServer(call(cwd));
  try {
    const result = await runInEtcOverlay({
      ...('setup' in placement ? { setup: placement.setup as string[] } : {}),
      command: [clis.gemini, '-p', 'Do the task.', '-m', 'gemini-2.5-flash', ...flags],
      cwd,
      env: { PATH: NODE_PATH, HOME: home, TMPDIR: home, GEMINI_API_KEY: 'stand-in-key', GOOGLE_GEMINI_BASE_URL: server.baseUrl },
      timeoutMs: 60_000,
    });
    return { result, server, cwd, marker };
  } finally {
    await server.close();
  }
}

const hostFile = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);

describe('the real Gemini CLI obeys the exported system settings', () => {
  it('mcp.excluded: the server the policy blocks is not started and its tool is not offered', async (ctx) => {
    const clis = await clisOrSkip(ctx.skip);
    const policy = BLOCK_PROBE_SERVER;
    const { files } = await exportedFiles('gemini-cli', policy);
    const apply = applySetup('gemini-cli', policy);
    afterTest(apply.cleanup);
    expect(files).toEqual({ [SYSTEM_SETTINGS]: expect.any(String) });
    expect(JSON.parse(files[SYSTEM_SETTINGS]!)).toEqual({ mcp: { excluded: ['probe'] } });
    const hostBefore = hostFile(SYSTEM_SETTINGS);
    const call = () => ({ tool: MCP_TOOL, input: { note: 'from the model' } });

    const control = await runGemini(clis, call, {}, ['--yolo']);
    expect(control.result.exitCode, control.result.stderr).toBe(0);
    expect(markerLines(control.marker)).toEqual([expect.stringMatching(/^started \d+$/), 'called {"note":"from the model"}']);
    expect(control.server.offeredTools()).toContain(MCP_TOOL);
    expect(control.server.toolResults()).toEqual([expect.objectContaining({ name: MCP_TOOL, response: { output: expect.stringContaining('pong') } })]);

    const managed = await runGemini(clis, call, { setup: apply.setup }, ['--yolo']);
    expect(managed.result.setupOutput).toContain(`wrote ${SYSTEM_SETTINGS}`);
    expect(managed.result.etcFiles).toEqual(files);
    expect(managed.result.timedOut).toBe(false);
    expect(managed.result.exitCode, managed.result.stderr).toBe(0);
    expect(markerLines(managed.marker)).toEqual([]);
    // The model was asked, with the built-in tools but not the excluded server's.
    expect(managed.server.requests.length).toBeGreaterThan(0);
    expect(managed.server.offeredTools()).not.toContain(MCP_TOOL);
    expect(managed.server.offeredTools()).toContain('run_shell_command');
    expect(managed.result.stdout).toContain(FINAL_TEXT);
    expect(hostFile(SYSTEM_SETTINGS)).toBe(hostBefore);
  }, 120_000);

  describe('a policy that blocks Gemini CLI', () => {
    const BLOCK = `default: allow
tools:
  gemini-cli:
    action: block
    message: Use Acme Assistant.
`;
    const touch = (cwd: string): ScriptedCall => ({ tool: 'run_shell_command', input: { command: `touch ${join(cwd, 'shell-marker')}` } });

    it('control: with --yolo the scripted shell command runs and the MCP server starts', async (ctx) => {
      const clis = await clisOrSkip(ctx.skip);
      const control = await runGemini(clis, touch, {}, ['--yolo']);
      expect(control.result.exitCode, control.result.stderr).toBe(0);
      expect(existsSync(join(control.cwd, 'shell-marker'))).toBe(true);
      expect(markerLines(control.marker)).toEqual([expect.stringMatching(/^started \d+$/)]);
    }, 120_000);

    it('with the exported file, --yolo is refused before the model is asked (security.disableYoloMode)', async (ctx) => {
      const clis = await clisOrSkip(ctx.skip);
      const { files } = await exportedFiles('gemini-cli', BLOCK);
      const apply = applySetup('gemini-cli', BLOCK);
      afterTest(apply.cleanup);
      const managed = await runGemini(clis, touch, { setup: apply.setup }, ['--yolo']);
      expect(managed.result.etcFiles).toEqual(files);
      expect(managed.result.exitCode).toBe(52);
      expect(managed.result.stderr).toContain('YOLO mode is disabled by your administrator.');
      expect(managed.server.requests).toEqual([]);
      expect(existsSync(join(managed.cwd, 'shell-marker'))).toBe(false);
      expect(markerLines(managed.marker)).toEqual([]);
    }, 120_000);

    it('with the exported file and no --yolo, it starts but offers the model no tool and starts no MCP server', async (ctx) => {
      const clis = await clisOrSkip(ctx.skip);
      const { files } = await exportedFiles('gemini-cli', BLOCK);
      const apply = applySetup('gemini-cli', BLOCK);
      afterTest(apply.cleanup);
      const managed = await runGemini(clis, touch, { setup: apply.setup }, []);
      expect(managed.result.etcFiles).toEqual(files);
      expect(managed.result.exitCode, managed.result.stderr).toBe(0);
      expect(managed.server.requests.length).toBeGreaterThan(0);
      expect(managed.server.offeredTools()).toEqual([]);
      expect(existsSync(join(managed.cwd, 'shell-marker'))).toBe(false);
      expect(markerLines(managed.marker)).toEqual([]);
      expect(managed.result.stdout).toContain(FINAL_TEXT);
    }, 120_000);
  });
});
