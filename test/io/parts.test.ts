import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findInputParts } from '../../src/io/dataset.js';
import { readDataset } from '../../src/node/run-folder.js';
import { tempDir } from './helpers.js';

const HEADER = 'episode_id,client_id,provider_id,area_code,substances,start_date\n';

describe('input parts (issue #6: a kind may be a folder of parts)', () => {
  it('reads a folder of .csv / .ndjson parts in name (code point) order, and notes files it does not read', async () => {
    const d = tempDir();
    mkdirSync(join(d, 'episodes'));
    writeFileSync(join(d, 'episodes', 'b.csv'), HEADER);
    writeFileSync(join(d, 'episodes', 'a.ndjson'), '');
    writeFileSync(join(d, 'episodes', 'Z.csv'), HEADER);
    writeFileSync(join(d, 'episodes', 'notes.txt'), 'x');
    writeFileSync(join(d, 'reviews.csv'), 'client_id,episode_id,date,stage\n');
    const { inputs, notes } = await findInputParts(d);
    expect(inputs.episodes!.folder).toBe(true);
    expect(inputs.episodes!.name).toBe('episodes/');
    expect(inputs.episodes!.parts.map((p) => p.name)).toEqual(['episodes/Z.csv', 'episodes/a.ndjson', 'episodes/b.csv']);
    expect(inputs.reviews!.parts.map((p) => p.name)).toEqual(['reviews.csv']);
    expect(notes.join('\n')).toContain('notes.txt is not .csv or .ndjson and not read');
  });

  it('refuses a kind given twice (a file and a folder), and a folder with no part', async () => {
    const d = tempDir();
    mkdirSync(join(d, 'episodes'));
    await expect(findInputParts(d)).rejects.toThrow(/holds no \.csv or \.ndjson file/);
    writeFileSync(join(d, 'episodes.csv'), HEADER);
    await expect(findInputParts(d)).rejects.toThrow(/holds the folder episodes\/ and episodes\.csv: keep one episodes file/);
  });

  it('the one-file reader (readDataset) points to the reader of folders of parts', async () => {
    const d = tempDir();
    mkdirSync(join(d, 'episodes'));
    writeFileSync(join(d, 'episodes', '2013.csv'), HEADER);
    await expect(readDataset(d)).rejects.toThrow(/folder of parts: readDataset takes one episodes\.csv \(or \.ndjson\) file; readFolderDataset \(recovery-pbr\/node\), which every command uses, reads folders of parts/);
  });
});
