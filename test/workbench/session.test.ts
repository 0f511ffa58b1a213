/**
 * The workbench's pipeline (workbench/src/session.ts, ingest.ts, reprice.ts) in Node, against the
 * command line on the same files: the page reads files as `run` does (R-VAL-1..3: the same
 * rejections, counts and notes), and writes the same bytes (outcomes.csv, payments.csv,
 * rejections.csv, summary.json and the HTML report, R-PAY-7). The page runs this same code in a
 * Web Worker (test/workbench/browser.test.ts drives it there).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { presetScheme, resolveExtends } from '../../src/presets/index.js';
import { loadScheme } from '../../src/schema/scheme/index.js';
import { canonicalJson as coreCanonicalJson, sha256Json as coreSha256Json } from '../../src/io/hash.js';
import { canonicalJson } from '../../workbench/src/canonical.js';
import { identifyFiles } from '../../workbench/src/ingest.js';
import { Session, sha256Json } from '../../workbench/src/session.js';
import { runCli } from '../support/cli.js';
import { tempDir } from '../io/helpers.js';
import { VERSION } from '../../src/cli/version.js';

const DEMO = join(import.meta.dirname, '../../examples/demo');
const AS_OF = '2015-03-31';
const tool = { name: 'recovery-pbr' as const, version: VERSION };

/** The files of a folder as the page gets them (File objects). */
function filesOf(dir: string): File[] {
  return readdirSync(dir)
    .sort()
    .map((n) => new File([readFileSync(join(dir, n))], n));
}

let demo: Promise<Session> | undefined;
/** The demo cohort loaded once for this file (its decisions are kept between tests: that is the point). */
function demoSession(): Promise<Session> {
  return (demo ??= (async () => {
    const s = new Session(tool);
    await s.load(filesOf(DEMO));
    return s;
  })());
}

/** Runs `recovery-pbr run --report report.html` and returns what it wrote. */
async function cliRun(data: string, scheme: string, out: string): Promise<Record<string, string>> {
  const r = await runCli(['run', '--scheme', scheme, '--data', data, '--as-of', AS_OF, '--out', out, '--report', 'report.html', '--quiet']);
  expect(r.code, r.stderr).toBe(0);
  return Object.fromEntries(readdirSync(out).map((n) => [n, readFileSync(join(out, n), 'utf8')]));
}

describe('workbench pipeline = recovery-pbr run, byte for byte', () => {
  const dir = tempDir('rpbr-wb-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('demo cohort, a scheme file with caps, contract terms and two payers: outcomes, payments, rejections, summary.json and the report', async () => {
    const doc = {
      extends: 'national-model-2012',
      id: 'demo-capped',
      version: '1',
      payers: [
        { id: 'local', share: { value: '0.8', provenance: { kind: 'illustrative', note: 'Test split.' } } },
        { id: 'central', share: '0.2' },
      ],
      contract: {
        providers: { P905C: { annualValue: '80000.00', pbrShare: '0.5' } },
        defaultTerms: { annualValue: '120000.00', pbrShare: '0.75', cap: '45000.00' },
      },
    };
    const scheme = loadScheme(resolveExtends(doc));
    const file = join(dir, 'capped.json');
    writeFileSync(file, JSON.stringify(doc));
    const cli = await cliRun(DEMO, file, join(dir, 'capped'));
    const s = await demoSession();
    const out = s.outputs(scheme, AS_OF);
    expect(Object.keys(out).sort()).toEqual(Object.keys(cli).sort());
    for (const [name, text] of Object.entries(out)) expect(text, name).toBe(cli[name]);
    expect(cli['payments.csv']).toMatch(/,central,/);
    expect(JSON.parse(cli['summary.json']!).payments.capped.items).toBeGreaterThan(0);
    expect(s.check(scheme).rejections.length).toBeGreaterThan(0);
  });

  for (const format of ['csv', 'ndjson'] as const) {
    it(`a generated cohort with many faulty rows (${format}): the same rejections, counts and outputs`, async () => {
      const data = join(dir, `dirty-${format}`);
      const g = await runCli(['generate', '--clients', '400', '--seed', '11', '--error-rate', '0.08', '--format', format, '--out', data]);
      expect(g.code, g.stderr).toBe(0);
      const cli = await cliRun(data, 'national-model-2012', join(dir, `dirty-${format}-out`));
      const s = new Session(tool);
      await s.load(filesOf(data));
      const out = s.outputs(presetScheme('national-model-2012'), AS_OF);
      expect(cli['rejections.csv']!.split('\n').length).toBeGreaterThan(50);
      for (const [name, text] of Object.entries(out)) expect(text, name).toBe(cli[name]);
    });
  }

  it('CSV oddities read as the CLI reads them: BOM, CRLF, quoted line breaks, blank lines, wrong widths, Latin-1 bytes, unknown columns', async () => {
    const data = join(dir, 'odd');
    mkdirSync(data);
    const episodes = readFileSync(join(DEMO, 'episodes.csv'), 'utf8').split('\n').slice(0, 40);
    episodes[0] = episodes[0] + ',notes';
    for (let i = 1; i < episodes.length; i++) if (episodes[i]) episodes[i] += i === 5 ? ',"two\nlines"' : i === 7 ? ',x,y' : i === 9 ? '' : ',';
    episodes.splice(12, 0, '');
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(episodes.join('\r\n')), Buffer.from('\r\nE-LAT1,C-LAT1,P1,A'), Buffer.from([0xe9]), Buffer.from(',opiates,2013-01-01,,,1,,,,\r\n')]);
    writeFileSync(join(data, 'episodes.csv'), bytes);
    writeFileSync(join(data, 'Clients.csv'), 'client_id,date_of_death\nC-LAT1,2014-02-30\n');
    writeFileSync(join(data, 'reviews.xlsx'), 'not read');
    const cli = await cliRun(data, 'national-model-2012', join(dir, 'odd-out'));
    const s = new Session(tool);
    await s.load(filesOf(data));
    const out = s.outputs(presetScheme('national-model-2012'), AS_OF);
    expect(cli['rejections.csv']).toMatch(/not UTF-8/);
    expect(cli['summary.json']).toMatch(/reviews\.xlsx is a spreadsheet/);
    for (const [name, text] of Object.entries(out)) expect(text, name).toBe(cli[name]);
  });
});

