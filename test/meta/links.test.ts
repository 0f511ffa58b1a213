/**
 * The documentation lives in the repository and links nothing outside it: every link of README.md
 * and of every file under docs/ is relative, resolves inside the repository to a file that exists
 * (and is not build output), and every `#anchor` names a heading or an explicit anchor of its
 * target. No web address, no absolute path, no `../` (not even one that stays inside) — users
 * read these pages in a clone, in the installed package or on a registry page, never beside the
 * project's private folders.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(new URL('../../', import.meta.url).pathname);
// Generated or installed folders: present in a working tree, absent from the repository.
const NOT_IN_REPO = ['node_modules', 'dist', 'out', 'coverage', '.cache', 'tmp'];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Markdown text without fenced code blocks and (unless `keepSpans`) inline code spans: links there are not links. */
function withoutCode(md: string, keepSpans = false): string {
  const lines = md.split('\n');
  let fence: string | undefined;
  const out: string[] = [];
  for (const line of lines) {
    const m = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence !== undefined) {
      if (m && m[1]![0] === fence[0] && m[1]!.length >= fence.length) fence = undefined;
      out.push('');
      continue;
    }
    if (m) {
      fence = m[1]!;
      out.push('');
      continue;
    }
    out.push(keepSpans ? line : line.replace(/(`+)[\s\S]*?\1/g, ''));
  }
  return out.join('\n');
}

/** Every link target of a Markdown page: inline links and images, reference definitions, HTML href/src. */
function linkTargets(md: string): string[] {
  const text = withoutCode(md);
  const targets: string[] = [];
  for (const m of text.matchAll(/!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(m[1]!);
  for (const m of text.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/gm)) targets.push(m[1]!);
  for (const m of text.matchAll(/\b(?:href|src)\s*=\s*["']([^"']*)["']/g)) targets.push(m[1]!);
  // Autolinks <https://…> and bare web addresses leave the repository too.
  for (const m of text.matchAll(/<((?:https?|ftp|file|mailto):[^>\s]+)>/g)) targets.push(m[1]!);
  return targets;
}

/** The heading anchors of a Markdown page, as GitHub makes them (github-slugger), plus explicit ids. */
function anchorsOf(md: string): Set<string> {
  const text = withoutCode(md, true);
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const m of text.matchAll(/^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const plain = m[1]!
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .replace(/\*\*|\*|`/g, '');
    const base = plain.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const m of md.matchAll(/<a\s+(?:id|name)\s*=\s*["']([^"']+)["']/g)) anchors.add(m[1]!);
  return anchors;
}

/** What is wrong with one link of `file` (repository-relative), or undefined when it is fine. */
function linkProblem(file: string, target: string): string | undefined {
  if (target === '') return 'empty link';
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return 'leaves the repository (a web or file address): name the document in words instead';
  if (target.startsWith('/') || target.startsWith('\\')) return 'an absolute path: link relative to this file';
  // The project's before-stop hook refuses every `](../` link, even one that stays inside the
  // repository: pages link downwards or sideways, and name other files in code spans.
  if (target.startsWith('../')) return "a link into a parent folder ('../'): name the file in a code span instead";
  const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
  const abs = pathPart === '' ? join(ROOT, file) : resolve(ROOT, dirname(file), decodeURIComponent(pathPart));
  const rel = relative(ROOT, abs);
  if (rel === '..' || rel.startsWith(`..${sep}`)) return 'climbs out of the repository';
  if (NOT_IN_REPO.includes(rel.split(sep)[0]!)) return `points into ${rel.split(sep)[0]}/, which is not part of the repository`;
  if (!existsSync(abs)) return `no such file ${rel}`;
  if (anchor !== undefined) {
    if (!statSync(abs).isFile() || !abs.endsWith('.md')) return `an anchor (#${anchor}) into ${rel}, which is not a Markdown page`;
    if (!anchorsOf(readFileSync(abs, 'utf8')).has(anchor)) return `${rel} has no heading or anchor #${anchor}`;
  }
  return undefined;
}

const pages = ['README.md', ...(existsSync(join(ROOT, 'docs')) ? filesUnder(join(ROOT, 'docs')) : []).map((p) => relative(ROOT, p))];

describe('documentation links stay inside the repository', () => {
  it('has a docs/ folder with an index', () => {
    expect(pages).toContain(join('docs', 'README.md'));
  });

  it.each(pages)('%s: every link resolves inside the repository', (page) => {
    const problems = linkTargets(readFileSync(join(ROOT, page), 'utf8'))
      .map((t) => [t, linkProblem(page, t)] as const)
      .filter(([, p]) => p !== undefined)
      .map(([t, p]) => `${t}: ${p}`);
    expect(problems).toEqual([]);
  });

  it('README.md links to the docs index', () => {
    expect(linkTargets(readFileSync(join(ROOT, 'README.md'), 'utf8'))).toContain('docs/README.md');
  });
});

describe('the link checker itself', () => {
  it('finds inline links, images, references and HTML links, but not code', () => {
    const md = '[a](docs/x.md) ![i](img.png "t")\n[ref]: ../out.md\n<a href="https://e.org">x</a>\n`[c](nope.md)`\n```\n[d](nope.md)\n```\n<https://x.org>';
    expect(linkTargets(md)).toEqual(['docs/x.md', 'img.png', '../out.md', 'https://e.org', 'https://x.org']);
  });

  it('refuses what leaves the repository', () => {
    expect(linkProblem('README.md', '../shared/SPEC.md')).toMatch(/parent folder/);
    expect(linkProblem('docs/rules.md', '../examples/README.md')).toMatch(/parent folder/);
    expect(linkProblem('docs/rules.md', 'x/../../../y.md')).toMatch(/climbs out/);
    expect(linkProblem('README.md', '/work/shared/SPEC.md')).toMatch(/absolute/);
    expect(linkProblem('README.md', 'https://www.gov.uk/')).toMatch(/leaves the repository/);
    expect(linkProblem('README.md', 'file:///etc/passwd')).toMatch(/leaves the repository/);
    expect(linkProblem('README.md', 'docs/no-such-page.md')).toMatch(/no such file/);
    expect(linkProblem('README.md', 'out/demo/summary.json')).toMatch(/not part of the repository/);
    expect(linkProblem('README.md', 'package.json')).toBeUndefined();
    expect(linkProblem('README.md', '#no-such-heading')).toMatch(/no heading/);
  });

  it('makes anchors as GitHub does', () => {
    const a = anchorsOf('# R-VAL-1 — every row is accounted for\n## `run` options\n## Money: £ and ×\n## Money: £ and ×\n<a id="custom"></a>');
    expect([...a]).toEqual(['r-val-1--every-row-is-accounted-for', 'run-options', 'money--and-', 'money--and--1', 'custom']);
  });
});
