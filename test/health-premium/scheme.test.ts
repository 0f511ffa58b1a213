import { describe, expect, it } from 'vitest';
import { parseScheme, provenanceAt } from '../../src/schema/scheme/index.js';
import { hpScheme, presetDocument } from './support.js';

const problemsOf = (healthPremium: Record<string, unknown>) => {
  const doc = presetDocument();
  const r = parseScheme({ ...doc, healthPremium: { ...(doc['healthPremium'] as object), ...healthPremium } });
  return r.ok ? [] : r.problems;
};

describe('health-premium-2015-16 preset (SPEC §6)', () => {
  const scheme = hpScheme();

  it('passes parseScheme with the values SPEC §6 names', () => {
    const hp = scheme.healthPremium!;
    expect(hp.pot).toBe('5000000');
    expect(hp.followUpMonths).toBe(6);
    expect(hp.national).toMatchObject({ groups: ['opiate', 'non_opiate'], noFallIn: ['opiate', 'non_opiate'], threshold: { type: 'relative', value: '0.02' } });
    expect(hp.national.significance).toBeUndefined();
    expect(hp).toMatchObject({ combine: 'separate', split: { national: '0.5', local: '0.5' }, weight: 'denominator' });
  });

  it('documents the ~2% and the £5m with source file and section', () => {
    for (const path of ['healthPremium.pot', 'healthPremium.national.threshold.value', 'healthPremium.followUpMonths']) {
      const p = provenanceAt(scheme.provenance, path)!.provenance;
      expect(p.kind).toBe('documented');
      expect(p.source).toContain('drug-strategy-2010-third-annual-review-2015.txt');
    }
  });

  it('every health premium value carries its own provenance (not just the file-wide one)', () => {
    const leaves: string[] = [];
    const walk = (v: unknown, path: string) => {
      if (Array.isArray(v) || typeof v !== 'object' || v === null) return void leaves.push(path);
      for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
    };
    walk(scheme.healthPremium, 'healthPremium');
    for (const path of leaves) expect(provenanceAt(scheme.provenance, path)?.path, path).not.toBe('');
  });
});

describe('healthPremiumProblems: cross-checks by path (R-VAL-4)', () => {
  it('split shares must add up to exactly 1 (decimal, not float)', () => {
    expect(problemsOf({ split: { national: '0.1', local: '0.2' } })).toEqual([{ path: 'healthPremium.split', message: 'national and local shares must add up to exactly 1' }]);
    expect(problemsOf({ split: { national: '0.7', local: '0.3' } })).toEqual([]);
    expect(problemsOf({ split: { national: '0.3333333333333333', local: '0.6666666666666667' } })).toEqual([]);
    expect(problemsOf({ split: { national: '0.33333333333', local: '0.66666666666' } })).toHaveLength(1);
  });

  it('lists every problem at once', () => {
    const p = problemsOf({
      national: { groups: ['opiate', 'opiate'], noFallIn: [], threshold: { value: '-0.01' }, significance: '0' },
      intervalLevel: '1',
      segments: { ageBands: [18, 18, 40] },
    });
    expect(p.map((x) => x.path)).toEqual([
      'healthPremium.national.groups',
      'healthPremium.national.threshold.value',
      'healthPremium.national.significance',
      'healthPremium.intervalLevel',
      'healthPremium.segments.ageBands[1]',
    ]);
  });

  it('unknown keys are refused with their path', () => {
    expect(problemsOf({ pots: '1' })[0]).toMatchObject({ path: 'healthPremium' });
  });
});
