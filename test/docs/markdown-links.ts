/**
 * What the doc link check (doc-links.test.ts) reads of a Markdown file: its headings' anchors, by
 * GitHub's slug rules, and its relative links. A small reader, not a Markdown parser: it knows
 * fenced code blocks, inline code spans, inline links and images (a link's text may span lines),
 * ATX headings and explicit HTML anchors, which is all this repository's docs use.
 */

/** A relative link found in a Markdown file. */
export interface MarkdownLink {
  /** 1-based line of the link's `](`. */
  readonly line: number;
  /** The target as written, e.g. `../cli.md#fleets---count`. */
  readonly target: string;
}

/** The text with every fenced code block blanked (its lines kept, so line numbers still hold). */
function withoutFences(text: string): string {
  const lines = text.split('\n');
  let fence: string | null = null;
  return lines
    .map((line) => {
      const opening = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
      if (fence === null) {
        if (opening === undefined) return line;
        fence = opening;
        return '';
      }
      if (opening !== undefined && opening[0] === fence[0] && opening.length >= fence.length && line.trim() === opening) {
        fence = null;
      }
      return '';
    })
    .join('\n');
}

/** Inline code spans replaced by the same number of spaces (so a link inside code is no link). */
function withoutCodeSpans(text: string): string {
  return text.replace(/(`+)[\s\S]*?\1/g, (span) => span.replace(/[^\n]/g, ' '));
}

/**
 * GitHub's anchor for a heading's text (github-slugger): lowercase; every character that is not
 * a letter, mark, number, connector punctuation (`_`), hyphen or space dropped; spaces to hyphens.
 * @param heading the heading as rendered text (markup already removed)
 */
export function githubSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** A heading's Markdown reduced to the text GitHub renders (links to their text, no code ticks, no tags). */
function renderedText(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`/g, '')
    .replace(/\*+/g, '');
}

/**
 * Every anchor a Markdown file offers: its ATX headings' slugs (a repeated slug gets `-1`, `-2`,
 * ... as on GitHub) and the ids and names of HTML anchors.
 * @param text the file's content
 */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutFences(text).split('\n')) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line)?.[1];
    if (heading !== undefined) {
      const slug = githubSlug(renderedText(heading));
      const count = seen.get(slug) ?? 0;
      seen.set(slug, count + 1);
      anchors.add(count === 0 ? slug : `${slug}-${count}`);
    }
    for (const m of line.matchAll(/<a\s[^>]*(?:id|name)="([^"]+)"/g)) anchors.add(m[1] as string);
  }
  return anchors;
}

/**
 * The relative links and images of a Markdown file (those without a scheme such as `https:` or
 * `mailto:`), outside code blocks and code spans.
 * @param text the file's content
 */
export function relativeLinks(text: string): MarkdownLink[] {
  const body = withoutCodeSpans(withoutFences(text));
  const links: MarkdownLink[] = [];
  // [text](target) or [text](<target>), an optional "title"; the text may hold one level of [].
  const pattern = /!?\[(?:[^[\]]|\[[^[\]]*\])*\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+"[^"]*")?\s*\)/g;
  for (const m of body.matchAll(pattern)) {
    const raw = (m[1] as string).replace(/^<(.*)>$/, '$1');
    if (/^[a-z][a-z0-9+.-]*:/i.test(raw) || raw.startsWith('//')) continue;
    const at = (m.index ?? 0) + m[0].indexOf('](');
    links.push({ line: body.slice(0, at).split('\n').length, target: raw });
  }
  return links;
}
