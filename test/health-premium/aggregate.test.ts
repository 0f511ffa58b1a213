import { describe, expect, it } from 'vitest';
import { countsFromAggregates, localIndicatorsFrom, parseAggregateCounts, parseLocalIndicators, parseWeights } from '../../src/health-premium/aggregate.js';

const rows = (...values: Record<string, unknown>[]) => values.map((v, i) => ({ row: i + 2, values: v }));
const c = (area_code: string, indicator: string, period_start: string, numerator: string, denominator: string, status = '') => ({
  area_code,
  indicator,
  period_start,
  numerator,
  denominator,
  status,
});

describe('R-HP-2 supplied counts', () => {
  it('parses published figures; blank status is final', () => {
    const r = parseAggregateCounts(rows(c('E08000001', 'Opiate', '2014-04-01', '120', '1500'), c('E08000001', 'non_opiate', '2014-04-01', ' 80 ', '300', 'Provisional')));
    expect(r.problems).toEqual([]);
    expect(r.records).toEqual([
      { area_code: 'E08000001', indicator: 'opiate', period_start: '2014-04-01', numerator: 120, denominator: 1500, status: 'final', row: 2 },
      { area_code: 'E08000001', indicator: 'non_opiate', period_start: '2014-04-01', numerator: 80, denominator: 300, status: 'provisional', row: 3 },
    ]);
  });

  it('reports every unusable row with its row number, field and an actionable reason', () => {
    const r = parseAggregateCounts(
      rows(
        c('A1', 'heroin', '2014-04-01', '1', '2'),
        c('A1', 'opiate', '01/04/2014', '1', '2'),
        c('A1', 'opiate', '2014-04-01', '3', '2'),
        c('A1', 'opiate', '2014-04-01', '1.5', ''),
        c('A1', 'opiate', '2014-04-01', '1', '2'),
        c('A1', 'opiate', '2014-04-01', '1', '3'),
      ),
      'counts.csv',
    );
    expect(r.records).toHaveLength(1);
    expect(r.problems.map((p) => [p.row, p.field, p.reason])).toEqual([
      [2, 'indicator', 'indicator must be one of opiate, non_opiate, alcohol, combined'],
      [3, 'period_start', 'must be a real date written YYYY-MM-DD (the first day of the 12-month period)'],
      [4, 'numerator', 'numerator is larger than the denominator'],
      [5, 'numerator', 'numerator must be a whole number of clients (0 or more)'],
      [5, 'denominator', 'denominator is required'],
      [7, 'area_code', 'a second row for the same area, indicator and period (first on row 6)'],
    ]);
    expect(r.problems[0]!.file).toBe('counts.csv');
  });

  it('combined is summed from opiate and non-opiate when not supplied, used as supplied when it is', () => {
    const { records } = parseAggregateCounts(
      rows(
        c('A1', 'opiate', '2014-04-01', '10', '100'),
        c('A1', 'non_opiate', '2014-04-01', '30', '50', 'provisional'),
        c('A2', 'combined', '2014-04-01', '7', '70'),
        c('A2', 'opiate', '2014-04-01', '1', '10'),
        c('A3', 'opiate', '2014-04-01', '1', '10'),
        c('A3', 'opiate', '2013-04-01', '1', '10'),
      ),
    );
    const counts = countsFromAggregates(records, '2014-04-01', ['opiate', 'non_opiate']);
    expect(counts.map((x) => [x.area_code, x.indicator, x.numerator, x.denominator, x.status])).toEqual([
      ['A1', 'combined', 40, 150, 'provisional'],
      ['A1', 'non_opiate', 30, 50, 'provisional'],
      ['A1', 'opiate', 10, 100, 'final'],
      ['A2', 'combined', 7, 70, 'final'],
      ['A2', 'opiate', 1, 10, 'final'],
      ['A3', 'opiate', 1, 10, 'final'], // no non-opiate figure: no combined
    ]);
  });

  it('a national indicator of other groups is summed under its own name', () => {
    const { records } = parseAggregateCounts(rows(c('A1', 'opiate', '2014-04-01', '1', '10'), c('A1', 'non_opiate', '2014-04-01', '2', '10'), c('A1', 'alcohol', '2014-04-01', '3', '10')));
    const names = countsFromAggregates(records, '2014-04-01', ['opiate', 'non_opiate', 'alcohol']).map((x) => `${x.indicator}=${x.numerator}/${x.denominator}`);
    expect(names).toEqual(['alcohol=3/10', 'combined=3/20', 'non_opiate=2/10', 'opiate=1/10', 'opiate+non_opiate+alcohol=6/30']);
  });
});

