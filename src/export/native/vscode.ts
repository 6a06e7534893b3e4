/**
 * `aitool export vscode`: the policy as VS Code's own enterprise policies, in
 * the form each OS reads them (verified December 2026 against
 * code.visualstudio.com/docs/enterprise/policies and .../extensions, and the
 * sources they describe: microsoft/vscode allowedExtensionsService.ts,
 * filePolicyService.ts, build/lib/policies/render.ts and policyData.jsonc,
 * microsoft/vscode-policy-watcher src/windows/*Policy.cc):
 *
 * - `AllowedExtensions` (1.96+): a JSON object serialised as a string; keys
 *   are a publisher or `publisher.extension` (lower-cased by VS Code), values
 *   true, false, "stable" or a list of versions; the more specific key wins.
 *   An extension that no key names is refused unless `"*": true` is present,
 *   so a list of denials must carry `"*": true` or it blocks every other
 *   extension. Blocked extensions already installed are disabled.
 * - `ChatMCP` (1.99+, string: none | registry | all) and `ChatAgentMode`
 *   (1.99+, boolean).
 * - Linux: `/etc/vscode/policy.json` (1.106+), one key per policy name, values
 *   string / number / boolean. macOS: a configuration profile whose payload
 *   type is the app's bundle id, `com.microsoft.VSCode`. Windows: values under
 *   `Software\Policies\Microsoft\VSCode`, HKLM read before HKCU; strings as
 *   REG_SZ (REG_MULTI_SZ also read), booleans as REG_DWORD 0/1.
 */
import type { ToolEntry } from '../../catalog/schema.js';
import { ruleFor } from '../../decide.js';
import type { ResolvedPolicy } from '../../policy/types.js';
import type { NativeExport, NativeExporter, NativeFile } from './types.js';
import { configurationProfile, stableUuid, xmlEscape } from './xml.js';

/** The policies this export sets, by their VS Code policy names. */
export interface VscodePolicies {
  AllowedExtensions?: string;
  ChatMCP?: 'none';
  ChatAgentMode?: false;
}

/**
 * Publishers with extensions that are not AI tools (GitHub Pull Requests, the
 * AWS Toolkit, Google Cloud Code, Alibaba Cloud's toolkits, Sourcegraph search,
 * Microsoft's language support): a publisher-wide deny would take those too,
 * so these are never denied wholesale, whatever the policy says.
 */
const MULTI_PRODUCT_PUBLISHERS: ReadonlySet<string> = new Set([
  'microsoft',
  'ms-vscode',
  'ms-python',
  'github',
  'google',
  'amazonwebservices',
  'alibaba-cloud',
  'sourcegraph',
  'redhat',
  'openai',
]);

const publisherOf = (extensionId: string) => extensionId.slice(0, extensionId.indexOf('.')).toLowerCase();

interface ExtensionVerdicts {
  entries: Map<string, boolean>;
  cannotExpress: string[];
}

/**
 * Every catalog extension id with the policy's verdict: blocked → false,
 * allowed → true, warn → left out (VS Code has no "warn"). A category block
 * also denies a whole publisher, but only where every catalog id under that
 * publisher is blocked and the publisher is not known for other extensions:
 * a publisher deny also catches the vendor's next AI extension, and must never
 * catch something the organisation allows.
 */
function extensionVerdicts(tools: readonly ToolEntry[], policy: ResolvedPolicy): ExtensionVerdicts {
  const entries = new Map<string, boolean>();
  const cannotExpress: string[] = [];
  const blockedByPublisher = new Map<string, boolean>();
  const categoryBlockedPublishers = new Set<string>();
  for (const tool of tools) {
    const ids = tool.signatures.vscodeExtensions ?? [];
    if (ids.length === 0) continue;
    const rule = ruleFor(tool, policy);
    if (rule.action === 'warn') {
      cannotExpress.push(`${tool.id}: warn has no VS Code equivalent; its extensions (${ids.join(', ')}) stay allowed`);
    }
    for (const id of ids) {
      const key = id.toLowerCase();
      const publisher = publisherOf(key);
      const blocked = rule.action === 'block';
      blockedByPublisher.set(publisher, (blockedByPublisher.get(publisher) ?? true) && blocked);
      if (blocked && rule.key.startsWith('categories.')) categoryBlockedPublishers.add(publisher);
      // Two tools naming one id: the block wins.
      if (rule.action === 'warn' || entries.get(key) === false) continue;
      entries.set(key, !blocked);
    }
  }
  for (const publisher of [...categoryBlockedPublishers].sort()) {
    if (blockedByPublisher.get(publisher) === true && !MULTI_PRODUCT_PUBLISHERS.has(publisher)) entries.set(publisher, false);
  }
  return { entries, cannotExpress };
}

/** The JSON string VS Code parses; `"*": true` first so what no key names stays allowed. */
function allowedExtensionsValue(entries: ReadonlyMap<string, boolean>): string | undefined {
  if (entries.size === 0) return undefined;
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify(Object.fromEntries([['*', true], ...sorted]));
}

