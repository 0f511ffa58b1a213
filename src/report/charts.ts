/**
 * Inline SVG charts for the report, drawn by hand (no chart library, no fonts, no scripts): stacked
 * bars of payments per period, dot-and-interval rows of outcome rates, and bars against a cap.
 * Every chart is `role="img"` with a title and a description, and sits beside a table holding
 * the exact figures; pixel positions are rounded to 2 decimals so the markup is byte-stable.
 * Numbers are JS numbers here only to place marks on screen: amounts shown as text come from the
 * exact decimals elsewhere.
 * @module
 */
import { esc, px } from './html.js';

/** Fill colours of the payment types (Okabe–Ito palette: distinguishable with colour-blindness). */
export const TYPE_COLOURS: Record<string, string> = {
  fixed: '#8f8f8f',
  attachment: '#0072b2',
  outcome: '#009e73',
  cohort: '#e69f00',
  sustainment: '#cc79a7',
};

/** Plain-English names of the payment types. */
export const TYPE_LABELS: Record<string, string> = {
  fixed: 'Fixed instalments',
  attachment: 'Attachment',
  outcome: 'Outcome',
  cohort: 'Cohort',
  sustainment: 'Sustainment',
};

/**
 * A "nice" axis maximum and step (1, 2, 2.5 or 5 × 10ⁿ) for values up to `max`, about `ticks` steps.
 * @example niceScale(8300, 4) // { max: 10000, step: 2500 }
 */
export function niceScale(max: number, ticks = 4): { max: number; step: number } {
  if (!(max > 0)) return { max: 1, step: 1 };
  const raw = max / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  return { max: Math.ceil(max / step - 1e-9) * step, step };
}

/**
 * Pounds for an axis label: `£850`, `£12.5k`, `£1.2m`.
 * @example compactPounds(12500) // '£12.5k'
 */
export function compactPounds(n: number): string {
  const trim = (x: number) => String(Math.round(x * 10) / 10);
  if (n >= 1e6) return `£${trim(n / 1e6)}m`;
  if (n >= 1e3) return `£${trim(n / 1e3)}k`;
  return `£${trim(n)}`;
}

function svgOpen(id: string, width: number, height: number, title: string, desc: string, cls: string): string {
  return (
    `<svg class="${cls}" role="img" aria-labelledby="${id}-t ${id}-d" viewBox="0 0 ${px(width)} ${px(height)}" width="${px(width)}" height="${px(height)}">` +
    `<title id="${id}-t">${esc(title)}</title><desc id="${id}-d">${esc(desc)}</desc>`
  );
}

/** One stacked series of a bar chart: a payment type and its value per bar. */
export interface BarSeries {
  key: string;
  label: string;
  colour: string;
  values: number[];
}

/** Options of {@link stackedBars}. */
export interface StackedBarsOptions {
  /** Unique element id prefix. */
  id: string;
  title: string;
  desc: string;
  /** One label per bar (e.g. `Q1 2012/13`). */
  labels: string[];
  /** Labels to print under the axis: bar index → text (e.g. contract years at their first quarter). */
  axisLabels: Map<number, string>;
  /** A short label centred under each bar (e.g. `Q1`), above the axis labels; none in compact charts. */
  barLabels?: string[];
  series: BarSeries[];
  width: number;
  height: number;
  /** Fixed y maximum (shared by small multiples); default from the data. */
  yMax?: number;
  /** Small multiple: fewer ticks and smaller margins. */
  compact?: boolean;
}

/**
 * Stacked bars (one per period), series stacked bottom-up in the given order, with a y axis in £.
 * @example stackedBars({ id: 'all', title: 'Paid per quarter', desc: '…', labels, axisLabels, series, width: 860, height: 260 })
 */
