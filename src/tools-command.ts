/** `aitool tools [id]`: the catalog, or one entry with its signatures and the policy's alternatives. */
import { CATALOG } from './catalog/index.js';
import type { ToolEntry } from './catalog/schema.js';
import { resolveAlternative, ruleFor } from './decide.js';
import { UserError } from './errors.js';
import { createHost } from './host.js';
import { closest } from './policy/suggest.js';
import type { Io } from './cli.js';
import { printable } from './report/escape.js';
import { policyFor } from './run.js';

interface ToolsOptions {
  id: string | undefined;
  format: string;
  policyFile?: string;
  io: Io;
}

// Custom tools come from policy files, a repository's among them: every value is shown through printable().
function listLines(title: string, values: readonly string[] | undefined): string[] {
  return values && values.length > 0 ? [`  ${title}:`, ...values.map((v) => `    ${printable(v)}`)] : [];
}

function describeTool(tool: ToolEntry): string[] {
  const s = tool.signatures;
  const apps = s.apps ?? {};
  return [
    ...listLines('executables', s.executables?.map((e) => (e.ambiguous ? `${e.name} (shared name: needs a proving path)` : e.name))),
    ...listLines('process names', s.processes?.names),
    ...listLines('process paths', s.processes?.paths),
    ...listLines('process command lines', s.processes?.args),
    ...listLines('npm packages', s.packages?.npm),
    ...listLines('pip packages', s.packages?.pip),
    ...listLines('Homebrew', [...(s.packages?.brew ?? []), ...(s.packages?.brewCask ?? []).map((c) => `${c} (cask)`)]),
    ...listLines('install folders', s.installPaths),
    ...listLines('SDKs that run it (repository dependencies)', [
      ...(s.sdkPackages?.npm ?? []).map((n) => `${n} (npm)`),
      ...(s.sdkPackages?.pip ?? []).map((n) => `${n} (PyPI)`),
      ...(s.sdkPackages?.go ?? []).map((n) => `${n} (Go)`),
    ]),
    ...listLines('VS Code extensions', s.vscodeExtensions),
    ...listLines('JetBrains plugins', s.jetbrainsPlugins),
    ...listLines('macOS apps', [...(apps.macos?.bundleNames ?? []), ...(apps.macos?.bundleIds ?? [])]),
    ...listLines('Windows apps', apps.windows?.paths),
    ...listLines('Linux apps', [...(apps.linux?.paths ?? []), ...(apps.linux?.desktopFiles ?? [])]),
    ...listLines('home folders and files', s.home?.map((h) => (h.os ? `${h.path} (${h.os.join(', ')})` : h.path))),
    ...listLines('repository files', s.repo),
    ...listLines('skills folders', s.skillFolders),
    ...listLines('browser extensions', [
      ...(s.browserExtensions?.chromium ?? []).map((id) => `${id} (Chromium family)`),
      ...(s.browserExtensions?.firefox ?? []).map((id) => `${id} (Firefox)`),
    ]),
    ...listLines('environment markers', s.env?.map((e) => `${e.name}${e.value ? ` =~ /${e.value}/` : ''}${e.strength === 'weak' ? ' (weak)' : ''}`)),
    ...listLines('commit markers', s.commits?.map((c) => `/${c.pattern}/i${c.in && c.in !== 'message' ? ` in ${c.in}` : ''}`)),
  ];
}

export async function toolsCommand(options: ToolsOptions): Promise<string> {
  const { io } = options;
  const policy = await policyFor(
    { cwd: io.cwd, env: io.env, ...(options.policyFile ? { policyFile: options.policyFile } : {}) },
    createHost({ env: io.env }),
  );
  const tools = [...CATALOG, ...policy.customTools];
  const byId = new Map(tools.map((t) => [t.id, t]));

  if (options.id === undefined) {
    const rows = tools.map((t) => ({ id: t.id, name: t.name, vendor: t.vendor, category: t.category, action: ruleFor(t, policy).action }));
    if (options.format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
    const shown = rows.map((r) => ({ ...r, id: printable(r.id), category: printable(r.category), name: printable(r.name), vendor: printable(r.vendor) }));
    const width = Math.max(...shown.map((r) => r.id.length));
    const catWidth = Math.max(...shown.map((r) => r.category.length));
    return `${shown.map((r) => `${r.id.padEnd(width)}  ${r.action.padEnd(5)}  ${r.category.padEnd(catWidth)}  ${r.name} (${r.vendor})`).join('\n')}\n`;
  }

  const tool = byId.get(options.id);
  if (!tool) {
    const guess = closest(options.id, [...byId.keys()]);
    throw new UserError(`unknown tool id '${options.id}'${guess ? ` (did you mean '${guess}'?)` : ''}; run "aitool tools" for the list`);
  }
  const rule = ruleFor(tool, policy);
  const alternatives = (rule.alternatives ?? []).flatMap((id) => resolveAlternative(id, policy, byId) ?? []);
  if (options.format === 'json') return `${JSON.stringify({ ...tool, policy: { ...rule, alternatives } }, null, 2)}\n`;
  return `${[
    `${printable(tool.name)} (${printable(tool.id)}) — ${printable(tool.category)} by ${printable(tool.vendor)}`,
    ...(tool.description ? [printable(tool.description)] : []),
    `homepage: ${printable(tool.homepage)}`,
    ...(tool.install ? [`install: ${printable(tool.install)}`] : []),
    '',
    `policy: ${rule.action}${rule.reason ? ` — ${printable(rule.reason)}` : ''}`,
    ...alternatives.map(
      (a) => `  use instead: ${printable(a.name)}${a.url ? ` — ${printable(a.url)}` : ''}${a.install ? ` — install: ${printable(a.install)}` : ''}`,
    ),
    '',
    'signatures:',
    ...describeTool(tool),
    ...(tool.sources && tool.sources.length > 0 ? ['', `sources: ${tool.sources.map(printable).join(', ')}`] : []),
  ].join('\n')}\n`;
}
