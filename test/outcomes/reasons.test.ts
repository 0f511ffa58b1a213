/**
 * R-OUT-12: an outcome's reason is a code from a closed list (REASON_CODES), or one the scheme
 * declares in `reasonCodes`. Every preset is run on the demo data and on a generated cohort with
 * edge cases (corrupted rows, open journeys, deaths, re-presentations, an early asOf where most is
 * pending, missing evidence files), and every reason written in `outcomes.csv` is checked against
 * the list; a reason is blank exactly when the outcome is met.
 */
import { describe, expect, it } from 'vitest';
import { generateRows } from '../../src/generate/index.js';
import { runFolder } from '../../src/node/run-folder.js';
import { outcomesCsv } from '../../src/output/outcomes.js';
import { REASON_TEXT } from '../../src/outcomes/reasons.js';
import { PRESET_IDS, presetScheme, resolveExtends } from '../../src/presets/index.js';
import { prepareRecords, runScheme, type RecordInput } from '../../src/run/index.js';
import { INPUT_FILES, REASON_CODES } from '../../src/schema/codes.js';
import { loadScheme, type Scheme } from '../../src/schema/scheme/index.js';

const DEMO = new URL('../../examples/demo', import.meta.url).pathname;

/** The (status, reason) of every row of an outcomes.csv text (reason and status are the last columns, never quoted). */
function statusAndReason(csv: string): [string, string][] {
  const lines = csv.trimEnd().split('\n');
  expect(lines[0]!.endsWith(',status,achieved_on,due_on,reason')).toBe(true);
  return lines.slice(1).map((l) => {
    const cells = l.split(',');
    return [cells[cells.length - 4]!, cells[cells.length - 1]!];
  });
}

/** Checks the rows against R-OUT-12 for `scheme`, and adds the reasons seen to `seen`. */
function checkReasons(rows: [string, string][], scheme: Scheme, seen: Set<string>, where: string): void {
  const allowed = new Set<string>([...REASON_CODES, ...Object.keys(scheme.reasonCodes)]);
  for (const [status, reason] of rows) {
    if (status === 'met') expect(reason, `${where}: a met outcome has no reason`).toBe('');
    else {
      expect(allowed.has(reason), `${where}: '${reason}' (status ${status}) is not an R-OUT-12 code nor one of the scheme's`).toBe(true);
      seen.add(reason);
    }
  }
}

const seen = new Set<string>();

describe('R-OUT-12: every reason in outcomes.csv is on the closed list (or the scheme declares it)', () => {
  it('the list is the one R-OUT-12 names, each code with its meaning', () => {
    expect([...REASON_CODES]).toEqual([
      'in_treatment', 'window_open', 're_presented', 'unsuccessful_exit', 'occasional_user_opiate', 'substitute_medication_at_exit',
      'no_qualifying_review', 'not_abstinent', 'not_confirmed', 'no_prior_offence', 'reoffended', 'no_start_review', 'no_improvement',
      'not_injecting_at_start', 'still_injecting', 'not_in_population', 'gateway_not_met', 'gateway_pending', 'died', 'no_evidence',
      'not_in_work_long_enough',
    ]);
    expect(Object.keys(REASON_TEXT).sort()).toEqual([...REASON_CODES].sort());
  });

  it.each(PRESET_IDS.map((id) => [id]))('%s on the demo, early (2013-03-31) and at the demo date (2015-03-31)', async (id) => {
    const scheme = presetScheme(id);
    for (const asOf of ['2013-03-31', '2015-03-31'] as const) {
      const run = await runFolder(DEMO, scheme, { asOf, workers: 0 });
      try {
        const rows = statusAndReason([...run.outcomesCsv()].join(''));
        if (scheme.outcomes.length > 0) expect(rows.length).toBeGreaterThan(0);
        checkReasons(rows, scheme, seen, `${id} demo ${asOf}`);
      } finally {
        await run.dispose();
      }
    }
  });

  // A generated cohort with corrupted rows; run with every file, and with only episodes and clients
  // (the rules that need reviews, tests, offences or employment then say no_evidence, R-OUT-11).
  const generated = (f: (typeof INPUT_FILES)[number]) => [...generateRows({ clients: 400, seed: 1216, errorRate: 0.03 }, f)];
  const cohort: RecordInput = Object.fromEntries(INPUT_FILES.map((f) => [f, generated(f)])) as unknown as RecordInput;
  const episodesOnly: RecordInput = { episodes: cohort.episodes, clients: cohort.clients };

  // A scheme of one's own: an outcome with a population filter (not_in_population), and a code it declares.
  const local = loadScheme(
    resolveExtends({
      extends: 'national-model-2012',
      id: 'local',
      version: '1.0.0',
      title: 'Local variant: completions of clients aged 30 and over',
      reasonCodes: { local_hold: 'held back for a local audit' },
      outcomes: [{ id: 'older-completion', title: 'Successful completion, 30 and over', population: { minAge: 30 }, primitives: [{ type: 'successful_completion' }] }],
    }),
  );
  const schemes: [string, Scheme][] = [...PRESET_IDS.map((id) => [id, presetScheme(id)] as [string, Scheme]), ['local', local]];

  it.each(schemes)('%s on a generated cohort with edge cases, at three dates, with and without the evidence files', (id, scheme) => {
    for (const input of [cohort, episodesOnly]) {
      const prepared = prepareRecords(input, scheme);
      for (const asOf of ['2011-09-30', '2013-06-30', '2015-03-31'] as const) {
        const run = runScheme(prepared, scheme, { asOf });
        checkReasons(statusAndReason(outcomesCsv(run.decisions)), scheme, seen, `${id} generated ${asOf} (${Object.keys(input).join(', ')})`);
      }
    }
  });

  it("a scheme's own codes are allowed beside R-OUT-12's, and only for that scheme", () => {
    const s = new Set<string>();
    checkReasons([['not_met', 'local_hold'], ['pending', 'window_open'], ['met', '']], local, s, 'local');
    expect([...s].sort()).toEqual(['local_hold', 'window_open']);
    expect(() => checkReasons([['not_met', 'local_hold']], presetScheme('national-model-2012'), s, 'national')).toThrow(/not an R-OUT-12 code/);
    expect(() => checkReasons([['met', 'window_open']], local, s, 'local')).toThrow(/a met outcome has no reason/);
  });

  it('the runs above reached every code of the list', () => {
    // A code dropping out means a rule stopped saying it, or the data stopped reaching it.
    expect([...seen].sort()).toEqual([...REASON_CODES].sort());
  });
});
