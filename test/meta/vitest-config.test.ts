/**
 * The suite's own set-up (vitest.config.ts): test files share their worker's modules (isolate:
 * false), so a file that mocks a module must run in the isolated project, or its mock would not be
 * what it imports (and could leak into other files). The list is kept by hand; this test keeps it
 * true.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '../..');

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? testFiles(p) : e.name.endsWith('.test.ts') ? [relative(REPO, p)] : [];
  });
}

describe('vitest.config.ts', () => {
  it('lists every test file that mocks a module (vi.mock, vi.doMock) as isolated, and no other', () => {
    const config = readFileSync(join(REPO, 'vitest.config.ts'), 'utf8');
    const listed = /const MOCKING = \[([^\]]*)\]/.exec(config)?.[1]?.match(/'[^']+'/g)?.map((s) => s.slice(1, -1)) ?? [];
    const mocking = testFiles(join(REPO, 'test')).filter((f) => /\bvi\.(do)?[mM]ock\(/.test(readFileSync(join(REPO, f), 'utf8')));
    expect(mocking.length).toBeGreaterThan(0);
    expect([...listed].sort()).toEqual(mocking.sort());
  });
});