export function vscodePolicies(tools: readonly ToolEntry[], policy: ResolvedPolicy): { policies: VscodePolicies; cannotExpress: string[] } {
  const { entries, cannotExpress } = extensionVerdicts(tools, policy);
  const policies: VscodePolicies = {};
  const allowed = allowedExtensionsValue(entries);
  if (allowed) policies.AllowedExtensions = allowed;

  const mcpRules = Object.entries(policy.mcp.servers);
  const allowedServers = mcpRules.filter(([, rule]) => rule.action === 'allow').map(([id]) => id);
  if (policy.mcp.default === 'block' && allowedServers.length === 0) {
    policies.ChatMCP = 'none';
  } else if (policy.mcp.default === 'block') {
    cannotExpress.push(
      `mcp: default block with allowed servers (${allowedServers.join(', ')}): ChatMCP is all-or-nothing (none | registry | all), so it is not set`,
    );
  }
  const ruled = mcpRules.filter(([, rule]) => rule.action !== 'allow').map(([id]) => id);
  if (ruled.length > 0) cannotExpress.push(`mcp.servers (${ruled.join(', ')}): VS Code documents no per-server MCP policy`);

  // The organisation bans autonomous coding agents; VS Code's agent mode is one.
  if (policy.categories['agent-cli']?.action === 'block') policies.ChatAgentMode = false;

  cannotExpress.push(
    "messages and alternatives: VS Code says only that an extension is not in the allowed list",
    `default: ${policy.default} reaches only the catalog's extension ids; every other extension stays allowed ("*": true)`,
    ...forkLines(tools),
  );
  return { policies, cannotExpress };
}

/** Builds of VS Code that are not catalog tools and are not verified to read its policies either. */
const UNVERIFIED_BUILDS = ['VSCodium', 'Insiders'];

/** Which forks these files reach, from the catalog's native.vscodePolicy facts. */
function forkLines(tools: readonly ToolEntry[]): string[] {
  const honouring = (answer: 'yes' | 'unverified') => tools.filter((tool) => tool.native?.vscodePolicy?.honoured === answer).map((tool) => tool.name);
  const lines = [
    `forks (${[...honouring('unverified'), ...UNVERIFIED_BUILDS].join(', ')}): not verified to read com.microsoft.VSCode, Software\\Policies\\Microsoft\\VSCode or /etc/vscode/policy.json; these files are for VS Code`,
  ];
  const yes = honouring('yes');
  if (yes.length > 0) lines.push(`forks (${yes.join(', ')}): their docs say they read VS Code's policies, so these files apply to them too`);
  return lines;
}

// ---------------------------------------------------------------------------
// Each OS's form.
// ---------------------------------------------------------------------------

function linuxPolicyJson(policies: VscodePolicies): string {
  return `${JSON.stringify(policies, null, 2)}\n`;
}


export const MACOS_PAYLOAD_TYPE = 'com.microsoft.VSCode';

function macosProfile(policies: VscodePolicies, cannotExpress: readonly string[]): string {
  const seed = JSON.stringify(policies);
  const policyLines = Object.entries(policies).flatMap(([key, value]) => [
    `\t\t\t\t<key>${key}</key>`,
    typeof value === 'boolean' ? `\t\t\t\t<${value}/>` : `\t\t\t\t<string>${xmlEscape(value as string)}</string>`,
  ]);
  return configurationProfile({
    exporter: 'vscode',
    product: 'VS Code',
    cannotExpress,
    payloadType: MACOS_PAYLOAD_TYPE,
    payloadDisplayName: 'Visual Studio Code',
    payloadUuid: stableUuid(`aitool-vscode-payload:${seed}`),
    payloadLines: policyLines,
    profileDescription: 'Visual Studio Code policies from the organisation policy (aitool export vscode)',
    profileDisplayName: 'Visual Studio Code (aitool)',
    profileUuid: stableUuid(`aitool-vscode-profile:${seed}`),
    afterVersion: ['\t\t<key>TargetDeviceType</key>', '\t\t<integer>5</integer>'],
  });
}

export const WINDOWS_POLICY_KEY = 'HKEY_LOCAL_MACHINE\\Software\\Policies\\Microsoft\\VSCode';

/**
 * A REGEDIT4 file: plain ASCII, which `reg import` and regedit read without a
 * byte-order mark (a `Windows Registry Editor Version 5.00` file is expected
 * in UTF-16LE). Every value here is ASCII: extension ids, enums and booleans.
 */
function windowsRegFile(policies: VscodePolicies, cannotExpress: readonly string[]): string {
  const ascii = (text: string) => text.replace(/[^\x20-\x7e]/g, '?');
  const regString = (text: string) => `"${ascii(text).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const values = Object.entries(policies).map(([name, value]) =>
    typeof value === 'boolean' ? `"${name}"=dword:${value ? '00000001' : '00000000'}` : `"${name}"=${regString(value as string)}`,
  );
  return [
    'REGEDIT4',
    '',
    '; Written by aitool export vscode. What VS Code cannot express of the policy:',
    ...cannotExpress.map((line) => `; ${ascii(line)}`),
    '',
    `[${WINDOWS_POLICY_KEY}]`,
    ...values,
    '',
  ].join('\r\n');
}

export const exportNative: NativeExporter = ({ policy, catalog, os }): NativeExport => {
  const { policies, cannotExpress } = vscodePolicies([...catalog, ...policy.customTools], policy);
  const file: NativeFile =
    os === 'linux'
      ? { name: 'policy.json', installPath: '/etc/vscode/policy.json', content: linuxPolicyJson(policies) }
      : os === 'macos'
        ? {
            name: 'vscode.mobileconfig',
            installPath: `a configuration profile (payload ${MACOS_PAYLOAD_TYPE}) pushed by the MDM`,
            content: macosProfile(policies, cannotExpress),
          }
        : { name: 'vscode-policy.reg', installPath: WINDOWS_POLICY_KEY, content: windowsRegFile(policies, cannotExpress) };
  return { files: [file], cannotExpress };
};