describe('workbench reading: the anonymisation guard and unusable files (R-VAL-3)', () => {
  const load = async (files: File[]) => {
    const s = new Session(tool);
    return s.load(files).then(
      () => 'loaded',
      (e: Error) => e.message,
    );
  };

  it('a header naming a direct identifier stops the reading before any row is read', async () => {
    const msg = await load([new File(['episode_id,client_id,provider_id,area_code,substances,start_date,Client Name\n'], 'episodes.csv')]);
    expect(msg).toMatch(/'Client Name' \(a name\) identifies people directly/);
    expect(msg).toMatch(/^episodes\.csv:/);
  });

  it('an NDJSON key naming a direct identifier stops the reading', async () => {
    const msg = await load([
      new File(['{"episode_id":"E1","client_id":"C1","provider_id":"P","area_code":"A","substances":"opiates","start_date":"2013-01-01"}\n'], 'episodes.ndjson'),
      new File(['{"client_id":"C1","email":"a@b.c"}\n'], 'clients.ndjson'),
    ]);
    expect(msg).toMatch(/clients\.ndjson line 1: key 'email' \(an email address\) identifies people directly/);
  });

  it('no episodes file, two formats of one kind, a folder of parts, an unclosed quote: a clear message', async () => {
    expect(await load([new File(['client_id\n'], 'clients.csv')])).toMatch(/no episodes\.csv or episodes\.ndjson/);
    const ep = 'episode_id,client_id,provider_id,area_code,substances,start_date\n';
    expect(await load([new File([ep], 'episodes.csv'), new File([''], 'episodes.ndjson')])).toMatch(/keep one episodes file/);
    const part = new File([ep], '2013.csv');
    Object.defineProperty(part, 'webkitRelativePath', { value: 'data/episodes/2013.csv' });
    const clients = new File(['client_id\n'], 'clients.csv');
    Object.defineProperty(clients, 'webkitRelativePath', { value: 'data/clients.csv' });
    expect(await load([part, clients])).toMatch(/episodes\/ is a folder of parts/);
    expect(await load([new File([`${ep}E1,"C1,P,A,opiates,2013-01-01\nE2,C2,P,A,opiates,2013-01-01\n`], 'episodes.csv')])).toMatch(/quote \(\"\) opened in row 2 \(line 2\) is never closed/);
  });

  it('files that are not inputs are listed, not read', () => {
    const id = identifyFiles([new File([''], 'episodes.csv'), new File([''], 'readme.md'), new File([''], 'episodes.xlsx')]);
    expect(id.ignored).toEqual(['readme.md']);
    expect(id.notes).toEqual(['episodes.xlsx is a spreadsheet: save it as "CSV UTF-8".']);
  });
});

describe('the page hashes as the CLI does', () => {
  it('canonical JSON and the scheme hash', () => {
    const scheme = presetScheme('national-model-2012');
    expect(canonicalJson(scheme)).toBe(coreCanonicalJson(scheme));
    expect(sha256Json(scheme)).toBe(coreSha256Json(scheme));
  });
});

describe('the session keeps decisions while only payments change', () => {
  it('decides once for schemes that differ only in prices (the same decided outcomes object)', async () => {
    const s = await demoSession();
    const a = presetScheme('national-model-2012');
    const b = { ...a, tariff: { ...a.tariff!, outcomes: { ...a.tariff!.outcomes, 'free-from-dependence': { '1': '1.00', '2': '2.00', '3': '3.00' } } } };
    expect(s.decide(a, AS_OF)).toBe(s.decide(b, AS_OF));
    const c = s.compare(a, b, AS_OF)!;
    expect(c.diff.total.difference.isNegative()).toBe(true);
  });
});
