// The real Claude Code (the npm package, at the version test/real-clis pins)
// obeys the managed settings aitool writes. Each case runs `claude -p` twice
// against a stand-in model server, identically but for the managed files:
// without them the scripted tool call or MCP server works; with them, placed
// at /etc/claude-code/ by the built `aitool apply` run as root (in a private
// mount namespace whose /etc and /var/lib are overlays, so the machine's own
// are never written), Claude Code refuses. The files apply wrote are checked
// to be exactly what `aitool export claude-code` writes. Two cases edit the
// exported file to show what each later gate does alone.
//
// What Claude Code 2.1.332 did, observed on Linux as root:
// - deniedMcpServers [{serverName: probe}]: printed
//   "Warning: MCP server blocked by enterprise policy: probe" on stderr, never
//   started the server, did not offer its tool to the model, exit 0.
// - a policy blocking Claude Code: refused to start, before any model request,
//   exit 1: "Claude Code 2.1.332 is newer than the maximum version allowed by
//   your organization (0.0.0)." (requiredMaximumVersion 0.0.0).
// - the same file without requiredMaximumVersion (what a version predating the
//   version gate reads): refused to start, exit 1, because forceLoginOrgUUID []
//   admits no API-key session ("This machine's managed settings require a
//   first-party login ...").
// - without both: started in bypass mode (no error for the disabled mode),
//   and offered the model none of the denied built-in tools (no Bash), so the
//   scripted Bash call never happened. Before the catalog's list gained the
//   tools SchemaStore's pattern lacks, it still offered CronCreate, CronDelete,
//   CronList, EnterWorktree, ExitWorktree, ListAgents, ReportFindings,
//   ScheduleWakeup, SendMessage and Workflow; now it offers no tool at all.
// - native.claudeCode.requiredMinimumVersion 99.0.0: refused to start, exit 1:
//   "Claude Code 2.1.332 is older than the minimum version required by your
//   organization (99.0.0)."
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runInEtcOverlay, type OverlayResult } from '../helpers/etc-overlay.js';
import { startModelServer, FINAL_TEXT, type ModelServer, type ScriptedCall } from '../helpers/model-server.js';
import { realClis, type RealClis } from '../helpers/real-clis.js';
import { makeTempDir } from '../helpers/temp.js';
import { afterTest, applySetup, BLOCK_PROBE_SERVER, cleanUpAfterTest, clisOrSkip, exportedFiles, markerLines, NODE_PATH, PROBE_MCP_SERVER } from './real-cli-world.js';

const SETTINGS = '/etc/claude-code/managed-settings.json';
const MCP_TOOL = 'mcp__probe__probe_ping';

beforeAll(() => realClis(), 300_000);
afterEach(cleanUpAfterTest);

interface ClaudeRun {
  result: OverlayResult;
  server: ModelServer;
  cwd: string;
  marker: string;
}

/** Files given by path under /etc, or an `aitool apply` command that writes them inside the namespace. */
type Placement = Record<string, string> | { setup: string[] };

/** `claude -p` in bypass mode in a fresh HOME and cwd, with the probe MCP server configured, managed files placed under /etc. */
async function runClaude(clis: RealClis, call: ScriptedCall, placement: Placement): Promise<ClaudeRun> {
  const home = await makeTempDir('aitool-claude-home-');
  const cwd = await makeTempDir('aitool-claude-cwd-');
  const marker = join(cwd, 'mcp-marker');
  const mcpConfig = join(home, 'mcp.json');
  writeFileSync(mcpConfig, JSON.stringify({ mcpServers: { probe: { command: process.execPath, args: [PROBE_MCP_SERVER, marker] } } }));
  const server = await startModelServer(call);
  try {
    const result = await runInEtcOverlay({
      ...('setup' in placement ? { setup: placement.setup as string[] } : { files: placement as Record<string, string> }),
      command: [clis.claude, '-p', 'Do the task.', '--permission-mode', 'bypassPermissions', '--mcp-config', mcpConfig, '--output-format', 'json'],
      cwd,
      env: {
        PATH: NODE_PATH,
        HOME: home,
        CLAUDE_CONFIG_DIR: join(home, '.claude'),
        // Its scratch files stay in this run's folder, not the /tmp/claude-<uid> other sessions on the machine share.
        CLAUDE_CODE_TMPDIR: home,
        TMPDIR: home,
        ANTHROPIC_BASE_URL: server.baseUrl,
        ANTHROPIC_API_KEY: 'sk-ant-stand-in',
        // Root may use bypass mode only in a sandbox.
        IS_SANDBOX: '1',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        DISABLE_TELEMETRY: '1',
        DISABLE_AUTOUPDATER: '1',
        // Otherwise MCP tools are deferred behind ToolSearch and absent from the request's tool list.
        ENABLE_TOOL_SEARCH: 'false',
      },
      timeoutMs: 60_000,
    });
    return { result, server, cwd, marker };
  } finally {
    await server.close();
  }
}