export function stackedBars(o: StackedBarsOptions): string {
  const compact = o.compact === true;
  const m = compact ? { top: 8, right: 6, bottom: 18, left: 40 } : { top: 12, right: 12, bottom: 34, left: 64 };
  const w = o.width - m.left - m.right;
  const h = o.height - m.top - m.bottom;
  const n = o.labels.length;
  const totals = o.labels.map((_, i) => o.series.reduce((s, x) => s + (x.values[i] ?? 0), 0));
  const scale = niceScale(o.yMax ?? Math.max(0, ...totals), compact ? 2 : 4);
  const y = (v: number) => m.top + h - (v / scale.max) * h;
  const band = n > 0 ? w / n : w;
  const bar = Math.max(1, band * (compact ? 0.78 : 0.7));
  const parts: string[] = [svgOpen(o.id, o.width, o.height, o.title, o.desc, compact ? 'chart chart-small' : 'chart')];
  for (let k = 0; k <= Math.round(scale.max / scale.step); k++) {
    const v = k * scale.step;
    parts.push(`<line class="grid" x1="${px(m.left)}" x2="${px(m.left + w)}" y1="${px(y(v))}" y2="${px(y(v))}"/>`);
    parts.push(`<text class="tick" x="${px(m.left - 4)}" y="${px(y(v) + 3.5)}" text-anchor="end">${esc(compactPounds(v))}</text>`);
  }
  for (let i = 0; i < n; i++) {
    const x = m.left + i * band + (band - bar) / 2;
    let base = 0;
    const segs: string[] = [];
    for (const s of o.series) {
      const v = s.values[i] ?? 0;
      if (v <= 0) continue;
      segs.push(`<rect x="${px(x)}" y="${px(y(base + v))}" width="${px(bar)}" height="${px(y(base) - y(base + v))}" fill="${s.colour}"><title>${esc(`${o.labels[i]}: ${s.label} ${compactPounds(v)}`)}</title></rect>`);
      base += v;
    }
    if (segs.length > 0) parts.push(`<g class="bar">${segs.join('')}</g>`);
    const barLabel = compact ? undefined : o.barLabels?.[i];
    if (barLabel !== undefined) parts.push(`<text class="tick" x="${px(x + bar / 2)}" y="${px(m.top + h + 13)}" text-anchor="middle">${esc(barLabel)}</text>`);
    const label = o.axisLabels.get(i);
    if (label !== undefined) {
      const below = !compact && o.barLabels ? 27 : compact ? 13 : 15;
      parts.push(`<line class="axis-tick" x1="${px(m.left + i * band)}" x2="${px(m.left + i * band)}" y1="${px(m.top + h)}" y2="${px(m.top + h + below - 9)}"/>`);
      parts.push(`<text class="tick year" x="${px(m.left + i * band + 3)}" y="${px(m.top + h + below)}">${esc(label)}</text>`);
    }
  }
  parts.push(`<line class="axis" x1="${px(m.left)}" x2="${px(m.left + w)}" y1="${px(m.top + h)}" y2="${px(m.top + h)}"/>`);
  parts.push('</svg>');
  return parts.join('');
}

/** One row of a dot-and-interval chart. */
export interface IntervalRow {
  label: string;
  /** Heading rows separate groups of rows and carry no mark. */
  heading?: boolean;
  /** Rate and interval in [0, 1]; undefined = nothing decided. */
  value?: number | undefined;
  lower?: number | undefined;
  upper?: number | undefined;
  /** Text at the right end of the row (the figures). */
  note: string;
}

/**
 * Rates with their intervals as dots and whiskers on a 0–100% axis, one row each, with a dashed
 * reference line (the overall rate).
 * @example intervalRows({ id: 'r1', title: '…', desc: '…', rows, reference: 0.42, width: 760 })
 */
