/**
 * MDR authenticates the API connection, not the person behind it: every comment and decision the
 * gateway sends is MDR's "Gateway administrator". So the gateway names its caller in the text
 * itself, on a first line of its own that a reader of the MDR console sees and a client parses
 * back: `[via gateway: <caller>]`, a blank line, then the text. MDR's HTML rendering puts that
 * line in a paragraph of its own, which is parsed too.
 */
const TAG = 'via gateway: ';
const MAX_CALLER = 200;
const MARKDOWN = /^\[via gateway: ([^\]\r\n]{1,200})\]\r?\n\r?\n?/;
const HTML = /^\s*<p>\s*\[via gateway: ([^\]<\r\n]{1,1000})\]\s*<\/p>\s*/;

/** The most characters attribution adds to a text (checked against MDR's 10,000 before sending). */
export const ATTRIBUTION_RESERVE = TAG.length + MAX_CALLER + 4;

/** `text` with its first line naming `caller`; characters that would end the tag become spaces. */
export function attributed(text: string, caller: string): string {
  const name =
    caller
      .replace(/[\]\r\n\p{Cc}]/gu, ' ')
      .trim()
      .slice(0, MAX_CALLER) || 'unknown';
  return `[${TAG}${name}]\n\n${text}`;
}

/** The caller a text names (null when the gateway did not write it) and the text without that line. */
export function attributionOf(text: string, html = false): { caller: string | null; text: string } {
  const m = (html ? HTML : MARKDOWN).exec(text);
  if (!m) return { caller: null, text };
  const caller = html ? decodeEntities(m[1]!) : m[1]!;
  return { caller: caller.trim() || null, text: text.slice(m[0].length) };
}

function decodeEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
