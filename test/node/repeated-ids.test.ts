/**
 * The episode ids on more than one row, told by the main thread to the partitions
 * (src/node/repeated-ids.ts): exactly those ids, across parts and across the reads' pieces; and
 * nothing told (every partition makes its pass) where the bytes alone cannot say what the
 * tokenizer would read.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPEATED_READY, REPEATED_UNKNOWN, repeatedIdsBuffer, repeatedIdsOf, tellRepeatedIds } from '../../src/node/repeated-ids.js';
import { tempDir } from '../io/helpers.js';

const enc = new TextEncoder();
const HEADER = 'episode_id,client_id,provider_id\n';

/** Writes parts (text after the header) and tells; the status and the test of an id. */
function told(parts: string[], column = 0) {
  const dir = tempDir('rpbr-rep-');
  const files = parts.map((text, i) => {
    const path = join(dir, `episodes-${i}.csv`);
    writeFileSync(path, HEADER + text);
    return { path, column, bytes: Buffer.byteLength(HEADER + text) };
  });
  const shared = repeatedIdsBuffer();
  tellRepeatedIds(files, shared);
  const status = new Int32Array(shared, 0, 1)[0];
  const test = repeatedIdsOf(shared, false);
  const isRepeated = (id: string) => test!(enc.encode(id), 0, enc.encode(id).length);
  return { status, test, isRepeated };
}

describe('the episode ids on more than one row', () => {
  it('are told exactly, across parts, and nothing else is', () => {
    const { status, isRepeated } = told(['E1,C1,P1\nE2,C1,P1\nE3,C2,P1\n', 'E4,C3,P1\nE2,C9,P2\n\nE5,C4,P1']);
    expect(status).toBe(REPEATED_READY);
    expect(isRepeated('E2')).toBe(true);
    for (const id of ['E1', 'E3', 'E4', 'E5', 'E6', 'C1']) expect(isRepeated(id)).toBe(false);
  });

  it('are told across the pieces a large part is read in (lines cut between reads)', () => {
    const rows: string[] = [];
    for (let i = 0; i < 120_000; i++) rows.push(`E${String(i).padStart(7, '0')}-${'x'.repeat(i % 23)},C${i},P1`);
    // Every 997th id again, near the end (after several 4 MiB reads).
    for (let i = 0; i < 120_000; i += 997) rows.push(`E${String(i).padStart(7, '0')}-${'x'.repeat(i % 23)},C${i + 1},P2`);
    const { status, isRepeated } = told([rows.join('\n') + '\n']);
    expect(status).toBe(REPEATED_READY);
    for (let i = 0; i < 120_000; i += 1) {
      const id = `E${String(i).padStart(7, '0')}-${'x'.repeat(i % 23)}`;
      if (isRepeated(id) !== (i % 997 === 0)) expect.fail(`id ${id}`);
    }
  });

  it('are told at once when one id is on every row (a column holding one value): no time that grows with the square of the rows', () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => `NA,C${i},P1`);
    const t0 = performance.now();
    const { status, isRepeated } = told([rows.join('\n') + '\n']);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(status).toBe(REPEATED_READY);
    expect(isRepeated('NA')).toBe(true);
    expect(isRepeated('NB')).toBe(false);
  });

  it('are none when the ids come in byte order across the parts (only neighbours compared), and found when one is out of that order', () => {
    const ordered = told(['E1,C1,P1\nE10,C1,P1\nE2,C2,P1\n', 'E3,C3,P1\nE30,C3,P1\n']);
    expect(ordered.status).toBe(REPEATED_READY);
    for (const id of ['E1', 'E10', 'E2', 'E3', 'E30']) expect(ordered.isRepeated(id)).toBe(false);
    // The same id on two neighbouring rows, an id before the last (a shorter one that is its
    // prefix), a later part starting before the earlier one's last id: each is out of order.
    const cases: [string[], string | undefined][] = [
      [['E1,C1,P1\nE2,C1,P1\nE2,C2,P1\n'], 'E2'],
      [['E10,C1,P1\nE1,C1,P1\nE3,C2,P1\n'], undefined],
      [['E1,C1,P1\nE5,C1,P1\n', 'E2,C3,P1\nE5,C4,P1\n'], 'E5'],
      [['E1,C1,P1\nE5,C1,P1\n', 'E2,C3,P1\nE6,C4,P1\n'], undefined],
    ];
    for (const [parts, repeated] of cases) {
      const t = told(parts);
      expect(t.status).toBe(REPEATED_READY);
      for (const id of ['E1', 'E10', 'E2', 'E3', 'E5', 'E6']) expect(t.isRepeated(id), `${parts.join('|')}: ${id}`).toBe(id === repeated);
    }
  });

  it('compares ids of the longest plain length (64 characters) to their last byte', () => {
    const long = (last: string) => `E${'x'.repeat(62)}${last}`;
    expect(long('a')).toHaveLength(64);
    const inOrder = told([`${long('a')},C1,P1\n${long('b')},C1,P1\n${long('c')},C2,P1\n`]);
    expect(inOrder.status).toBe(REPEATED_READY);
    expect(inOrder.isRepeated(long('b'))).toBe(false);
    const again = told([`${long('a')},C1,P1\n${long('b')},C1,P1\n${long('b')},C2,P1\n`]);
    expect(again.isRepeated(long('b'))).toBe(true);
    expect(again.isRepeated(long('a'))).toBe(false);
  });

  it('reads the episode_id column where the header puts it', () => {
    const { isRepeated } = told(['C1,E1,P1\nC2,E1,P1\nC1,E2,P1\n'], 1);
    expect(isRepeated('E1')).toBe(true);
    expect(isRepeated('E2')).toBe(false);
    expect(isRepeated('C1')).toBe(false);
  });

  it.each([
    ['a quote anywhere', 'E1,C1,"P 1"\nE2,C2,P1\n'],
    ['a \\r', 'E1,C1,P1\r\nE2,C2,P1\r\n'],
    ['an id that is not plainly one (padded)', ' E1,C1,P1\nE2,C2,P1\n'],
    ['a blank id', ',C1,P1\nE2,C2,P1\n'],
  ])('are not told when a part holds %s: every partition makes its pass', (_what, text) => {
    const { status, test } = told([text]);
    expect(status).toBe(REPEATED_UNKNOWN);
    expect(test).toBeUndefined();
  });

  it('are not told when a row has too few cells for its episode_id', () => {
    const { status } = told(['P1,E1\nP2\n'], 1);
    expect(status).toBe(REPEATED_UNKNOWN);
  });
});
