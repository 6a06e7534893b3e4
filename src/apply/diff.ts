/**
 * A unified diff of two small texts (the settings files `apply --dry-run`
 * shows), line by line: a longest common subsequence, then hunks with three
 * lines of context. Quadratic, which is fine for files of a few hundred lines.
 */

const CONTEXT = 3;

type Edit = { kind: ' ' | '-' | '+'; line: string; oldNo: number; newNo: number };

function linesOf(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function edits(a: string[], b: string[]): Edit[] {
  const rows = a.length + 1;
  const cols = b.length + 1;
  // common[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const common = new Uint32Array(rows * cols);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      common[i * cols + j] = a[i] === b[j] ? common[(i + 1) * cols + j + 1]! + 1 : Math.max(common[(i + 1) * cols + j]!, common[i * cols + j + 1]!);
    }
  }
  const out: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ kind: ' ', line: a[i]!, oldNo: i++, newNo: j++ });
    } else if (i < a.length && (j === b.length || common[(i + 1) * cols + j]! >= common[i * cols + j + 1]!)) {
      // Removals before additions, as diff(1) shows them.
      out.push({ kind: '-', line: a[i]!, oldNo: i++, newNo: j });
    } else {
      out.push({ kind: '+', line: b[j]!, oldNo: i, newNo: j++ });
    }
  }
  return out;
}

/** `--- from` / `+++ to` and the hunks; an empty string when the texts are equal. */
export function unifiedDiff(before: string, after: string, from: string, to: string): string {
  if (before === after) return '';
  const all = edits(linesOf(before), linesOf(after));
  const changed = all.map((edit, index) => (edit.kind === ' ' ? -1 : index)).filter((index) => index >= 0);
  const out = [`--- ${from}`, `+++ ${to}`];
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, changed[k]! - CONTEXT);
    let end = Math.min(all.length, changed[k]! + CONTEXT + 1);
    // Changes closer than twice the context share one hunk.
    while (k + 1 < changed.length && changed[k + 1]! - CONTEXT <= end) end = Math.min(all.length, changed[++k]! + CONTEXT + 1);
    k++;
    const hunk = all.slice(start, end);
    const oldCount = hunk.filter((edit) => edit.kind !== '+').length;
    const newCount = hunk.filter((edit) => edit.kind !== '-').length;
    const oldStart = oldCount === 0 ? hunk[0]!.oldNo : hunk[0]!.oldNo + 1;
    const newStart = newCount === 0 ? hunk[0]!.newNo : hunk[0]!.newNo + 1;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`, ...hunk.map((edit) => edit.kind + edit.line));
  }
  return `${out.join('\n')}\n`;
}
