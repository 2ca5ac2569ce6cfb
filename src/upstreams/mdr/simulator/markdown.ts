/** Just enough markdown → HTML for the simulator's `markdown_to_html` (paragraphs, lists, bold, code). */
export function markdownToHtml(markdown: string): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const inline = (s: string) =>
    escape(s)
      .replace(/`([^`]+)`/g, '<code>$1</code>')
      .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
  return markdown
    .split(/\n{2,}/)
    .map((block) => {
      const lines = block.split('\n');
      if (lines.every((l) => /^\s*[-*] /.test(l))) {
        return `<ul>\n${lines.map((l) => `<li>${inline(l.replace(/^\s*[-*] /, ''))}</li>`).join('\n')}\n</ul>`;
      }
      const heading = /^(#{1,6}) (.*)$/.exec(block);
      if (heading && lines.length === 1)
        return `<h${heading[1]!.length}>${inline(heading[2]!)}</h${heading[1]!.length}>`;
      return `<p>\n${lines.map(inline).join('<br>\n')}\n</p>`;
    })
    .join('\n');
}
