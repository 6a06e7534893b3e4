// The bench's growth case: the real catalog plus synthetic tools up to `total`,
// each a copy of a real entry whose names, paths and patterns are changed so
// it matches nothing (so the findings stay those of the real catalog, and only
// the cost of carrying more tools shows). Built into a bench-only bundle of the
// CLI (test/bench/run.mjs): nothing of this ships.

// Values that are enumerations, not names: copied as they are.
const KEEP = new Set(['os', 'in', 'format', 'kind', 'type', 'scope', 'method']);
// Regular expressions: a literal is put in front (after a leading ^).
const REGEX = new Set(['args', 'childArgs', 'pattern', 'value']);

function rename(value, key, tag) {
  if (KEEP.has(key)) return value;
  if (REGEX.has(key)) return value.startsWith('^') ? `^${tag}${value.slice(1)}` : `${tag}${value}`;
  if (/[/~%$]/.test(value)) {
    // A path pattern: its first literal segment renamed, globs and anchors kept.
    const segments = value.split('/');
    const index = segments.findIndex((segment) => /^[\w.@-]+$/.test(segment));
    if (index >= 0) segments[index] = `${segments[index]}-${tag}`;
    return segments.join('/');
  }
  return `${value}-${tag}`;
}

function renameAll(value, key, tag) {
  if (typeof value === 'string') return rename(value, key, tag);
  if (Array.isArray(value)) return value.map((item) => renameAll(item, key, tag));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renameAll(v, k, tag)]));
  }
  return value;
}

export function grownCatalog(real, total) {
  const grown = [...real];
  for (let i = 0; grown.length < total; i++) {
    const base = real[i % real.length];
    const tag = `syn${i}`;
    grown.push({ ...base, id: `${base.id}-${tag}`, name: `${base.name} ${tag}`, signatures: renameAll(base.signatures, '', tag) });
  }
  return grown;
}
