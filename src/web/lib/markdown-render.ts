import MarkdownIt from "markdown-it";

/**
 * Markdown for prompts and answers: raw HTML is never passed through (html: false escapes it), links are
 * limited to markdown-it's safe schemes, images are shown as their alt text (an image would make the judge's
 * browser fetch from wherever the text says: a tracker learns who judges and when), and each block takes its
 * own direction from its text while code stays left to right (styles.css: .markdown pre, .markdown code).
 */
const markdown = new MarkdownIt({ html: false, linkify: false, breaks: true });
const DIRECTED = new Set(["paragraph_open", "heading_open", "bullet_list_open", "ordered_list_open", "blockquote_open", "table_open"]);
markdown.core.ruler.push("dir_auto", (state) => {
  for (const token of state.tokens) if (DIRECTED.has(token.type)) token.attrSet("dir", "auto");
});
// A heading inside a model's answer is part of the answer, not of the page: shown as a bold paragraph so that
// the page's own outline (what a screen reader navigates by) stays the page's.
markdown.core.ruler.push("headings_as_text", (state) => {
  for (const token of state.tokens) {
    if (token.type !== "heading_open" && token.type !== "heading_close") continue;
    if (token.type === "heading_open") token.attrJoin("class", `md-heading md-${token.tag}`);
    token.tag = "p";
  }
});
const defaultLink = markdown.renderer.rules.link_open;
markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]?.attrSet("rel", "noopener noreferrer nofollow");
  return defaultLink ? defaultLink(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options);
};

markdown.renderer.rules.image = (tokens, idx, options, env, self) => {
  const alt = self.renderInlineAsText(tokens[idx]?.children ?? [], options, env);
  return alt ? `[${markdown.utils.escapeHtml(alt)}]` : "";
};

// A code block scrolls sideways on a narrow screen: it takes keyboard focus so that it can be scrolled without
// a mouse (WCAG 2.1.1; axe's scrollable-region-focusable).
for (const rule of ["fence", "code_block"] as const) {
  const original = markdown.renderer.rules[rule];
  markdown.renderer.rules[rule] = (tokens, idx, options, env, self) => (original ? original(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options)).replace(/^<pre/, '<pre tabindex="0"');
}

export function renderMarkdown(text: string): string {
  return markdown.render(text);
}
