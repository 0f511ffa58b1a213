/**
 * The worked examples of docs/rules.md, each run against the code, so the rules reference cannot
 * drift from what the engine does. Every test names the rule id of its section in docs/rules.md;
 * dates, figures and reasons are the ones the page prints. If one of these fails after a deliberate
 * change of a rule, change the example on the page and here together.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addMonths, compareCodePoint } from '../../src/calendar/index.js';
import { evaluateDataset } from '../../src/engine/index.js';
import { computeIndicators } from '../../src/health-premium/indicators.js';
import { buildJourneys } from '../../src/journeys/index.js';
import { decimal, formatMoney } from '../../src/money/index.js';
import { outcomesCsv } from '../../src/output/outcomes.js';
import { calculatePayments, cohortAmount, paymentsCsv } from '../../src/payments/index.js';
import { presetDocument, presetScheme } from '../../src/presets/index.js';
import { loadScheme, mergeSchemeDocuments } from '../../src/schema/scheme/index.js';
import { brief, dataset, decide, decisions, died, drugTest, episode, job, offence, oneOutcome, opiateEpisode, review, schemeOf } from '../support/builders.js';
import { runCli } from '../support/cli.js';

const national = presetScheme('national-model-2012');
const tmp = mkdtempSync(join(tmpdir(), 'recovery-pbr-rules-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Writes a data folder of CSV files (name → lines) and returns its path. */
function folder(name: string, files: Record<string, string[]>): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  for (const [f, lines] of Object.entries(files)) writeFileSync(join(dir, f), lines.join('\n') + '\n');
  return dir;
}

const csvRows = (text: string) => text.trim().split('\n').slice(1);