export function intervalRows(o: { id: string; title: string; desc: string; rows: IntervalRow[]; reference?: number | undefined; width: number }): string {
  const rowH = 22;
  const m = { top: 22, right: 110, bottom: 8, left: 150 };
  const w = o.width - m.left - m.right;
  const height = m.top + o.rows.length * rowH + m.bottom;
  const x = (v: number) => m.left + v * w;
  const parts: string[] = [svgOpen(o.id, o.width, height, o.title, o.desc, 'chart chart-rates')];
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line class="grid" x1="${px(x(t))}" x2="${px(x(t))}" y1="${px(m.top - 4)}" y2="${px(height - m.bottom)}"/>`);
    parts.push(`<text class="tick" x="${px(x(t))}" y="${px(m.top - 8)}" text-anchor="middle">${t * 100}%</text>`);
  }
  if (o.reference !== undefined) {
    parts.push(`<line class="reference" x1="${px(x(o.reference))}" x2="${px(x(o.reference))}" y1="${px(m.top - 4)}" y2="${px(height - m.bottom)}"/>`);
  }
  o.rows.forEach((r, i) => {
    const cy = m.top + i * rowH + rowH / 2;
    if (r.heading) {
      parts.push(`<text class="row-heading" x="4" y="${px(cy + 4)}">${esc(r.label)}</text>`);
      return;
    }
    parts.push(`<text class="row-label" x="${px(m.left - 8)}" y="${px(cy + 4)}" text-anchor="end">${esc(r.label)}</text>`);
    if (r.value !== undefined && r.lower !== undefined && r.upper !== undefined) {
      parts.push(`<line class="whisker" x1="${px(x(r.lower))}" x2="${px(x(r.upper))}" y1="${px(cy)}" y2="${px(cy)}"/>`);
      parts.push(`<line class="whisker" x1="${px(x(r.lower))}" x2="${px(x(r.lower))}" y1="${px(cy - 4)}" y2="${px(cy + 4)}"/>`);
      parts.push(`<line class="whisker" x1="${px(x(r.upper))}" x2="${px(x(r.upper))}" y1="${px(cy - 4)}" y2="${px(cy + 4)}"/>`);
      parts.push(`<circle class="dot" cx="${px(x(r.value))}" cy="${px(cy)}" r="4.5"/>`);
    }
    parts.push(`<text class="row-note" x="${px(o.width - m.right + 10)}" y="${px(cy + 4)}">${esc(r.note)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** One bar against a cap: paid under the cap, cut by the cap, and the cap itself. */
export interface CapBar {
  label: string;
  /** Bars of one group (a provider) are separated from the next group by a rule. */
  group?: string;
  paid: number;
  capped: number;
  /** undefined = no cap. */
  cap: number | undefined;
}

/**
 * Horizontal bars of results-based payments against each provider's cap: paid (solid), cut by the
 * cap (light, outlined) and the cap (a black mark).
 * @example capBars({ id: 'caps', title: '…', desc: '…', bars, width: 760 })
 */
export function capBars(o: { id: string; title: string; desc: string; bars: CapBar[]; width: number }): string {
  const rowH = 18;
  const m = { top: 22, right: 24, bottom: 22, left: 150 };
  const w = o.width - m.left - m.right;
  const height = m.top + o.bars.length * rowH + m.bottom;
  const scale = niceScale(Math.max(0, ...o.bars.map((b) => Math.max(b.paid + b.capped, b.cap ?? 0))), 4);
  const x = (v: number) => m.left + (v / scale.max) * w;
  const parts: string[] = [svgOpen(o.id, o.width, height, o.title, o.desc, 'chart chart-caps')];
  for (let k = 0; k <= Math.round(scale.max / scale.step); k++) {
    const v = k * scale.step;
    parts.push(`<line class="grid" x1="${px(x(v))}" x2="${px(x(v))}" y1="${px(m.top - 4)}" y2="${px(height - m.bottom)}"/>`);
    parts.push(`<text class="tick" x="${px(x(v))}" y="${px(m.top - 8)}" text-anchor="middle">${esc(compactPounds(v))}</text>`);
    parts.push(`<text class="tick" x="${px(x(v))}" y="${px(height - 6)}" text-anchor="middle">${esc(compactPounds(v))}</text>`);
  }
  o.bars.forEach((b, i) => {
    const top = m.top + i * rowH + 3;
    if (i > 0 && b.group !== undefined && b.group !== o.bars[i - 1]!.group) {
      parts.push(`<line class="separator" x1="4" x2="${px(o.width - m.right)}" y1="${px(top - 3)}" y2="${px(top - 3)}"/>`);
    }
    const bh = rowH - 6;
    parts.push(`<text class="row-label" x="${px(m.left - 8)}" y="${px(top + bh / 2 + 4)}" text-anchor="end">${esc(b.label)}</text>`);
    if (b.paid > 0) parts.push(`<rect class="paid" x="${px(x(0))}" y="${px(top)}" width="${px(x(b.paid) - x(0))}" height="${px(bh)}"/>`);
    if (b.capped > 0) parts.push(`<rect class="cut" x="${px(x(b.paid))}" y="${px(top)}" width="${px(x(b.paid + b.capped) - x(b.paid))}" height="${px(bh)}"/>`);
    if (b.cap !== undefined) parts.push(`<line class="cap" x1="${px(x(b.cap))}" x2="${px(x(b.cap))}" y1="${px(top - 2)}" y2="${px(top + bh + 2)}"/>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/**
 * A legend of coloured swatches (HTML, so it wraps and prints well).
 * @example legend([{ label: 'Outcome', colour: '#009e73' }])
 */
export function legend(items: { label: string; colour?: string; cls?: string }[]): string {
  return (
    '<ul class="legend">' +
    items.map((i) => `<li><span class="swatch${i.cls ? ` ${i.cls}` : ''}"${i.colour ? ` style="background:${i.colour}"` : ''} aria-hidden="true"></span>${esc(i.label)}</li>`).join('') +
    '</ul>'
  );
}

/** Fill colours of tariff bands, light to dark in band order (ordered bands read as a scale). */
export const BAND_COLOURS = ['#9ecae1', '#4a98c9', '#1f5fa6', '#0b2f66', '#6a51a3', '#9e9ac8'];
/** Fill of payments not priced by band (cohort, fixed instalments). */
export const NOT_BY_BAND_COLOUR = '#e69f00';
/** Fill of journeys with no band. */
export const NO_BAND_COLOUR = '#bdbdbd';

/** One row of {@link barRows}: a label, one value per series (stacked left to right), and a note at the end. */
export interface BarRow {
  label: string;
  values: number[];
  note: string;
}

/**
 * Horizontal stacked bars, one row each (e.g. spend per payment kind, stacked by tariff band), with
 * a £ axis and a note (the exact amount) at the end of each row.
 * @example barRows({ id: 'spend', title: '…', desc: '…', rows, series: [{ label: 'Band 1', colour: '#9ecae1' }], width: 760 })
 */
export function barRows(o: { id: string; title: string; desc: string; rows: BarRow[]; series: { label: string; colour: string }[]; width: number }): string {
  const rowH = 22;
  const m = { top: 22, right: 150, bottom: 8, left: 210 };
  const w = o.width - m.left - m.right;
  const height = m.top + o.rows.length * rowH + m.bottom;
  const totals = o.rows.map((r) => r.values.reduce((s, v) => s + Math.max(0, v), 0));
  const scale = niceScale(Math.max(0, ...totals), 4);
  const x = (v: number) => m.left + (v / scale.max) * w;
  const parts: string[] = [svgOpen(o.id, o.width, height, o.title, o.desc, 'chart chart-rows')];
  for (let k = 0; k <= Math.round(scale.max / scale.step); k++) {
    const v = k * scale.step;
    parts.push(`<line class="grid" x1="${px(x(v))}" x2="${px(x(v))}" y1="${px(m.top - 4)}" y2="${px(height - m.bottom)}"/>`);
    parts.push(`<text class="tick" x="${px(x(v))}" y="${px(m.top - 8)}" text-anchor="middle">${esc(compactPounds(v))}</text>`);
  }
  o.rows.forEach((r, i) => {
    const top = m.top + i * rowH + 3;
    const bh = rowH - 6;
    parts.push(`<text class="row-label" x="${px(m.left - 8)}" y="${px(top + bh / 2 + 4)}" text-anchor="end">${esc(r.label)}</text>`);
    let base = 0;
    r.values.forEach((v, j) => {
      if (!(v > 0)) return;
      const s = o.series[j]!;
      parts.push(`<rect x="${px(x(base))}" y="${px(top)}" width="${px(x(base + v) - x(base))}" height="${px(bh)}" fill="${s.colour}"><title>${esc(`${r.label}, ${s.label}: ${compactPounds(v)}`)}</title></rect>`);
      base += v;
    });
    parts.push(`<text class="row-note" x="${px(x(base) + 6)}" y="${px(top + bh / 2 + 4)}">${esc(r.note)}</text>`);
  });
  parts.push(`<line class="axis" x1="${px(m.left)}" x2="${px(m.left)}" y1="${px(m.top - 4)}" y2="${px(height - m.bottom)}"/>`);
  parts.push('</svg>');
  return parts.join('');
}

/** One row of {@link changeRows}: a rate in two periods and the rate needed. */
export interface ChangeRow {
  label: string;
  /** Rates in [0, 1]; undefined when not known. */
  from: number | undefined;
  to: number | undefined;
  /** The rate the current period had to reach, if any. */
  target: number | undefined;
  /** Whether the row earned (the current dot is filled dark green; otherwise an open orange ring). */
  good: boolean;
  note: string;
}

/**
 * A rate in a baseline and a current period per row (a dumbbell: open dot → filled dot), with a
 * tick at the rate that had to be reached, on a percentage axis from 0.
 * @example changeRows({ id: 'hp', title: '…', desc: '…', rows, width: 760 })
 */
export function changeRows(o: { id: string; title: string; desc: string; rows: ChangeRow[]; width: number }): string {
  const rowH = 24;
  const m = { top: 22, right: 150, bottom: 8, left: 130 };
  const w = o.width - m.left - m.right;
  const height = m.top + o.rows.length * rowH + m.bottom;
  const hi = Math.max(0, ...o.rows.flatMap((r) => [r.from ?? 0, r.to ?? 0, r.target ?? 0]));
  const scale = niceScale(hi > 0 ? hi : 1, 4);
  const x = (v: number) => m.left + (v / scale.max) * w;
  const pct = (v: number) => `${Math.round(v * 1000) / 10}%`;
  const parts: string[] = [svgOpen(o.id, o.width, height, o.title, o.desc, 'chart chart-change')];
  for (let k = 0; k <= Math.round(scale.max / scale.step); k++) {
    const v = k * scale.step;
    parts.push(`<line class="grid" x1="${px(x(v))}" x2="${px(x(v))}" y1="${px(m.top - 4)}" y2="${px(height - m.bottom)}"/>`);
    parts.push(`<text class="tick" x="${px(x(v))}" y="${px(m.top - 8)}" text-anchor="middle">${esc(pct(v))}</text>`);
  }
  o.rows.forEach((r, i) => {
    const cy = m.top + i * rowH + rowH / 2;
    parts.push(`<text class="row-label" x="${px(m.left - 8)}" y="${px(cy + 4)}" text-anchor="end">${esc(r.label)}</text>`);
    if (r.from !== undefined && r.to !== undefined) parts.push(`<line class="change" x1="${px(x(r.from))}" x2="${px(x(r.to))}" y1="${px(cy)}" y2="${px(cy)}"/>`);
    if (r.target !== undefined) parts.push(`<line class="target" x1="${px(x(r.target))}" x2="${px(x(r.target))}" y1="${px(cy - 7)}" y2="${px(cy + 7)}"/>`);
    if (r.from !== undefined) parts.push(`<circle class="from" cx="${px(x(r.from))}" cy="${px(cy)}" r="4"/>`);
    if (r.to !== undefined) parts.push(`<circle class="${r.good ? 'to good' : 'to bad'}" cx="${px(x(r.to))}" cy="${px(cy)}" r="5"/>`);
    parts.push(`<text class="row-note" x="${px(o.width - m.right + 10)}" y="${px(cy + 4)}">${esc(r.note)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
