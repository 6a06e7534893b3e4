/**
 * `aitool export jamf`: each blocked tool's process names as Jamf Pro
 * Restricted Software records, one Classic API XML document per record (the
 * API creates one record per request), plus a README.txt naming them all.
 *
 * Sources (read December 2026):
 * - D https://developer.jamf.com/jamf-pro/reference/restrictedsoftware (the
 *   Classic API's create/update request body): `<restricted_software>` with
 *   `<general>` (`name`, `process_name`, `match_exact_process_name`,
 *   `send_notification`, `kill_process`, `delete_executable`,
 *   `display_message`, `site`) and `<scope>` (`all_computers`, `computers`,
 *   `computer_groups`, `buildings`, `departments`, `exclusions`); created with
 *   POST /JSSResource/restrictedsoftware/id/0 (the Classic API overview: id 0
 *   lets Jamf Pro assign the id).
 * - D Jamf Pro Administrator's Guide, "Restricted Software": one record per
 *   application; the process name is the file's name, typed exactly; the
 *   record can kill the process, delete the application and show the user a
 *   message; `send_notification` emails Jamf Pro users on each violation.
 *   Jamf Pro's computers are Macs: the records restrict software on macOS only.
 */
import type { ToolEntry } from '../../catalog/schema.js';
import { alternativeWords, planExport, type PlannedTool } from '../plan.js';
import type { NativeExporter, NativeFile } from './types.js';

const API_PATH = 'POST /JSSResource/restrictedsoftware/id/0';

interface RestrictedProcess {
  tool: PlannedTool;
  processName: string;
}

/**
 * The names Jamf can match for a tool, and what it cannot. Jamf matches a
 * running process by name alone: a name other programs share would stop them
 * too, and a script's process is named after its interpreter (`node`,
 * `python3`), so its launcher's name never shows up as a process.
 */
function processNamesOf(tool: ToolEntry): { names: string[]; cannot: string[] } {
  const signatures = tool.signatures;
  const ambiguous = new Set([
    ...(signatures.processes?.ambiguousNames ?? []),
    ...(signatures.executables ?? []).filter((e) => e.ambiguous).map((e) => e.name),
  ]);
  const observed = (signatures.processes?.names ?? []).filter((name) => !ambiguous.has(name));
  const runsAsScript = (signatures.packages?.npm?.length ?? 0) > 0 || (signatures.packages?.pip?.length ?? 0) > 0;
  const launchers: string[] = [];
  const names = new Set(observed);
  for (const executable of signatures.executables ?? []) {
    if (ambiguous.has(executable.name) || names.has(executable.name)) continue;
    if (runsAsScript) launchers.push(executable.name);
    else names.add(executable.name);
  }
  const cannot: string[] = [];
  if (ambiguous.size > 0) {
    const list = [...ambiguous].sort();
    cannot.push(`${list.length === 1 ? 'the name' : 'the names'} ${list.join(', ')} ${list.length === 1 ? 'is' : 'are'} shared with unrelated programs; a Jamf record matches by process name only and would stop those too, so none is written`);
  }
  if (launchers.length > 0) {
    cannot.push(`${launchers.join(', ')} may run as a script whose process is named after its interpreter (node, python); Jamf cannot tell it from any other script, so no record is written for it`);
  }
  if (signatures.processes?.args?.length || signatures.processes?.paths?.length) {
    cannot.push('its command-line and path signatures: Jamf matches the process name only (aitool keeps detecting by them)');
  }
  return { names: [...names].sort(), cannot };
}

/** Text as XML character data: markup escaped, characters XML 1.0 forbids dropped. */
export function xmlText(value: string): string {
  return value
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** What the person sees when Jamf stops the tool: the organisation's words, then where to go instead. */
function displayMessage(entry: PlannedTool): string {
  const { tool, rule } = entry;
  return [
    `${tool.name} is not allowed by your organisation's policy (${rule.key})${rule.reason ? `: ${rule.reason}` : '.'}`,
    rule.message,
    alternativeWords(entry.alternatives),
  ]
    .filter(Boolean)
    .join(' ');
}

function recordXml({ tool: entry, processName }: RestrictedProcess): string {
  const terminate = entry.rule.terminate === true;
  const element = (name: string, value: string | boolean) => `    <${name}>${typeof value === 'boolean' ? value : xmlText(value)}</${name}>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<!-- aitool: ${xmlText(`${entry.tool.name} (${entry.rule.key}: block); create with ${API_PATH}`).replace(/--/g, '- -')} -->`,
    '<restricted_software>',
    '  <general>',
    element('name', `aitool: ${entry.tool.name} (${processName})`),
    element('process_name', processName),
    element('match_exact_process_name', true),
    // Emails Jamf Pro users about each violation, so a block that does not kill is still seen.
    element('send_notification', true),
    element('kill_process', terminate),
    // aitool never deletes what it finds; the person is pointed to the alternative instead.
    element('delete_executable', false),
    element('display_message', displayMessage(entry)),
    '  </general>',
    '  <scope>',
    '    <all_computers>true</all_computers>',
    '  </scope>',
    '</restricted_software>',
    '',
  ].join('\n');
}

/** A file name from a tool id and a process name (`.cline`, `Cursor`), safe on every file system. */
function fileName(record: RestrictedProcess): string {
  const safe = (value: string) => value.replace(/[^A-Za-z0-9._-]/g, '_');
  return `${safe(record.tool.tool.id)}-${safe(record.processName)}.xml`;
}

function readme(files: readonly NativeFile[], cannotExpress: readonly string[]): string {
  return [
    'aitool export jamf: Jamf Pro Restricted Software records, one XML file per record.',
    `Create each with the Classic API: ${API_PATH}, body = the file, Content-Type: text/xml`,
    '(curl -X POST -H "Content-Type: text/xml" --data-binary @<file> https://<jamf>/JSSResource/restrictedsoftware/id/0, with a bearer token).',
    'Every record is scoped to all computers; narrow the scope or add exclusions in Jamf Pro.',
    '',
    'Records:',
    ...(files.length > 0 ? files.map((file) => `  ${file.name}`) : ['  (none: the policy blocks no tool Jamf can match by process name)']),
    '',
    'What these records cannot express:',
    ...cannotExpress.map((line) => `  - ${line}`),
    '',
  ].join('\n');
}

export const exportNative: NativeExporter = ({ policy, catalog }) => {
  const plan = planExport(policy, catalog);
  const cannotExpress = ['jamf: Restricted Software applies to the Macs Jamf Pro manages; it does nothing on Linux or Windows'];
  const records: RestrictedProcess[] = [];
  for (const entry of plan.tools) {
    const label = `${entry.tool.id} (${entry.rule.key}: ${entry.rule.action})`;
    if (entry.rule.action !== 'block') {
      cannotExpress.push(`${label}: a Jamf record restricts; a warning has no counterpart, so none is written`);
      continue;
    }
    const { names, cannot } = processNamesOf(entry.tool);
    cannotExpress.push(...cannot.map((line) => `${label}: ${line}`));
    if (names.length === 0) cannotExpress.push(`${label}: no process name Jamf could match alone; aitool keeps detecting it`);
    records.push(...names.map((processName) => ({ tool: entry, processName })));
  }
  const files: NativeFile[] = records.map((record) => ({ name: fileName(record), installPath: API_PATH, content: recordXml(record) }));
  return {
    files: [...files, { name: 'README.txt', installPath: '(for the administrator: what to upload)', content: readme(files, cannotExpress) }],
    cannotExpress,
  };
};
