/**
 * The core (everything in src/ but src/io, src/cli and src/node) must run in a browser: it imports
 * no Node built-in, directly or through another core module.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../src/', import.meta.url).pathname;
const EDGE = ['io', 'cli', 'node'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('browser-safe core', () => {
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  const core = files(SRC).filter((f) => !EDGE.includes(relative(SRC, f).split('/')[0]!));

  it('has core modules to check', () => expect(core.length).toBeGreaterThan(40));

  it.each(core.map((f) => relative(SRC, f)))('%s imports no Node built-in or edge module', (rel) => {
    const text = readFileSync(join(SRC, rel), 'utf8');
    const specs = [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);
    for (const s of specs) {
      expect(builtins.has(s), `${rel} imports ${s}`).toBe(false);
      if (s.startsWith('.')) {
        const target = relative(SRC, join(SRC, rel, '..', s)).split('/')[0]!;
        expect(EDGE.includes(target), `${rel} imports the edge module ${s}`).toBe(false);
      }
    }
    expect(text).not.toMatch(/\bprocess\.(env|argv|cwd|exit)/);
  });
});

describe('architecture: data flows one way', () => {
  const edgeLibs = files(SRC).filter((f) => ['io', 'node'].includes(relative(SRC, f).split('/')[0]!));

  it('has io and node modules to check', () => expect(edgeLibs.length).toBeGreaterThan(10));

  it.each(edgeLibs.map((f) => relative(SRC, f)))('%s imports nothing from src/cli', (rel) => {
    const text = readFileSync(join(SRC, rel), 'utf8');
    const specs = [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);
    for (const s of specs.filter((x) => x.startsWith('.'))) {
      const target = relative(SRC, join(SRC, rel, '..', s)).split('/')[0]!;
      expect(target, `${rel} imports ${s}`).not.toBe('cli');
    }
  });
});