describe('docs/rules.md covers every rule id of the specification (v3)', () => {
  const ids = [
    ...[1, 2, 3, 4].map((n) => `R-VAL-${n}`),
    ...[1, 2, 3, 4, 5].map((n) => `R-JNY-${n}`),
    ...[1, 2, 3, 4, 5].map((n) => `R-CAL-${n}`),
    ...Array.from({ length: 12 }, (_, i) => `R-OUT-${i + 1}`),
    ...Array.from({ length: 8 }, (_, i) => `R-PAY-${i + 1}`),
    ...[1, 2, 3, 4].map((n) => `R-HP-${n}`),
  ];
  const page = readFileSync(new URL('../../docs/rules.md', import.meta.url), 'utf8');
  const sections = new Map([...page.matchAll(/^### (R-[A-Z]+-\d+)\b[^\n]*\n([\s\S]*?)(?=^##|(?![\s\S]))/gm)].map((m) => [m[1]!, m[2]!]));

  it.each(ids)('%s has its own section with a worked example', (id) => {
    expect(sections.has(id), `a "### ${id} …" heading`).toBe(true);
    expect(sections.get(id)).toContain('**Example.**');
  });

  it('has no section for a rule id the specification does not have', () => {
    expect([...sections.keys()].filter((id) => !ids.includes(id))).toEqual([]);
  });
});

describe('docs/rules.md — validation (R-VAL)', () => {
  const dir = folder('val', {
    'episodes.csv': [
      'episode_id,client_id,provider_id,area_code,substances,start_date,discharge_date,exit_reason,tariff_band',
      'E1,C1,P1,A1,alcohol,2013-01-07,2013-06-30,completed_alcohol_free,1',
      'E2,C2,P1,A1,opiates;crack,2023-02-30,,,2',
      'E3,C3,P1,A1,heroin,2013-02-01,,,2',
      'E4,C4,P1,A1,alcohol,2013-03-01,2013-02-01,dropped_out,1',
      'E5,C5,P1,A1,alcohol,2013-03-01,,dropped_out,1',
      'E6,9434765919,P1,A1,alcohol,2013-03-01,,,1',
      'E7,C7,P1,A1,alcohol,2013-03-01,,,1',
      'E7,C7,P1,A1,alcohol,2013-03-01,,,1',
      'E8,C8,P1,A1,alcohol,2013-03-01,,,1',
      'E8,C8,P1,A1,alcohol,2013-03-02,,,1',
    ],
    'reviews.csv': [
      'client_id,episode_id,date,stage,days_alcohol,quality_of_life',
      'C1,E1,2013-01-07,start,20,8',
      'C1,E1,2013-07-28,exit,0,14',
      'C1,E1,2013-07-29,post_exit,0,15',
      'C1,E1,2013-04-01,review,35,12',
      'C2,E1,2013-04-01,review,0,12',
      'C9,E99,2013-04-01,review,0,12',
    ],
  });

  it('R-VAL-1 / R-VAL-2: every row used or rejected with its row, field, reason and code; used + rejected = read', async () => {
    const out = join(tmp, 'val-out');
    const r = await runCli(['validate', '--data', dir, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/episodes\s+csv\s+10\s+2\s+8/);
    expect(r.stdout).toMatch(/reviews\s+csv\s+6\s+2\s+4/);
    const rows = csvRows(readFileSync(join(out, 'rejections.csv'), 'utf8')).map((l) => l.split(',').slice(0, 3).join(','));
    expect(rows).toEqual([
      'episodes.csv,3,start_date',
      'episodes.csv,4,substances',
      'episodes.csv,5,discharge_date',
      'episodes.csv,6,discharge_date',
      'episodes.csv,7,client_id',
      'episodes.csv,9,episode_id',
      'episodes.csv,10,episode_id',
      'episodes.csv,11,episode_id',
      'reviews.csv,4,date',
      'reviews.csv,5,days_alcohol',
      'reviews.csv,6,client_id',
      'reviews.csv,7,episode_id',
    ]);
    const text = readFileSync(join(out, 'rejections.csv'), 'utf8');
    expect(text).toContain('episodes.csv,3,start_date,2023-02-30,is not a real calendar date,not_a_date\n');
    expect(text).toContain('episodes.csv,5,discharge_date,2013-02-01,is before start_date 2013-03-01,date_order\n');
    expect(text).toContain('episodes.csv,9,episode_id,E7,duplicate: the same row already appears at row 8');
    expect(text).toContain('reviews.csv,4,date,2013-07-29,is more than 28 days after the discharge of episode E1 (2013-06-30),review_after_discharge\n');
    expect(text).toContain('reviews.csv,5,days_alcohol,35,is outside 0–28 days (of the previous 28),out_of_range\n');
    expect(text).toMatch(/episodes\.csv,7,client_id,[^\n]*NHS number/);
  });

  it('R-VAL-3: a column naming a person stops the run before any row is read', async () => {
    const bad = folder('val-id', {
      'episodes.csv': ['episode_id,client_id,Client Name,provider_id,area_code,substances,start_date,Post Code', 'E1,C1,Jo Bloggs,P1,A1,alcohol,2013-01-07,AB1 2CD'],
    });
    const r = await runCli(['validate', '--data', bad, '--out', join(tmp, 'val-id-out')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("columns 'Client Name' (a name), 'Post Code' (a postcode) identify people directly");
    expect(r.stderr).toContain('No rows were read');
  });

  it('R-VAL-4: a scheme is refused as a whole, with every problem by path', async () => {
    const file = join(tmp, 'my-scheme.json');
    writeFileSync(
      file,
      JSON.stringify({
        extends: 'national-model-2012',
        id: 'my-scheme',
        version: '1',
        outcomes: [{ id: 'free-from-dependence', primitives: [{ type: 'successful_completion' }, { type: 'no_representation', monhts: 12 }] }],
        tariff: { outcomes: { 'free-from-dependence': { '2': '1800.005' } } },
      }),
    );
    const r = await runCli(['run', '--scheme', file, '--data', dir, '--as-of', '2015-03-31', '--out', join(tmp, 'val-scheme-out')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot be used (2 problems)');
    expect(r.stderr).toContain("outcomes[0].primitives[1]: unknown key 'monhts' (check the spelling)");
    expect(r.stderr).toContain('tariff.outcomes.free-from-dependence.2: money has at most 2 decimal places (pounds and pence)');
  });
});

describe('docs/rules.md — journeys (R-JNY)', () => {
  it('R-JNY-1: 21 days apart joins a journey, 22 days starts a new one', () => {
    const js = buildJourneys([episode('E1', '2013-01-07', '2013-03-01'), episode('E2', '2013-03-22', '2013-04-22'), episode('E3', '2013-05-14', '2013-06-30')]);
    expect(js.map((j) => [j.journey_id, j.start_date, j.end_date, j.episodes.map((e) => e.episode_id)])).toEqual([
      ['E1', '2013-01-07', '2013-04-22', ['E1', 'E2']],
      ['E3', '2013-05-14', '2013-06-30', ['E3']],
    ]);
    // An open episode keeps the journey open: every later episode joins it.
    const open = buildJourneys([episode('E1', '2013-01-07'), episode('E2', '2013-02-01', '2013-03-01'), episode('E3', '2014-06-01', '2014-07-01')]);
    expect(open.map((j) => [j.journey_id, j.end_date, j.episodes.length])).toEqual([['E1', undefined, 3]]);
  });

  it('R-JNY-2: id, end, exit reason (ties: largest episode_id) and the first band recorded', () => {
    const [j] = buildJourneys([
      episode('E1', '2013-01-07', '2013-06-30', { exit_reason: 'transferred_not_in_custody', tariff_band: undefined }),
      episode('E2', '2013-02-01', '2013-06-30', { exit_reason: 'completed_alcohol_free', tariff_band: '3' }),
    ]);
    expect([j!.journey_id, j!.start_date, j!.end_date, j!.exit_reason, j!.tariff_band]).toEqual(['E1', '2013-01-07', '2013-06-30', 'completed_alcohol_free', '3']);
  });

  it('R-JNY-3: substance group by precedence', () => {
    const group = (subs: string[][]) => buildJourneys(subs.map((s, i) => episode(`E${i + 1}`, `2013-0${i + 1}-01`, undefined, { substances: s as never }))).map((j) => j.substance_group)[0];
    expect(group([['alcohol'], ['cannabis']])).toBe('non_opiate_and_alcohol');
    expect(group([['alcohol', 'cannabis'], ['crack']])).toBe('opiate');
    expect(group([['cocaine']])).toBe('non_opiate');
    expect(group([['alcohol']])).toBe('alcohol');
  });

  it('R-JNY-4: attachment to the first provider, an outcome to the provider in charge on achieved_on', () => {
    const scheme = schemeOf(
      [
        { id: 'quality-of-life', title: 'q', primitives: [{ type: 'score_improvement', measure: 'quality_of_life', minPoints: 4 }] },
        { id: 'free-from-dependence', title: 'f', primitives: [{ type: 'successful_completion' }, { type: 'no_representation', months: 6 }] },
      ],
      { tariff: { bands: ['1', '2', '3'], attachment: { '1': '150.00', '2': '225.00', '3': '300.00' } } },
    );
    const data = dataset({
      episodes: [
        episode('E1', '2013-01-07', '2013-06-30', { exit_reason: 'transferred_not_in_custody', provider_id: 'P1', area_code: 'A1' }),
        episode('E2', '2013-07-10', '2014-01-15', { provider_id: 'P2', area_code: 'A2' }),
      ],
      reviews: [review('E1', '2013-01-10', 'start', { quality_of_life: 8 }), review('E1', '2013-05-10', 'review', { quality_of_life: 12 })],
    });
    const ds = decisions(data, scheme, '2014-07-15');
    expect(ds.map((d) => [d.outcome_id, d.status, d.achieved_on, d.provider_id, d.area_code])).toEqual([
      ['free-from-dependence', 'met', '2014-07-15', 'P2', 'A2'],
      ['quality-of-life', 'met', '2013-05-10', 'P1', 'A1'],
    ]);
    const { clients } = evaluateDataset(data, scheme, { asOf: '2014-07-15' });
    const pay = calculatePayments({ clients }, scheme, { asOf: '2014-07-15' });
    expect(pay.lines.map((l) => [l.payment_type, l.provider_id, l.payable_on, formatMoney(l.paid)])).toEqual([['attachment', 'P1', '2013-01-07', '150.00']]);
  });

  it('R-JNY-5: code point order, never the locale', () => {
    expect(['C9', 'C10', 'a1', 'B2', ''].sort(compareCodePoint)).toEqual(['', 'B2', 'C10', 'C9', 'a1']);
  });
});

describe('docs/rules.md — calendar (R-CAL)', () => {
  it('R-CAL-1: months clamp to the month end; windows are (D, D + N months]', () => {
    expect([addMonths('2013-01-31', 1), addMonths('2012-01-31', 1), addMonths('2013-08-31', 6)]).toEqual(['2013-02-28', '2012-02-29', '2014-02-28']);
    const nr = oneOutcome({ type: 'no_representation', months: 6 });
    const withReturn = (start: string) => dataset({ episodes: [episode('E1', '2013-01-07', '2013-05-31'), episode('E2', start)] });
    expect(brief(decide(withReturn('2013-11-30'), nr, '2014-06-30', 'o', 'E1'))).toEqual({ status: 'not_met', reason: 're_presented' });
    expect(brief(decide(withReturn('2013-12-01'), nr, '2014-06-30', 'o', 'E1'))).toEqual({ status: 'met', achieved_on: '2013-11-30' });
  });

  it('R-CAL-2: a run sees the world as it was known on asOf', () => {
    const data = dataset({ episodes: [episode('E1', '2013-01-07', '2013-06-30')] });
    expect(brief(decide(data, national, '2013-06-29', 'free-from-dependence'))).toEqual({ status: 'pending', reason: 'in_treatment' });
    expect(brief(decide(data, national, '2013-06-30', 'free-from-dependence'))).toEqual({ status: 'pending', due_on: '2013-12-30', reason: 'window_open' });
  });

  it('R-CAL-3: a failure already certain is decided at once, and stays decided', () => {
    const data = dataset({ episodes: [episode('E1', '2013-01-07', '2013-05-31'), episode('E2', '2013-09-01')] });
    for (const asOf of ['2013-09-01', '2013-11-30', '2015-03-31']) {
      expect(brief(decide(data, national, asOf, 'free-from-dependence', 'E1'))).toEqual({ status: 'not_met', reason: 're_presented' });
    }
    // R-OUT-12: the reason in outcomes.csv.
    expect(outcomesCsv(decisions(data, national, '2015-03-31'))).toContain('\nC1,E1,P1,A1,alcohol,1,free-from-dependence,not_met,,,re_presented\n');
  });

  it('R-CAL-4 (v3): a completion is decided when the journey settles, end + journeyGapDays', () => {
    const sc = oneOutcome({ type: 'successful_completion' });
    const data = dataset({ episodes: [episode('E1', '2013-01-07', '2013-05-31')] });
    expect(brief(decide(data, sc, '2013-06-20'))).toEqual({ status: 'pending', due_on: '2013-06-21', reason: 'window_open' });
    expect(brief(decide(data, sc, '2013-06-21'))).toEqual({ status: 'met', achieved_on: '2013-05-31' });
    const ffd = (asOf: string) => brief(decide(data, national, asOf, 'free-from-dependence'));
    expect(ffd('2013-06-21')).toEqual({ status: 'pending', due_on: '2013-11-30', reason: 'window_open' });
    expect(ffd('2013-11-30')).toEqual({ status: 'met', achieved_on: '2013-11-30' });
  });

  it('R-CAL-4 (v3): an unsuccessful exit is decided on the settle date, unless an episode joins', () => {
    const dropped = episode('E1', '2014-01-06', '2014-06-23', { exit_reason: 'dropped_out' });
    const ffd = (d: ReturnType<typeof dataset>, asOf: string) => brief(decide(d, national, asOf, 'free-from-dependence'));
    expect(ffd(dataset({ episodes: [dropped] }), '2014-07-01')).toEqual({ status: 'pending', due_on: '2014-07-14', reason: 'window_open' });
    expect(ffd(dataset({ episodes: [dropped] }), '2014-07-14')).toEqual({ status: 'not_met', reason: 'unsuccessful_exit' });
    expect(ffd(dataset({ episodes: [dropped, episode('E2', '2014-07-10')] }), '2014-07-14')).toEqual({ status: 'pending', reason: 'in_treatment' });
    expect(ffd(dataset({ episodes: [dropped], clients: [died('2014-06-30')] }), '2014-06-30')).toEqual({ status: 'not_met', reason: 'unsuccessful_exit' });
  });

  it('R-CAL-5 (v3): the failure certain first gives the reason', () => {
    const sc = oneOutcome({ type: 'successful_completion' }, { type: 'reduced_offending', beforeMonths: 12, afterMonths: 6, mode: 'binary' });
    const eps = [episode('E1', '2013-01-07', '2013-03-01', { exit_reason: 'dropped_out' })];
    expect(brief(decide(dataset({ episodes: eps, offences: [offence('2012-12-01'), offence('2013-05-10')] }), sc, '2013-12-01'))).toEqual({ status: 'not_met', reason: 'unsuccessful_exit' });
    for (const asOf of ['2013-02-15', '2013-12-01']) {
      expect(brief(decide(dataset({ episodes: eps, offences: [offence('2012-12-01'), offence('2013-02-10')] }), sc, asOf))).toEqual({ status: 'not_met', reason: 'reoffended' });
    }
  });
});

describe('docs/rules.md — outcome primitives (R-OUT)', () => {
  it('R-OUT-1: successful completion, and what does not count for an opiate journey', () => {
    const sc = oneOutcome({ type: 'successful_completion' });
    expect(brief(decide(dataset({ episodes: [episode('E1', '2013-01-07', '2013-05-31')] }), sc, '2014-01-01'))).toEqual({ status: 'met', achieved_on: '2013-05-31' });
    const opiate = (over: object) => dataset({ episodes: [opiateEpisode('E1', '2013-01-07', '2013-05-31', over)] });
    expect(brief(decide(opiate({ substitute_medication_at_exit: false }), sc, '2014-01-01'))).toEqual({ status: 'met', achieved_on: '2013-05-31' });
    expect(brief(decide(opiate({ substitute_medication_at_exit: undefined }), sc, '2014-01-01'))).toEqual({ status: 'not_met', reason: 'substitute_medication_at_exit' });
    expect(brief(decide(opiate({ exit_reason: 'completed_occasional_user' }), sc, '2014-01-01'))).toEqual({ status: 'not_met', reason: 'occasional_user_opiate' });
    expect(brief(decide(opiate({ exit_reason: 'dropped_out' }), sc, '2014-01-01'))).toEqual({ status: 'not_met', reason: 'unsuccessful_exit' });
  });

  it('R-OUT-2: no re-presentation within 6 months (see R-CAL-1 for the boundary)', () => {
    const data = dataset({ episodes: [episode('E1', '2013-01-07', '2013-05-31')] });
    expect(brief(decide(data, oneOutcome({ type: 'no_representation', months: 6 }), '2013-12-01'))).toEqual({ status: 'met', achieved_on: '2013-11-30' });
  });

  it('R-OUT-3: abstinence at a review 6 months in, confirmed by a negative opiate test within 7 days', () => {
    const eps = [opiateEpisode('E1', '2013-01-07')];
    const rv = [review('E1', '2013-01-07', 'start', { days_opiates: 20 }), review('E1', '2013-05-01', 'review', { days_opiates: 0 }), review('E1', '2013-08-01', 'review', { days_opiates: 0 })];
    const tests = [drugTest('2013-07-29', 'opiates', 'negative')];
    const ac = (asOf: string, t = tests, e = eps) => brief(decide(dataset({ episodes: e, reviews: rv, drug_tests: t }), national, asOf, 'abstinent-confirmed'));
    expect(ac('2013-08-05')).toEqual({ status: 'pending', due_on: '2013-08-08', reason: 'window_open' });
    expect(ac('2013-08-08')).toEqual({ status: 'met', achieved_on: '2013-08-08' });
    expect(ac('2013-09-01', [...tests, drugTest('2013-08-06', 'opiates', 'positive')])).toEqual({ status: 'pending', reason: 'in_treatment' });
    // Cited as at the review: a crack episode joining later does not ask for a crack test.
    expect(ac('2013-12-01', tests, [...eps, opiateEpisode('E2', '2013-09-02', undefined, { substances: ['crack'] })])).toEqual({ status: 'met', achieved_on: '2013-08-08' });
  });

  it('R-OUT-4: reduced offending, with an offence on the start date counted before', () => {
    const ro = oneOutcome({ type: 'reduced_offending', beforeMonths: 12, afterMonths: 6, mode: 'binary' });
    const eps = [episode('E1', '2013-03-15')];
    const at = (offences: string[], asOf: string, o = ro) => brief(decide(dataset({ episodes: eps, offences: offences.map((d) => offence(d)) }), o, asOf));
    expect(at(['2012-06-01', '2013-03-15'], '2013-09-14')).toEqual({ status: 'pending', due_on: '2013-09-15', reason: 'window_open' });
    expect(at(['2012-06-01', '2013-03-15'], '2013-09-15')).toEqual({ status: 'met', achieved_on: '2013-09-15' });
    expect(at(['2012-06-01', '2013-03-15', '2013-09-15'], '2013-10-01')).toEqual({ status: 'not_met', reason: 'reoffended' });
    expect(at(['2012-03-14'], '2013-10-01')).toEqual({ status: 'not_eligible', reason: 'no_prior_offence' });
    const freq = oneOutcome({ type: 'reduced_offending', beforeMonths: 12, afterMonths: 6, mode: 'frequency', minReduction: '0.5' });
    const before = ['2012-06-01', '2012-07-01', '2012-08-01', '2012-09-01'];
    expect(at([...before, '2013-05-01', '2013-06-01'], '2013-10-01', freq)).toEqual({ status: 'met', achieved_on: '2013-09-15' });
    expect(at([...before, '2013-05-01', '2013-06-01', '2013-07-01'], '2013-10-01', freq)).toEqual({ status: 'not_met', reason: 'reoffended' });
  });

  it('R-OUT-5: 13 weeks in work, then four-weekly sustainment payments', () => {
    const emp = presetScheme('employment-outcome');
    const eps = [episode('E1', '2013-01-07')];
    const at = (jobs: ReturnType<typeof job>[], asOf: string) => decide(dataset({ episodes: eps, employment: jobs }), emp, asOf, 'sustained-employment');
    expect(brief(at([job('2013-02-01')], '2013-05-01'))).toEqual({ status: 'pending', due_on: '2014-01-07', reason: 'window_open' });
    expect(brief(at([job('2013-02-01')], '2013-05-02'))).toEqual({ status: 'met', achieved_on: '2013-05-02' });
    expect(at([job('2013-02-01')], '2013-08-31').sustainment).toEqual(['2013-05-30', '2013-06-27', '2013-07-25', '2013-08-22']);
    expect(brief(at([job('2013-02-01', undefined, 12)], '2013-12-01'))).toEqual({ status: 'not_met', reason: 'not_in_work_long_enough' });
    const short = at([job('2013-02-01', '2013-03-31')], '2014-02-01');
    expect(brief(short)).toEqual({ status: 'not_met', reason: 'not_in_work_long_enough' });
    expect(short.steps.find((s) => s.rule === 'R-OUT-5')!.decided_on).toBe('2013-10-09');
  });

  it('R-OUT-6: quality of life up 4 points on the start review', () => {
    const qol = oneOutcome({ type: 'score_improvement', measure: 'quality_of_life', minPoints: 4 });
    const eps = [episode('E1', '2013-01-07')];
    const rv = [review('E1', '2013-01-10', 'start', { quality_of_life: 8 }), review('E1', '2013-04-10', 'review', { quality_of_life: 11 }), review('E1', '2013-07-10', 'review', { quality_of_life: 12 })];
    expect(brief(decide(dataset({ episodes: eps, reviews: rv }), qol, '2013-12-01'))).toEqual({ status: 'met', achieved_on: '2013-07-10' });
    expect(brief(decide(dataset({ episodes: eps, reviews: [review('E1', '2013-01-10', 'start', { quality_of_life: 17 })] }), qol, '2013-12-01'))).toEqual({ status: 'not_met', reason: 'no_improvement' });
    expect(brief(decide(dataset({ episodes: eps, reviews: [] }), qol, '2013-12-01'))).toEqual({ status: 'pending', reason: 'in_treatment' });
    expect(brief(decide(dataset({ episodes: [episode('E1', '2013-01-07', '2013-06-30')], reviews: [] }), qol, '2013-12-01'))).toEqual({ status: 'not_eligible', reason: 'no_start_review' });
  });

  it('R-OUT-7: stopped injecting', () => {
    const inj = oneOutcome({ type: 'injecting_cessation' });
    const flagged = dataset({ episodes: [opiateEpisode('E1', '2013-01-07', undefined, { injecting_at_start: true })], reviews: [review('E1', '2013-04-10', 'review', { days_injected: 0 })] });
    expect(brief(decide(flagged, inj, '2013-12-01'))).toEqual({ status: 'met', achieved_on: '2013-04-10' });
    const byReview = dataset({
      episodes: [opiateEpisode('E1', '2013-01-07', undefined, { injecting_at_start: undefined })],
      reviews: [review('E1', '2013-01-20', 'start', { days_injected: 12 }), review('E1', '2013-04-10', 'review', { days_injected: 0 })],
    });
    expect(brief(decide(byReview, inj, '2013-12-01'))).toEqual({ status: 'met', achieved_on: '2013-04-10' });
    const not = dataset({ episodes: [opiateEpisode('E1', '2013-01-07', undefined, { injecting_at_start: false })], reviews: [review('E1', '2013-01-20', 'start', { days_injected: 0 })] });
    expect(brief(decide(not, inj, '2013-12-01'))).toEqual({ status: 'not_eligible', reason: 'not_injecting_at_start' });
  });

  const gatewayData = (over: object = {}, extra: object = {}) =>
    dataset({
      episodes: [episode('E1', '2013-01-07', '2014-01-15', over)],
      reviews: [review('E1', '2013-01-10', 'start', { quality_of_life: 8, days_alcohol: 20 }), review('E1', '2013-07-10', 'review', { quality_of_life: 12, days_alcohol: 4 })],
      ...extra,
    });

  it('R-OUT-8: the gateway dates a met outcome; a failed gateway fails it', () => {
    expect(brief(decide(gatewayData(), national, '2014-03-31', 'quality-of-life'))).toEqual({ status: 'pending', due_on: '2014-07-15', reason: 'gateway_pending' });
    expect(brief(decide(gatewayData(), national, '2014-07-15', 'quality-of-life'))).toEqual({ status: 'met', achieved_on: '2014-07-15' });
    expect(brief(decide(gatewayData({ exit_reason: 'dropped_out' }), national, '2014-03-31', 'quality-of-life'))).toEqual({ status: 'not_met', reason: 'gateway_not_met' });
  });

  it('R-OUT-8 (v3): a pending gateway passes its due date on', () => {
    const data = dataset({ episodes: [episode('E1', '2014-01-06', '2014-06-23', { exit_reason: 'dropped_out' })], offences: [offence('2013-12-01')] });
    const at = (asOf: string, o: string) => brief(decide(data, national, asOf, o));
    expect(at('2014-07-10', 'free-from-dependence')).toEqual({ status: 'pending', due_on: '2014-07-14', reason: 'window_open' });
    expect(at('2014-07-10', 'abstinent-confirmed')).toEqual({ status: 'pending', due_on: '2014-07-14', reason: 'window_open' });
    expect(at('2014-07-10', 'reduced-offending')).toEqual({ status: 'pending', due_on: '2014-07-14', reason: 'gateway_pending' });
    expect(at('2014-07-14', 'reduced-offending')).toEqual({ status: 'not_met', reason: 'gateway_not_met' });
  });

  it('R-OUT-9: death before achieved_on', () => {
    const data = gatewayData({}, { clients: [died('2014-03-01')] });
    expect(brief(decide(data, national, '2014-07-15', 'free-from-dependence'))).toEqual({ status: 'not_met', reason: 'died' });
    expect(brief(decide(data, national, '2014-07-15', 'quality-of-life'))).toEqual({ status: 'not_met', reason: 'died' });
  });

  it('R-OUT-9 (v3): death on the day the journey ends — a failure certain that day keeps its reason', () => {
    const on = (make: typeof episode, over: object = { exit_reason: 'dropped_out' }) =>
      Object.fromEntries(
        decisions(
          dataset({
            episodes: [make('E1', '2014-01-01', '2014-08-01', over)],
            offences: [offence('2013-12-01')],
            reviews: [review('E1', '2014-07-15', 'review', { days_alcohol: 5, days_opiates: 5 })],
            clients: [died('2014-08-01')],
          }),
          national,
          '2014-12-31',
        ).map((d) => [d.outcome_id, d.reason]),
      );
    expect(on(episode)).toMatchObject({ 'free-from-dependence': 'unsuccessful_exit', 'abstinent-confirmed': 'not_abstinent', 'reduced-offending': 'gateway_not_met' });
    expect(on(opiateEpisode)).toMatchObject({ 'free-from-dependence': 'unsuccessful_exit', 'abstinent-confirmed': 'died', 'reduced-offending': 'died' });
    expect(on(episode, {})['free-from-dependence']).toBe('died');
  });

  it('R-OUT-10: paid at most once per journey, and maxPerClientPerYear per client per contract year', () => {
    const scheme = schemeOf([{ id: 'q', title: 'q', primitives: [{ type: 'score_improvement', measure: 'quality_of_life', minPoints: 4 }] }], {
      tariff: { bands: ['1'], outcomes: { q: { '1': '200.00' } }, maxPerClientPerYear: { q: 1 } },
      contract: { start: '2012-04-01' },
    });
    const data = dataset({
      episodes: [episode('E1', '2012-05-01', '2012-06-30'), episode('E2', '2012-09-01')],
      reviews: [
        review('E1', '2012-05-02', 'start', { quality_of_life: 8 }),
        review('E1', '2012-06-01', 'review', { quality_of_life: 12 }),
        review('E2', '2012-09-02', 'start', { quality_of_life: 6 }),
        review('E2', '2012-12-01', 'review', { quality_of_life: 11 }),
      ],
    });
    const { clients } = evaluateDataset(data, scheme, { asOf: '2013-03-31' });
    expect(clients[0]!.decisions.map((d) => [d.journey_id, d.status, d.achieved_on])).toEqual([
      ['E1', 'met', '2012-06-01'],
      ['E2', 'met', '2012-12-01'],
    ]);
    const pay = calculatePayments({ clients }, scheme, { asOf: '2013-03-31' });
    expect(pay.lines.map((l) => [l.journey_id, l.status, formatMoney(l.paid)])).toEqual([
      ['E1', 'payable', '200.00'],
      ['E2', 'over_client_limit', '0.00'],
    ]);
  });

  it('R-OUT-11: a missing evidence file gives not_met / no_evidence', () => {
    const data = { ...dataset({ episodes: [episode('E1', '2013-03-15')] }), offences: undefined };
    const ro = oneOutcome({ type: 'reduced_offending', beforeMonths: 12, afterMonths: 6, mode: 'binary' });
    expect(brief(decide(data, ro, '2013-10-01'))).toEqual({ status: 'not_met', reason: 'no_evidence' });
    expect(brief(decide({ ...data, offences: [] }, ro, '2013-10-01'))).toEqual({ status: 'not_eligible', reason: 'no_prior_offence' });
  });
});

describe('docs/rules.md — payments (R-PAY)', () => {
  const scheme = loadScheme(
    mergeSchemeDocuments(presetDocument('national-model-2012'), {
      id: 'example',
      version: '1',
      contract: { start: '2012-04-01', period: 'quarterly', providers: { P1: { annualValue: '10000.01', pbrShare: '0.3', cap: '500.00' } } },
      payers: [
        { id: 'local', share: '0.8' },
        { id: 'central', share: '0.2' },
      ],
    }),
  );
  const ep = (c: string, start: string, over: object = {}) => opiateEpisode(`E${c}`, start, undefined, { client_id: `C${c}`, ...over });
  const data = dataset({
    episodes: [ep('1', '2013-01-07'), ep('2', '2013-01-07'), ep('3', '2013-01-07'), ep('4', '2012-03-20'), ep('5', '2013-02-01', { tariff_band: undefined }), ep('6', '2013-02-01', { tariff_band: '4' })],
  });
  const { clients } = evaluateDataset(data, scheme, { asOf: '2013-03-31' });
  const pay = calculatePayments({ clients }, scheme, { asOf: '2013-03-31' });

  it('R-PAY-1 / R-PAY-4 / R-PAY-6: fixed instalments, the cap and the payers, to the penny', () => {
    expect(pay.lines.map((l) => [l.item_id, l.payable_on, l.status, formatMoney(l.amount), formatMoney(l.paid), formatMoney(l.capped)])).toEqual([
      ['attachment|C4|E4', '2012-03-20', 'outside_contract', '225.00', '0.00', '0.00'],
      ['fixed|P1|2012-04-01', '2012-04-01', 'payable', '1750.01', '1750.01', '0.00'],
      ['fixed|P1|2012-07-01', '2012-07-01', 'payable', '1750.00', '1750.00', '0.00'],
      ['fixed|P1|2012-10-01', '2012-10-01', 'payable', '1750.00', '1750.00', '0.00'],
      ['fixed|P1|2013-01-01', '2013-01-01', 'payable', '1750.00', '1750.00', '0.00'],
      ['attachment|C1|E1', '2013-01-07', 'payable', '225.00', '225.00', '0.00'],
      ['attachment|C2|E2', '2013-01-07', 'payable', '225.00', '225.00', '0.00'],
      ['attachment|C3|E3', '2013-01-07', 'payable', '225.00', '50.00', '175.00'],
    ]);
    expect(paymentsCsv(pay.rows).split('\n')).toEqual([
      'provider_id,payer,period_start,payment_type,outcome_id,tariff_band,count,amount,capped_amount',
      'P1,central,2012-04-01,fixed,,,1,350.00,0.00',
      'P1,local,2012-04-01,fixed,,,1,1400.01,0.00',
      'P1,central,2012-07-01,fixed,,,1,350.00,0.00',
      'P1,local,2012-07-01,fixed,,,1,1400.00,0.00',
      'P1,central,2012-10-01,fixed,,,1,350.00,0.00',
      'P1,local,2012-10-01,fixed,,,1,1400.00,0.00',
      'P1,central,2013-01-01,attachment,,2,3,100.00,35.00',
      'P1,local,2013-01-01,attachment,,2,3,400.00,140.00',
      'P1,central,2013-01-01,fixed,,,1,350.00,0.00',
      'P1,local,2013-01-01,fixed,,,1,1400.00,0.00',
      '',
    ]);
  });

  it('R-PAY-2 / R-PAY-8: unbanded, unknown band and outside the contract are counted, not paid', () => {
    expect(pay.counts.unbanded).toEqual({ journeys: 1, items: 1 });
    expect(pay.counts.unknown_band).toEqual({ items: 1, bands: ['4'] });
    expect([pay.counts.outside_contract.items, formatMoney(pay.counts.outside_contract.amount)]).toEqual([1, '225.00']);
  });

  it('R-PAY-3: the highest step reached × members', () => {
    const wigan = presetScheme('wigan-cohort-2012');
    const measure = wigan.cohortTariff!.measures.find((m) => m.outcome === 'abstinent' && m.cohorts?.includes('standard'))!;
    const r = cohortAmount(measure, decimal(13).dividedBy(40), 40);
    expect([formatMoney(r.amount), r.step]).toEqual(['600.00', '0.30']);
  });

  it('R-PAY-5: a payment falls in the period holding its payable date', () => {
    const attachments = pay.rows.filter((r) => r.payment_type === 'attachment').map((r) => r.period_start);
    expect(new Set(attachments)).toEqual(new Set(['2013-01-01']));
  });

  it('R-PAY-7: the same records in another order give the same bytes', () => {
    const eps = [episode('E1', '2013-01-07', '2013-05-31'), episode('E2', '2013-09-01'), episode('E3', '2013-02-01', undefined, { client_id: 'C2' })];
    const a = outcomesCsv(evaluateDataset(dataset({ episodes: eps }), national, { asOf: '2014-03-31' }).clients.flatMap((c) => c.decisions));
    const b = outcomesCsv(evaluateDataset(dataset({ episodes: [...eps].reverse() }), national, { asOf: '2014-03-31' }).clients.flatMap((c) => c.decisions));
    expect(b).toBe(a);
  });
});

describe('docs/rules.md — Health Premium (R-HP)', () => {
  it('R-HP-1: clients in treatment in the period, and completions without return', () => {
    const hp = presetScheme('health-premium-2015-16');
    const data = dataset({
      episodes: [
        opiateEpisode('E1', '2012-10-01', '2013-09-30', { client_id: 'C1' }),
        opiateEpisode('E2', '2013-01-01', '2013-08-31', { client_id: 'C2' }),
        opiateEpisode('E2B', '2013-12-01', undefined, { client_id: 'C2' }),
        episode('E3', '2013-06-01', undefined, { client_id: 'C3' }),
        episode('E4', '2012-10-01', '2013-03-15', { client_id: 'C4' }),
        episode('E5', '2013-05-01', '2014-02-28', { client_id: 'C5' }),
      ],
    });
    const at = (asOf: string) =>
      computeIndicators(data, { ...hp, healthPremium: hp.healthPremium! }, { baseline: '2012-04-01', current: '2013-04-01', asOf }).current.map((c) => [
        c.indicator,
        c.numerator,
        c.denominator,
        c.status,
      ]);
    expect(at('2014-03-31')).toEqual([
      ['alcohol', 0, 2, 'provisional'],
      ['combined', 1, 2, 'final'],
      ['non_opiate', 0, 0, 'final'],
      ['opiate', 1, 2, 'final'],
    ]);
    expect(at('2014-09-30')).toEqual([
      ['alcohol', 1, 2, 'final'],
      ['combined', 1, 2, 'final'],
      ['non_opiate', 0, 0, 'final'],
      ['opiate', 1, 2, 'final'],
    ]);
  });

  it("R-HP-1 / R-JNY-4 (v3): a client counts in the area of the journey's exit episode", () => {
    const hp = presetScheme('health-premium-2015-16');
    const areas = (episodes: ReturnType<typeof episode>[]) =>
      computeIndicators(dataset({ episodes }), { ...hp, healthPremium: hp.healthPremium! }, { baseline: '2013-04-01', current: '2014-04-01', asOf: '2015-12-31' })
        .current.filter((c) => c.denominator > 0 && c.indicator === 'opiate')
        .map((c) => [c.area_code, c.numerator, c.denominator]);
    expect(
      areas([
        opiateEpisode('E1', '2014-06-01', '2015-06-01', { area_code: 'A1' }),
        opiateEpisode('E2', '2014-09-01', '2015-01-15', { area_code: 'A9', exit_reason: 'transferred_not_in_custody' }),
      ]),
    ).toEqual([['A1', 0, 1]]);
    expect(
      areas([
        opiateEpisode('E1', '2014-05-01', '2014-07-01', { area_code: 'A1', exit_reason: 'moved_away' }),
        opiateEpisode('E2', '2014-09-01', '2014-11-01', { area_code: 'A2', exit_reason: 'transferred_not_in_custody' }),
        opiateEpisode('E3', '2014-11-10', '2015-02-01', { area_code: 'A3' }),
      ]),
    ).toEqual([['A3', 1, 1]]);
  });

  it('R-HP-2 / R-HP-3 / R-HP-4: published counts, eligibility and the pot to the penny', async () => {
    const counts = join(tmp, 'counts.csv');
    const rows: [string, number, number, number, number][] = [
      // area, opiate baseline n/d, current n; non-opiate …
      ['E06000001', 30, 400, 34, 400],
      ['E06000002', 20, 300, 18, 300],
      ['E06000003', 10, 100, 11, 100],
      ['E06000004', 5, 50, 5, 50],
      ['E06000005', 10, 100, 10, 100],
    ];
    const non: Record<string, [number, number, number, number]> = {
      E06000001: [90, 200, 92, 200],
      E06000002: [50, 100, 60, 100],
      E06000003: [40, 100, 41, 100],
      E06000004: [20, 50, 21, 50],
      E06000005: [30, 100, 30, 100],
    };
    const lines = ['area_code,indicator,period_start,numerator,denominator'];
    for (const [a, bn, bd, cn, cd] of rows) {
      const [nbn, nbd, ncn, ncd] = non[a]!;
      lines.push(`${a},opiate,2012-04-01,${bn},${bd}`, `${a},opiate,2013-04-01,${cn},${cd}`, `${a},non_opiate,2012-04-01,${nbn},${nbd}`, `${a},non_opiate,2013-04-01,${ncn},${ncd}`);
    }
    writeFileSync(counts, lines.join('\n') + '\n');
    const out = join(tmp, 'hp-out');
    const r = await runCli(['health-premium', '--counts', counts, '--baseline', '2012-04-01', '--current', '2013-04-01', '--out', out]);
    expect(r.code).toBe(0);
    const combined = csvRows(readFileSync(join(out, 'health_premium.csv'), 'utf8')).filter((l) => l.split(',')[1] === 'combined');
    expect(combined).toEqual([
      'E06000001,combined,120,600,0.200000,126,600,0.210000,final,true,3333333.33',
      'E06000002,combined,70,400,0.175000,78,400,0.195000,final,false,0.00',
      'E06000003,combined,50,200,0.250000,52,200,0.260000,final,true,1111111.11',
      'E06000004,combined,25,100,0.250000,26,100,0.260000,final,true,555555.56',
      'E06000005,combined,40,200,0.200000,40,200,0.200000,final,false,0.00',
    ]);
    expect(r.stdout).toContain('Paid £5,000,000.00; unallocated £0.00.');
  });
});
