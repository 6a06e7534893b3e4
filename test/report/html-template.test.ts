// The HTML template escapes every interpolation unless it is a fragment it made or one marked raw.
import { describe, expect, it } from 'vitest';
import { escapeHtml, html, httpUrl, raw } from '../../src/report/html-template.js';

describe('html tagged template', () => {
  it('escapes text in content and in quoted attributes', () => {
    const value = `<script>alert(1)</script>"onload='x'&`;
    expect(html`<p title="${value}">${value}</p>`.toString()).toBe(
      '<p title="&lt;script&gt;alert(1)&lt;/script&gt;&quot;onload=&#39;x&#39;&amp;">&lt;script&gt;alert(1)&lt;/script&gt;&quot;onload=&#39;x&#39;&amp;</p>',
    );
    expect(html`<style>${'</style><b>'}</style>`.toString()).toBe('<style>&lt;/style&gt;&lt;b&gt;</style>');
  });

  it('keeps nested fragments as they are (no double escaping), joins arrays, renders nothing for empty values', () => {
    const items = ['a<b', 'c&d'].map((i) => html`<li>${i}</li>`);
    expect(html`<ul>${items}</ul>${undefined}${null}${false}${0}`.toString()).toBe('<ul><li>a&lt;b</li><li>c&amp;d</li></ul>0');
    expect(html`${raw('<hr>')}`.toString()).toBe('<hr>');
  });

  it('a string that looks like a fragment is still escaped', () => {
    const forged = { toString: () => '<script>' } as unknown as string;
    expect(html`${forged}`.toString()).toBe('&lt;script&gt;');
  });

  it('shows control characters, bidirectional controls, line separators and lone surrogates escaped; keeps tab, newline and pairs', () => {
    expect(escapeHtml('a\u001b[2Kb\u0000c\u007fd\u009be\u202ef\u2028g\u2029h\ud800i\tj\nk😀')).toBe(
      'a\\x1b[2Kb\\x00c\\x7fd\\x9be\\u202ef\\u2028g\\u2029h\\ud800i\tj\nk😀',
    );
  });

  it('links only http(s) URLs', () => {
    expect(httpUrl('https://example.com/a?b=c')).toBe('https://example.com/a?b=c');
    expect(httpUrl('javascript:alert(1)')).toBeUndefined();
    expect(httpUrl('data:text/html,<script>')).toBeUndefined();
    expect(httpUrl('https://x.example/"onmouseover=alert(1)')).toBeUndefined();
  });
});