function hostFile(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

describe('the real Claude Code obeys the exported managed-settings.json', () => {
  it('deniedMcpServers: the server the policy blocks is not started and its tool is not offered', async (ctx) => {
    const clis = await clisOrSkip(ctx.skip);
    const policy = BLOCK_PROBE_SERVER;
    const { files } = await exportedFiles('claude-code', policy);
    expect(JSON.parse(files[SETTINGS]!)).toEqual({ deniedMcpServers: [{ serverName: 'probe' }] });
    const apply = applySetup('claude-code', policy);
    afterTest(apply.cleanup);
    const hostBefore = hostFile(SETTINGS);
    const call = { tool: MCP_TOOL, input: { note: 'from the model' } };

    const control = await runClaude(clis, call, {});
    expect(control.result.exitCode, control.result.stderr).toBe(0);
    expect(markerLines(control.marker)).toEqual([expect.stringMatching(/^started \d+$/), 'called {"note":"from the model"}']);
    expect(control.server.offeredTools()).toContain(MCP_TOOL);
    expect(control.server.toolResults()).toEqual([expect.objectContaining({ content: [{ type: 'text', text: 'pong' }] })]);

    const managed = await runClaude(clis, call, { setup: apply.setup });
    expect(managed.result.setupOutput).toContain(`wrote ${SETTINGS}`);
    expect(managed.result.etcFiles).toEqual(files);
    expect(managed.result.timedOut).toBe(false);
    expect(managed.result.exitCode, managed.result.stderr).toBe(0);
    expect(managed.result.stderr).toContain('MCP server blocked by enterprise policy: probe');
    expect(markerLines(managed.marker)).toEqual([]);
    // The model was asked, so the run got past startup; it was never offered the tool.
    expect(managed.server.requests.length).toBeGreaterThan(0);
    expect(managed.server.offeredTools()).not.toContain(MCP_TOOL);
    expect(managed.server.offeredTools()).toContain('Bash');
    expect(JSON.parse(managed.result.stdout).result).toBe(FINAL_TEXT);
    expect(hostFile(SETTINGS)).toBe(hostBefore);
  }, 120_000);

  describe('a policy that blocks Claude Code', () => {
    const BLOCK = `default: allow
tools:
  claude-code:
    action: block
    message: Use Acme Assistant.
`;
    const touch = (cwd: string): ScriptedCall => ({ tool: 'Bash', input: { command: `touch ${join(cwd, 'bash-marker')}`, description: 'Touch the marker' } });

    it('control: in bypass mode the scripted Bash call runs', async (ctx) => {
      const clis = await clisOrSkip(ctx.skip);
      const cwdProbe = await makeTempDir('aitool-claude-probe-');
      const control = await runClaude(clis, touch(cwdProbe), {});
      expect(control.result.exitCode, control.result.stderr).toBe(0);
      expect(existsSync(join(cwdProbe, 'bash-marker'))).toBe(true);
      expect(control.server.offeredTools()).toContain('Bash');
    }, 120_000);

    it('with the exported files Claude Code refuses to start (requiredMaximumVersion 0.0.0), before asking the model anything', async (ctx) => {
      const clis = await clisOrSkip(ctx.skip);
      const { files } = await exportedFiles('claude-code', BLOCK);
      expect(Object.keys(files).sort()).toEqual(['/etc/claude-code/managed-mcp.json', SETTINGS]);
      const apply = applySetup('claude-code', BLOCK);
      afterTest(apply.cleanup);
      const cwdProbe = await makeTempDir('aitool-claude-probe-');
      const managed = await runClaude(clis, touch(cwdProbe), { setup: apply.setup });
      expect(managed.result.etcFiles).toEqual(files);
      expect(managed.result.exitCode).toBe(1);
      expect(managed.result.stderr).toContain(
        `Claude Code ${clis.versions.claudeCode} is newer than the maximum version allowed by your organization (0.0.0).`,
      );
      expect(managed.server.requests).toEqual([]);
      expect(existsSync(join(cwdProbe, 'bash-marker'))).toBe(false);
      expect(markerLines(managed.marker)).toEqual([]);
    }, 120_000);

    it('a version that ignored the version gate is still refused: forceLoginOrgUUID [] admits no API-key session', async (ctx) => {
      const clis = await clisOrSkip(ctx.skip);
      const { files } = await exportedFiles('claude-code', BLOCK);
      const settings = JSON.parse(files[SETTINGS]!);
      delete settings.requiredMaximumVersion;
      const cwdProbe = await makeTempDir('aitool-claude-probe-');
      const managed = await runClaude(clis, touch(cwdProbe), { ...files, [SETTINGS]: JSON.stringify(settings) });
      expect(managed.result.exitCode).toBe(1);
      expect(managed.result.stderr).toContain("This machine's managed settings require a first-party login");
      expect(managed.result.stderr).toContain('forceLoginOrgUUID');
      expect(managed.server.requests).toEqual([]);
      expect(existsSync(join(cwdProbe, 'bash-marker'))).toBe(false);
    }, 120_000);

    it('past both gates, the deny rules keep every denied tool from the model even in bypass mode', async (ctx) => {
      const clis = await clisOrSkip(ctx.skip);
      const { files } = await exportedFiles('claude-code', BLOCK);
      const settings = JSON.parse(files[SETTINGS]!);
      delete settings.requiredMaximumVersion;
      delete settings.forceLoginOrgUUID;
      const cwdProbe = await makeTempDir('aitool-claude-probe-');
      const managed = await runClaude(clis, touch(cwdProbe), { ...files, [SETTINGS]: JSON.stringify(settings) });
      expect(managed.result.exitCode, managed.result.stderr).toBe(0);
      expect(managed.server.requests.length).toBeGreaterThan(0);
      const offered = managed.server.offeredTools();
      for (const denied of settings.permissions.deny as string[]) expect(offered).not.toContain(denied);
      // The deny list covers every tool this version has: the model is offered none.
      expect(offered).toEqual([]);
      expect(existsSync(join(cwdProbe, 'bash-marker'))).toBe(false);
      // allowedMcpServers [] and managed-mcp.json's empty map: the --mcp-config server does not start either.
      expect(markerLines(managed.marker)).toEqual([]);
      expect(offered).not.toContain(MCP_TOOL);
    }, 120_000);
  });

  it('native.claudeCode.requiredMinimumVersion above the installed version: Claude Code refuses to start', async (ctx) => {
    const clis = await clisOrSkip(ctx.skip);
    const policy = `default: allow
native:
  claudeCode:
    requiredMinimumVersion: 99.0.0
`;
    const { files } = await exportedFiles('claude-code', policy, 'managed');
    expect(JSON.parse(files[SETTINGS]!)).toEqual({ requiredMinimumVersion: '99.0.0' });
    const apply = applySetup('claude-code', policy, 'managed');
    afterTest(apply.cleanup);
    const managed = await runClaude(clis, { tool: 'Bash', input: { command: 'true' } }, { setup: apply.setup });
    expect(managed.result.etcFiles).toEqual(files);
    expect(managed.result.exitCode).toBe(1);
    expect(managed.result.stderr).toContain(`Claude Code ${clis.versions.claudeCode} is older than the minimum version required by your organization (99.0.0).`);
    expect(managed.server.requests).toEqual([]);
  }, 120_000);
});
