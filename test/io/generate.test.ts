import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateClients } from '../../src/generate/index.js';
import { writeGeneratedDataset } from '../../src/io/generate.js';
import { INPUT_FILES } from '../../src/schema/codes.js';
import { columnsOf } from '../../src/schema/records.js';
import { csvLine } from '../../src/output/csv.js';

const tmp = mkdtempSync(join(tmpdir(), 'recovery-pbr-writer-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('writeGeneratedDataset', () => {
  it('writes the six SPEC §2 files: header in SPEC column order, one csvLine per generated row', async () => {
    const options = { clients: 80, seed: 5, errorRate: 0.01 };
    const out = join(tmp, 'a');
    const report = await writeGeneratedDataset(options, out);
    const clients = [...generateClients(options)];
    expect(report.corruptions).toBe(clients.reduce((s, c) => s + c.corruptions.length, 0));
    for (const f of INPUT_FILES) {
      const expected =
        csvLine(columnsOf(f)) + clients.flatMap((c) => c.rows[f]).map((r) => csvLine(columnsOf(f).map((k) => r[k]))).join('');
      const text = readFileSync(join(out, `${f}.csv`), 'utf8');
      expect(text).toBe(expected);
      const fr = report.files.find((x) => x.file === f)!;
      expect(fr.rows).toBe(clients.reduce((s, c) => s + c.rows[f].length, 0));
      expect(fr.bytes).toBe(statSync(join(out, `${f}.csv`)).size);
    }
    expect(readdirSync(out).filter((n) => n.includes('partial'))).toEqual([]);
  });

  it('gives the same bytes whatever the chunk size (backpressure path with tiny chunks)', async () => {
    const options = { clients: 150, seed: 8 };
    const [a, b] = [join(tmp, 'b1'), join(tmp, 'b2')];
    await writeGeneratedDataset(options, a);
    let progress = 0;
    await writeGeneratedDataset(options, b, { chunkChars: 7, onProgress: (done, total) => (progress = done / total) });
    expect(progress).toBe(1);
    for (const f of INPUT_FILES) expect(readFileSync(join(a, `${f}.csv`)).equals(readFileSync(join(b, `${f}.csv`))), f).toBe(true);
  });

  it('NDJSON: one object a line, keys in SPEC order, blank fields left out', async () => {
    const out = join(tmp, 'c');
    await writeGeneratedDataset({ clients: 20, seed: 2 }, out, { format: 'ndjson' });
    for (const f of INPUT_FILES) {
      const lines = readFileSync(join(out, `${f}.ndjson`), 'utf8').split('\n');
      expect(lines.pop()).toBe('');
      const order = columnsOf(f);
      for (const l of lines) {
        const keys = Object.keys(JSON.parse(l) as object);
        expect(keys).toEqual(order.filter((k) => keys.includes(k)));
      }
    }
  });

  it('leaves no partial files behind when it cannot finish (SPEC §5)', async () => {
    const out = join(tmp, 'd');
    mkdirSync(join(out, 'reviews.csv'), { recursive: true }); // a folder where a file must go: the rename fails
    await expect(writeGeneratedDataset({ clients: 10, seed: 1 }, out)).rejects.toThrow();
    expect(readdirSync(out)).toEqual(['reviews.csv']); // only the folder that was already there
  });
});
