/**
 * The page both HTML reports are written into (the per-machine report,
 * src/report/html.ts, and the fleet summary, src/fleet/html.ts): one
 * self-contained document whose Content-Security-Policy forbids scripts and
 * every network load, with the palette, type and summary cards they share.
 */
import { html, raw, type SafeHtml } from './html-template.js';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

// Colours meet WCAG AA contrast on their backgrounds; system fonts only (no download).
const SHARED_CSS = `
:root{--ink:#1d2939;--muted:#5d6b82;--line:#e4e7ec;--bg:#f6f7f9;--card:#fff;--block:#b42318;--block-bg:#fef3f2;--warn:#93370d;--warn-bg:#fffaeb;--allow:#067647;--allow-bg:#ecfdf3;--accent:#1849a9}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
h1{font-size:1.5rem;margin:0 0 .25rem}
h2{font-size:1.15rem;margin:2rem 0 .75rem}
p{margin:.35rem 0}
a{color:var(--accent)}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:.75rem 1rem;border-top:4px solid var(--muted)}
.card .n{display:block;font-size:2rem;font-weight:700;line-height:1.1}
.card .l{color:var(--muted);font-size:.9rem}
.card.block{border-top-color:var(--block)}.card.block .n{color:var(--block)}
.card.warn{border-top-color:#dc6803}.card.warn .n{color:var(--warn)}
.card.allow{border-top-color:var(--allow)}.card.allow .n{color:var(--allow)}
.panel{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1rem;margin:.75rem 0}
ul{margin:.25rem 0;padding-left:1.25rem}
details summary{cursor:pointer;color:var(--accent);padding:.4rem 0}
footer{color:var(--muted);font-size:.85rem;margin-top:2.5rem}
`;

/** A whole page: `css` comes after the shared rules, so a page's own rules win. */
export function htmlPage(title: SafeHtml, css: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light">
<title>${title}</title>
<style>${raw(SHARED_CSS)}${raw(css)}</style>
</head>
<body>
<main>
${body}</main>
</body>
</html>
`.toString();
}
