/**
 * The code blocks of docs/library.md are programs a user will paste: each is run here, on the
 * sources (imports of `recovery-pbr` and its subpaths point at the entry files in src/), with its console
 * output captured. A trailing comment on a line that logs (`console.log(x); // 1996 2382`) is what
 * the page promises that line prints: the output must contain it (a `…` stands for any text).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const page = readFileSync(join(ROOT, 'docs', 'library.md'), 'utf8');
const blocks = [...page.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const dir = mkdtempSync(join(tmpdir(), 'recovery-pbr-guide-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The source file behind a public import: the tsconfig `paths` of the repository (which list the
 * package's entry points), else `src/<subpath>/index.ts`.
 */
function sourceOf(spec: string): string {
  const paths = (JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as { compilerOptions?: { paths?: Record<string, string[]> } }).compilerOptions?.paths ?? {};
  const mapped = paths[spec]?.[0];
  if (mapped) return join(ROOT, mapped);
  const sub = spec.slice('recovery-pbr/'.length);
  return join(ROOT, 'src', sub, 'index.ts');
}

/** What a block promises to print: the trailing comments of its logging lines. */
function promises(code: string): string[][] {
  return code
    .split('\n')
    .filter((l) => l.includes('console.log('))
    .map((l) => /\);\s*\/\/ (.+)$/.exec(l)?.[1])
    .filter((c): c is string => c !== undefined)
    .map((c) => c.split('…').map((p) => p.trim()).filter((p) => p !== ''));
}

describe('docs/library.md: every code block runs and prints what it says', () => {
  it('has code blocks', () => expect(blocks.length).toBeGreaterThanOrEqual(8));

  it.each(blocks.map((b, i) => [i + 1, b.split('\n').find((l) => l.startsWith('import'))?.slice(0, 60) ?? '', b] as const))(
    'block %i (%s…)',
    async (i, _title, code) => {
      const source = code.replace(/'(recovery-pbr(?:\/[a-z]+)?)'/g, (_m, spec: string) => JSON.stringify(sourceOf(spec)));
      const file = join(dir, `block-${i}.ts`);
      writeFileSync(file, source);
      const lines: string[] = [];
      const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
        lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
      });
      const cwd = process.cwd();
      process.chdir(ROOT);
      try {
        await import(pathToFileURL(file).href);
      } finally {
        process.chdir(cwd);
        log.mockRestore();
      }
      const output = lines.join('\n');
      for (const parts of promises(code)) for (const p of parts) expect(output).toContain(p);
    },
  );
});