describe('R-HP-2 local indicators', () => {
  it('counts or a value with a direction (blank = higher is better)', () => {
    const r = parseLocalIndicators(
      rows(
        { area_code: 'A1', indicator: 'alcohol_admissions', period_start: '2013-04-01', value: '612.50', direction: 'Lower' },
        { area_code: 'A2', indicator: 'quitters', period_start: '2013-04-01', numerator: '5', denominator: '50' },
      ),
    );
    expect(r.problems).toEqual([]);
    expect(r.records[0]).toMatchObject({ value: '612.5', direction: 'lower' });
    expect(r.records[1]).toMatchObject({ numerator: 5, denominator: 50, direction: 'higher' });
  });

  it('needs counts or a value, not both, not half', () => {
    const r = parseLocalIndicators(
      rows(
        { area_code: 'A1', indicator: 'x', period_start: '2013-04-01' },
        { area_code: 'A1', indicator: 'x', period_start: '2014-04-01', numerator: '1', denominator: '2', value: '3' },
        { area_code: 'A2', indicator: 'x', period_start: '2014-04-01', numerator: '1' },
        { area_code: 'A3', indicator: 'x', period_start: '2014-04-01', value: 'about 3' },
        { area_code: 'A4', indicator: 'x', period_start: '2014-04-01', value: '3', direction: 'up' },
      ),
    );
    expect(r.problems.map((p) => [p.row, p.field, p.reason])).toEqual([
      [2, 'value', 'give numerator and denominator, or a value'],
      [3, 'value', 'give either numerator and denominator or a value, not both'],
      [4, 'denominator', 'numerator and denominator go together'],
      [5, 'value', 'value must be a decimal number such as 12.5'],
      [6, 'direction', 'direction must be higher or lower (which is better; blank = higher)'],
    ]);
  });

  it("SPEC §4 (v3): a local indicator is written under its own name, so a national indicator's name is refused", () => {
    const r = parseLocalIndicators(
      rows(
        { area_code: 'A1', indicator: 'Opiate', period_start: '2013-04-01', value: '1' },
        { area_code: 'A2', indicator: 'combined', period_start: '2013-04-01', value: '1' },
        { area_code: 'A3', indicator: 'opiate+alcohol', period_start: '2013-04-01', value: '1' },
        { area_code: 'A4', indicator: 'local', period_start: '2013-04-01', value: '1' },
        { area_code: 'A5', indicator: 'opiate_deaths', period_start: '2013-04-01', value: '1' },
      ),
    );
    expect(r.problems.map((p) => [p.row, p.field, p.value])).toEqual([
      [2, 'indicator', 'Opiate'],
      [3, 'indicator', 'combined'],
      [4, 'indicator', 'opiate+alcohol'],
      [5, 'indicator', 'local'],
    ]);
    expect(r.problems[0]!.reason).toContain('give it its own name');
    expect(r.records.map((x) => x.indicator)).toEqual(['opiate_deaths']);
  });

  it('one indicator per area, the same direction and kind in both periods', () => {
    const { records } = parseLocalIndicators(
      rows(
        { area_code: 'A1', indicator: 'x', period_start: '2013-04-01', value: '1' },
        { area_code: 'A1', indicator: 'x', period_start: '2014-04-01', value: '2' },
        { area_code: 'A2', indicator: 'x', period_start: '2013-04-01', value: '1' },
        { area_code: 'A2', indicator: 'y', period_start: '2014-04-01', value: '2' },
        { area_code: 'A3', indicator: 'x', period_start: '2013-04-01', value: '1' },
        { area_code: 'A3', indicator: 'x', period_start: '2014-04-01', value: '2', direction: 'lower' },
        { area_code: 'A4', indicator: 'x', period_start: '2013-04-01', value: '1' },
        { area_code: 'A4', indicator: 'x', period_start: '2014-04-01', numerator: '1', denominator: '2' },
        { area_code: 'A5', indicator: 'x', period_start: '2012-04-01', value: '1' },
      ),
    );
    const r = localIndicatorsFrom(records, '2013-04-01', '2014-04-01');
    expect(r.problems.map((p) => [p.row, p.field])).toEqual([
      [5, 'indicator'],
      [7, 'direction'],
      [9, 'value'],
    ]);
    expect(r.indicators.map((l) => [l.area_code, l.indicator, l.baseline?.measure, l.current?.measure])).toEqual([
      ['A1', 'x', { kind: 'value', value: '1' }, { kind: 'value', value: '2' }],
      ['A2', 'x', { kind: 'value', value: '1' }, undefined],
      ['A3', 'x', { kind: 'value', value: '1' }, undefined],
      ['A4', 'x', { kind: 'value', value: '1' }, undefined],
    ]);
  });
});

describe('R-HP-4 supplied weights', () => {
  it('a decimal of 0 or more per area, once', () => {
    const r = parseWeights(rows({ area_code: 'A1', weight: '1250.50' }, { area_code: 'A2', weight: '-1' }, { area_code: 'A1', weight: '3' }));
    expect(r.records).toEqual([{ area_code: 'A1', weight: '1250.5', row: 2 }]);
    expect(r.problems.map((p) => [p.row, p.field])).toEqual([
      [3, 'weight'],
      [4, 'area_code'],
    ]);
  });
});
