import { renderMarkdown } from "./markdown-render.ts";

/** Text written by people or models, shown as sanitised Markdown. */
export function Markdown({ text, class: className }: { text: string; class?: string }) {
  return <div class={`markdown${className ? ` ${className}` : ""}`} dir="auto" dangerouslySetInnerHTML={{ __html: renderMarkdown(text) }} />;
}
