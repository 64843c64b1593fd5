/**
 * Text written by models or people is rendered as Markdown in the judge's browser: nothing in it may run
 * script, and nothing in it may make the browser fetch from elsewhere (an image would tell its host who
 * judges, and when, and could carry a subject's mark past the blinding).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { renderMarkdown } from "../../src/web/lib/markdown-render.ts";

test("raw HTML is escaped, not passed through", () => {
  const html = renderMarkdown('<img src=x onerror="alert(1)"><script>alert(2)</script>');
  assert.doesNotMatch(html, /<img|<script/i);
});

test("links with script schemes are not made links", () => {
  for (const href of ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "vbscript:x", "data:text/html;base64,PHNjcmlwdD4="]) {
    assert.doesNotMatch(renderMarkdown(`[click](${href})`), /href=/i, href);
  }
  assert.match(renderMarkdown("[ok](https://example.org)"), /rel="noopener noreferrer nofollow"/);
});

test("an image never makes the reader's browser call out: no <img> for remote or data URLs", () => {
  for (const text of ["![pixel](https://tracker.example/p.png?judge=1)", "![x](data:image/png;base64,iVBORw0KGgo=)", "![ref][r]\n\n[r]: https://tracker.example/r.gif"]) {
    assert.doesNotMatch(renderMarkdown(text), /<img/i, text);
  }
});

test("each block takes its own direction; the attribute is a fixed value, never the text's", () => {
  const html = renderMarkdown('مرحبا\n\n# Title "dir=rtl onclick=x"');
  assert.equal((html.match(/dir="auto"/g) ?? []).length, 2);
  assert.doesNotMatch(html, /onclick=x"?>/);
});

test("a code block can be scrolled from the keyboard: its <pre> takes focus, and its text stays escaped", () => {
  for (const text of ["```python\ndef task():\n    return '<b>'\n```", "    indented <code> block"]) {
    const html = renderMarkdown(text);
    assert.match(html, /^<pre tabindex="0"/, text);
    assert.doesNotMatch(html, /<b>|<code> block/);
  }
});

test("headings inside an answer do not enter the page's outline: they are shown as marked paragraphs", () => {
  const html = renderMarkdown("# Big\n\n### Small\n\ntext");
  assert.doesNotMatch(html, /<h[1-6]/);
  assert.match(html, /<p dir="auto" class="md-heading md-h1">Big<\/p>/);
  assert.match(html, /class="md-heading md-h3">Small</);
});
