import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateDataset } from '../../src/engine/index.js';
import { calculatePayments } from '../../src/payments/index.js';
import { parseScheme, provenanceAt } from '../../src/schema/scheme/index.js';
import { byClient, decision, episode, journey, met } from './builders.js';

// The presets are read as files here; src/presets/index.ts registers them for the library.
const load = (id: string) => JSON.parse(readFileSync(new URL(`../../seeds/${id}.json`, import.meta.url), 'utf8')) as unknown;

describe.each(['wigan-cohort-2012', 'employment-outcome'])('preset %s (SPEC §6)', (id) => {
  it('passes parseScheme and its id matches the file name', () => {
    const r = parseScheme(load(id));
    if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
    expect(r.scheme.id).toBe(id);
  });

  it('every price and threshold carries provenance, and documented values cite a source file', () => {
    const r = parseScheme(load(id));
    if (!r.ok) throw new Error('invalid');
    const s = r.scheme;
    const paths = [
      ...Object.keys(s.tariff?.attachment ?? {}).map((b) => `tariff.attachment.${b}`),
      ...Object.entries(s.tariff?.outcomes ?? {}).flatMap(([o, t]) => Object.keys(t).map((b) => `tariff.outcomes.${o}.${b}`)),
      ...(s.cohortTariff?.measures ?? []).flatMap((m, i) => m.schedule.map((_, j) => `cohortTariff.measures[${i}].schedule[${j}].pricePerMember`)),
      ...s.outcomes.map((_, i) => `outcomes[${i}].primitives[0]`),
    ];
    for (const p of paths) expect(provenanceAt(s.provenance, p), p).toBeDefined();
    for (const e of s.provenance) {
      if (e.provenance.kind === 'documented') expect(e.provenance.source, e.path).toMatch(/\.txt/);
    }
  });
});

describe('preset prices at work', () => {
  it('wigan-cohort-2012 pays per presentation by complexity group and quarterly cohort payments', () => {
    const r = parseScheme(load('wigan-cohort-2012'));
    if (!r.ok) throw new Error('invalid');
    const js = [1, 2, 3, 4, 5].map((i) => journey(episode({ id: `J${i}`, client: `C${i}`, start: '2012-04-10', end: '2012-06-01', band: i === 5 ? '3' : '1' })));
    const decisions = js.flatMap((j, i) => [
      i < 2 ? met(j, 'completed', '2012-06-01') : decision(j, 'completed', 'not_met'),
      decision(j, 'abstinent', 'not_met'),
      decision(j, 'completed-no-return', 'pending'),
    ]);
    const p = calculatePayments({ clients: byClient(js, decisions) }, r.scheme, { asOf: '2012-06-30' });
    // Attachment: 4 × £120 (group 1) + £240 (group 3); cohort 'standard' completed 2/4 = 50% ≥ 35% → £18 × 4.
    expect(p.totals.by_type.attachment.toFixed(2)).toBe('720.00');
    expect(p.cohorts.filter((c) => c.outcome_id === 'completed').map((c) => `${c.cohort_id} ${c.met}/${c.members} ${c.amount.toFixed(2)}`)).toEqual([
      'complex 0/1 0.00',
      'standard 2/4 72.00',
    ]);
    expect(p.totals.by_type.cohort.toFixed(2)).toBe('72.00');
  });
});

describe('employment-outcome through the outcome engine (R-OUT-5 sustainment)', () => {
  it('pays attachment, the job outcome after 13 weeks and a sustainment payment every further 4 weeks', () => {
    const r = parseScheme(load('employment-outcome'));
    if (!r.ok) throw new Error('invalid');
    const data = {
      episodes: [{ ...episode({ id: 'E1', client: 'C1', start: '2013-04-01', band: '2' }), row: 2 }],
      employment: [{ client_id: 'C1', start_date: '2013-05-01', end_date: undefined, hours_per_week: 37.5, row: 2 }],
    };
    const asOf = '2013-12-31';
    const { clients } = evaluateDataset(data, r.scheme, { asOf });
    const d = clients[0]!.decisions.find((x) => x.outcome_id === 'sustained-employment')!;
    expect(d.status).toBe('met');
    const p = calculatePayments({ clients }, r.scheme, { asOf });
    const lines = p.lines.map((l) => `${l.payment_type} ${l.payable_on} ${l.amount.toFixed(2)}`);
    // 13 weeks of work from 1 May is reached at the end of July; then one payment per 28 days.
    expect(lines[0]).toBe('attachment 2013-04-01 150.00');
    expect(lines[1]).toBe(`outcome ${d.achieved_on} 1500.00`);
    expect(d.achieved_on! >= '2013-07-29' && d.achieved_on! <= '2013-07-31').toBe(true);
    const sustainment = p.lines.filter((l) => l.payment_type === 'sustainment');
    expect(sustainment.map((l) => l.payable_on)).toEqual(d.sustainment);
    expect(sustainment.length).toBe(5); // late Aug, Sep, Oct, Nov, Dec 2013
    expect(p.totals.by_type.sustainment.toFixed(2)).toBe('750.00');
  });
});
