/**
 * Chart and HTML helpers: nice axis scales, compact £ labels, byte-stable coordinates, escaping,
 * and charts that carry a title and a description for screen readers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capBars, compactPounds, intervalRows, niceScale, stackedBars } from '../../src/report/charts.js';
import { count, esc, px, slug } from '../../src/report/html.js';

describe('niceScale', () => {
  it.each([
    [8300, 4, { max: 10000, step: 2500 }],
    [2_100_850, 4, { max: 3_000_000, step: 1_000_000 }],
    [1_900_000, 4, { max: 2_000_000, step: 500_000 }],
    [1, 4, { max: 1, step: 0.25 }],
    [0, 4, { max: 1, step: 1 }],
  ])('%d in about %d steps', (max, ticks, want) => expect(niceScale(max, ticks)).toEqual(want));

  it('the axis always reaches the data, in at most twice the steps asked for', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1e9, noNaN: true }), fc.integer({ min: 2, max: 6 }), (max, ticks) => {
        const s = niceScale(max, ticks);
        // Within float rounding of the data (far below a pixel).
        return s.max >= max * (1 - 1e-12) && s.max / s.step <= 2 * ticks + 1;
      }),
    );
  });
});

describe('labels and coordinates', () => {
  it('compactPounds', () => {
    expect([850, 12500, 1_234_567, 0].map(compactPounds)).toEqual(['£850', '£12.5k', '£1.2m', '£0']);
  });
  it('px rounds to 2 places and never prints -0', () => {
    expect([12.3456, -0.001, 3, 1 / 3].map(px)).toEqual(['12.35', '0', '3', '0.33']);
  });
  it('count separates thousands', () => expect(count(1234567)).toBe('1,234,567'));
  it('esc escapes markup and quotes', () => expect(esc(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;'));
  it('slug gives distinct ids for texts that look alike', () => {
    expect(slug('a.b', 'r')).not.toBe(slug('a-b', 'r'));
    expect(slug('free-from-dependence', 'rate')).toMatch(/^rate-free-from-dependence-[a-z0-9]+$/);
  });
});

describe('charts', () => {
  const bars = stackedBars({
    id: 'c1',
    title: 'Paid <per> quarter',
    desc: 'd',
    labels: ['Q1', 'Q2'],
    axisLabels: new Map([[0, '2012/13']]),
    series: [
      { key: 'fixed', label: 'Fixed', colour: '#999', values: [100, 0] },
      { key: 'outcome', label: 'Outcome', colour: '#0a0', values: [50, 200] },
    ],
    width: 300,
    height: 150,
  });

  it('are images with a title and a description (accessible name)', () => {
    expect(bars).toMatch(/^<svg class="chart" role="img" aria-labelledby="c1-t c1-d" viewBox="0 0 300 150" width="300" height="150">/);
    expect(bars).toContain('<title id="c1-t">Paid &lt;per&gt; quarter</title><desc id="c1-d">d</desc>');
  });

  it('stack segments bottom-up; a zero value draws nothing', () => {
    expect((bars.match(/<rect /g) ?? []).length).toBe(3);
  });

  it('interval rows place the dot at the rate and whiskers at the interval', () => {
    const svg = intervalRows({ id: 'r', title: 't', desc: 'd', rows: [{ label: 'All', value: 0.5, lower: 0.25, upper: 0.75, note: '50%' }], width: 560 });
    // plot area: left 150, right 110 → 300 px wide
    expect(svg).toContain('<circle class="dot" cx="300"');
    expect(svg).toContain('x1="225" x2="375"');
  });

  it('cap bars: paid, cut and the cap mark', () => {
    const svg = capBars({ id: 'k', title: 't', desc: 'd', bars: [{ label: 'P1 2012/13', paid: 100, capped: 50, cap: 100 }], width: 500 });
    expect(svg).toContain('class="paid"');
    expect(svg).toContain('class="cut"');
    expect(svg).toContain('class="cap"');
  });
});
