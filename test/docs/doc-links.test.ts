/**
 * Doc links: every relative Markdown link in README.md and docs/**\/*.md points to a file or
 * directory that exists, and a `#anchor` into a Markdown file to one of its headings (GitHub's
 * slug rules). Docs are split and headings renamed (docs/fleet.md into docs/fleet/, issue 9);
 * this keeps the links that cite them from breaking silently.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { githubSlug, headingAnchors, relativeLinks } from './markdown-links.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** README.md and every Markdown file under docs/, relative to the repository root. */
async function markdownFiles(): Promise<string[]> {
  const docs = await readdir(path.join(ROOT, 'docs'), { recursive: true });
  return ['README.md', ...docs.filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f))].sort();
}

/** Whether a path exists (a file or a directory). */
async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

test('githubSlug follows GitHub: punctuation dropped, spaces to hyphens, case folded', () => {
  assert.equal(githubSlug('Idle memory, fourth round (branch idlemem3)'), 'idle-memory-fourth-round-branch-idlemem3');
  assert.equal(githubSlug('Fleets: --count'), 'fleets---count');
  assert.equal(githubSlug('Behaviour: --behaviour, --seed'), 'behaviour---behaviour---seed');
  assert.equal(githubSlug("Where a station's memory goes (issue 9)"), 'where-a-stations-memory-goes-issue-9');
  assert.equal(githubSlug('The device_model table: only what differs'), 'the-device_model-table-only-what-differs');
  assert.equal(githubSlug('Boot storm → 1,000/s ≥ 1.4×'), 'boot-storm--1000s--14');
});

test('headingAnchors: markup removed, repeats numbered, code blocks skipped', () => {
  const anchors = headingAnchors(
    ['# Title', '## Library: `StationFleet`', '## Notes', '```sh', '# not a heading', '```', '## Notes', '### [Linked](x.md) heading'].join('\n'),
  );
  assert.deepEqual([...anchors].sort(), ['library-stationfleet', 'linked-heading', 'notes', 'notes-1', 'title']);
});

test('relativeLinks: relative targets only, outside code, text across lines', () => {
  const links = relativeLinks(
    [
      'See [cli.md](cli.md#fleets---count) and [the web](https://example.com).',
      '`[not](a-link.md)` and a [link whose text',
      'spans lines](#anchor), ![an image](img/x.png).',
      '```md',
      '[inside](code.md)',
      '```',
    ].join('\n'),
  );
  assert.deepEqual(links, [
    { line: 1, target: 'cli.md#fleets---count' },
    { line: 3, target: '#anchor' },
    { line: 3, target: 'img/x.png' },
  ]);
});

test('every relative link in README.md and docs/ points to an existing file and heading', async () => {
  const broken: string[] = [];
  const anchorsOf = new Map<string, Set<string>>();
  const anchors = async (file: string): Promise<Set<string>> => {
    let found = anchorsOf.get(file);
    if (!found) {
      found = headingAnchors(await readFile(file, 'utf8'));
      anchorsOf.set(file, found);
    }
    return found;
  };
  const files = await markdownFiles();
  let checked = 0;
  for (const file of files) {
    const source = path.join(ROOT, file);
    for (const link of relativeLinks(await readFile(source, 'utf8'))) {
      checked++;
      const hash = link.target.indexOf('#');
      const filePart = decodeURI(hash < 0 ? link.target : link.target.slice(0, hash));
      const anchor = hash < 0 ? null : decodeURIComponent(link.target.slice(hash + 1));
      const target =
        filePart === '' ? source : filePart.startsWith('/') ? path.join(ROOT, filePart) : path.resolve(path.dirname(source), filePart);
      const where = `${file}:${link.line} → ${link.target}`;
      if (!(await exists(target))) {
        broken.push(`${where}: no such file`);
      } else if (anchor !== null && anchor !== '' && target.endsWith('.md') && !(await anchors(target)).has(anchor)) {
        broken.push(`${where}: no heading with that anchor in ${path.relative(ROOT, target)}`);
      }
    }
  }
  assert.ok(files.includes(path.join('docs', 'fleet.md')) && checked > 50, `read ${files.length} files, ${checked} links`);
  assert.deepEqual(broken, [], `broken links:\n${broken.join('\n')}`);
});
