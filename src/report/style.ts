/**
 * The report's stylesheet: system fonts only (nothing fetched), tabular figures, high contrast,
 * and a print stylesheet (A4 landscape, no navigation, tables and charts kept whole).
 * @module
 */

/** The CSS of the report, inlined in its `<style>` element. */
export const REPORT_CSS = `
:root { --ink: #1b1b1b; --muted: #555; --rule: #d0d0d0; --panel: #f5f6f7; --accent: #1d4f91;
  --documented: #0b6e3a; --reconstructed: #8a5a00; --illustrative: #a3245d; --none: #555; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main, header.top, footer { max-width: 1360px; margin: 0 auto; padding: 0 24px; }
header.top { padding-top: 24px; border-bottom: 3px solid var(--accent); padding-bottom: 12px; }
h1 { font-size: 1.6rem; margin: 0 0 4px; line-height: 1.25; }
h2 { font-size: 1.3rem; margin: 36px 0 8px; padding-top: 8px; border-top: 1px solid var(--rule); }
h3 { font-size: 1.08rem; margin: 24px 0 6px; }
h4 { font-size: 1rem; margin: 16px 0 4px; }
p { margin: 6px 0 10px; max-width: 80ch; }
.lead { color: var(--muted); margin: 0 0 8px; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 10px 0 0; font-size: 0.9rem; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; overflow-wrap: anywhere; }
code, .hash { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.85em; }
.hash { overflow-wrap: anywhere; }
nav.toc { margin: 14px 0 0; font-size: 0.92rem; }
nav.toc ol { margin: 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: 4px 22px; counter-reset: toc; }
nav.toc li { counter-increment: toc; }
nav.toc li::before { content: counter(toc) ". "; }
a { color: var(--accent); }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 10px; margin: 18px 0 4px; padding: 0; list-style: none; }
.figures li { background: var(--panel); border-left: 4px solid var(--accent); padding: 8px 12px; }
.figures .value { display: block; font-size: 1.2rem; font-weight: 650; font-variant-numeric: tabular-nums; }
.figures .label { display: block; font-size: 0.85rem; color: var(--muted); }
.note { background: var(--panel); border-left: 4px solid var(--rule); padding: 8px 12px; max-width: none; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 0.86rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 4px 0; caption-side: top; }
th, td { padding: 3px 8px; border-bottom: 1px solid var(--rule); vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); text-align: left; vertical-align: bottom; }
tbody th, tfoot th { text-align: left; white-space: nowrap; font-weight: 600; }
thead th.group-head { text-align: center; border-bottom: 1px solid var(--ink); }
thead tr:first-child td { border-bottom: 0; }
tbody tr.group th { padding-top: 10px; border-bottom: 1px solid var(--ink); font-weight: 650; background: var(--panel); }
tbody tr.first-of-group th, tbody tr.first-of-group td { border-top: 1.5px solid #888; }
td.nowrap { white-space: nowrap; }
table.matrix { font-size: 0.8rem; }
table.matrix td, table.matrix th { padding: 3px 5px; }
td.num, th.num { text-align: right; white-space: nowrap; }
tfoot td, tfoot th, tr.total td, tr.total th { font-weight: 650; border-top: 2px solid var(--ink); }
th .sub, td .sub { display: block; font-weight: 400; color: var(--muted); font-size: 0.85em; }
.scroll { overflow-x: auto; max-width: 100%; }
.pair { display: flex; flex-wrap: wrap; gap: 8px 28px; align-items: flex-start; }
.pair > figure { flex: 1 1 460px; min-width: 0; }
.pair > .scroll { flex: 0 1 auto; }
figure { margin: 10px 0 14px; }
figcaption { font-weight: 600; margin-bottom: 4px; }
svg.chart { display: block; max-width: 100%; height: auto; }
svg text { font-family: inherit; fill: var(--ink); }
svg .tick { font-size: 11px; fill: var(--muted); }
svg .grid { stroke: #e4e4e4; stroke-width: 1; }
svg .axis, svg .axis-tick { stroke: var(--ink); stroke-width: 1; }
svg .bar rect { stroke: #fff; stroke-width: 0.5; }
svg .row-label { font-size: 12px; }
svg .row-heading { font-size: 12px; font-weight: 650; }
svg .row-note { font-size: 11.5px; font-variant-numeric: tabular-nums; }
svg .whisker { stroke: var(--ink); stroke-width: 1.5; }
svg .dot { fill: var(--accent); stroke: #fff; stroke-width: 1; }
svg .reference { stroke: var(--muted); stroke-width: 1; stroke-dasharray: 4 3; }
svg .paid { fill: #0072b2; }
svg .cut { fill: #f4c7b8; stroke: #b3401a; stroke-width: 1; }
svg .cap { stroke: #000; stroke-width: 2.5; }
svg .separator { stroke: #c8c8c8; stroke-width: 1; }
.multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 6px 16px; margin: 8px 0 16px; }
.multiples figure { margin: 0; }
.multiples figcaption { font-size: 0.85rem; display: flex; justify-content: space-between; gap: 8px; }
.multiples figcaption .amt { font-weight: 400; font-variant-numeric: tabular-nums; }
.legend { list-style: none; padding: 0; margin: 4px 0 8px; display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 0.86rem; }
.legend .swatch { display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: -1px; border: 1px solid rgba(0,0,0,0.25); }
.legend .swatch.cut { background: #f4c7b8; border-color: #b3401a; }
.legend .swatch.cap { background: #000; width: 3px; }
.legend .swatch.reference { border: 0; border-left: 2px dashed var(--muted); width: 2px; }
.badge { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: 0.8rem; font-weight: 650; color: #fff; white-space: nowrap; }
.badge.documented { background: var(--documented); }
.badge.reconstructed { background: var(--reconstructed); }
.badge.illustrative { background: var(--illustrative); }
.badge.none { background: var(--none); }
td.source { font-size: 0.82rem; }
td.source .from { display: block; color: var(--muted); }
td.value { max-width: 30ch; overflow-wrap: anywhere; }
td.path { overflow-wrap: anywhere; }
.params table { width: 100%; table-layout: fixed; }
.params col.c-path { width: 32%; } .params col.c-value { width: 16%; } .params col.c-kind { width: 11%; } .params col.c-source { width: 41%; }
.params .stated { margin: 4px 0 6px; font-size: 0.86rem; }
.params .stated li { margin: 2px 0; }
.warn { color: #8a1c00; }
.masked { color: var(--muted); font-style: italic; }
svg .change { stroke: #8a8a8a; stroke-width: 2; }
svg .target { stroke: #000; stroke-width: 2; }
svg .from { fill: #fff; stroke: var(--ink); stroke-width: 1.5; }
svg .to.good { fill: #0b6e3a; stroke: #fff; stroke-width: 1; }
svg .to.bad { fill: #fff; stroke: #c2410c; stroke-width: 2.5; }
.brief { font-size: 1.02rem; max-width: 95ch; margin: 12px 0 4px; }
.table-note { font-size: 0.85em; color: var(--muted); max-width: 60ch; }
.sub-inline { font-weight: 400; color: var(--muted); }
.pair.tables > .scroll { flex: 0 1 auto; }
tr.reason td { font-size: 0.8rem; color: var(--muted); border-bottom: 1px solid var(--rule); padding-bottom: 6px; }
tr.reason + tr td, tr.reason + tr th { border-top: 0; }
.outcome h4 { margin-top: 18px; }
details#parameters { margin: 12px 0; border: 1px solid var(--rule); padding: 6px 12px; }
details#parameters > summary { cursor: pointer; font-weight: 650; color: var(--accent); padding: 4px 0; }
details#parameters[open] > summary { margin-bottom: 8px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.print-only { display: none; }
footer { margin-top: 40px; padding-top: 12px; padding-bottom: 40px; border-top: 1px solid var(--rule); color: var(--muted); font-size: 0.85rem; }
@page { size: A4 landscape; margin: 10mm 11mm; }
@media print {
  body { font-size: 8pt; line-height: 1.3; }
  main, header.top, footer { max-width: none; padding: 0; }
  nav.toc, .screen-only { display: none; }
  .print-only { display: block; }
  a { color: inherit; text-decoration: none; }
  header.top { padding-top: 0; padding-bottom: 4px; border-bottom-width: 2px; }
  h1 { font-size: 14pt; }
  h2 { font-size: 11.5pt; margin: 14px 0 4px; padding-top: 4px; }
  h3 { font-size: 9.5pt; margin: 10px 0 3px; }
  h4 { font-size: 8.5pt; margin: 6px 0 2px; }
  p { margin: 3px 0 5px; max-width: none; }
  .meta { font-size: 7pt; gap: 0 10px; margin-top: 4px; }
  .meta dd br { display: none; }
  .meta .input { display: inline-block; margin-right: 10px; }
  .figures { grid-template-columns: repeat(5, 1fr); gap: 4px; margin: 6px 0 2px; }
  .figures li { padding: 3px 8px; }
  .figures .value { font-size: 10pt; }
  .figures .label { font-size: 7pt; }
  .brief { font-size: 8.5pt; margin: 4px 0; }
  .note { padding: 4px 8px; font-size: 7.5pt; }
  table { margin: 3px 0 6px; font-size: 7.5pt; }
  th, td { padding: 1px 5px; }
  caption { padding: 2px 0; }
  table.matrix { font-size: 6.5pt; }
  table.matrix td, table.matrix th { padding: 1px 3px; }
  th .sub, td .sub { font-size: 0.9em; }
  #period-totals th .sub { display: inline; margin-left: 4px; }
  figure { margin: 4px 0 6px; }
  figcaption { font-size: 8pt; }
  .legend { margin: 2px 0 4px; font-size: 7pt; }
  .pair { flex-wrap: nowrap; gap: 0 16px; }
  .pair > figure { flex: 0 1 55%; }
  svg.chart { max-height: 52mm; width: auto; }
  /* Charts of one row per item grow with the items: scaled to the page's width instead. */
  svg.chart-rows, svg.chart-change { max-height: none; width: 100%; max-width: 190mm; }
  svg.chart-caps { max-height: none; width: 100%; max-width: 150mm; }
  .multiples { grid-template-columns: repeat(6, 1fr); gap: 2px 8px; margin: 4px 0 6px; }
  .multiples figcaption { font-size: 6.5pt; }
  .multiples svg.chart { max-height: 22mm; }
  .outcome-grid { display: grid; grid-template-columns: 1fr 1fr 1fr; gap: 0 6mm; }
  .outcome h4 .lead { display: block; font-size: 0.9em; }
  .outcome { break-inside: avoid; }
  .outcome .scroll { display: none; }
  .outcome .pair > figure { flex: 1 1 auto; }
  .outcome svg.chart { max-height: none; width: 100%; }
  tr.reason td { font-size: 6.5pt; padding-bottom: 2px; }
  h2, h3, h4, caption, figcaption { break-after: avoid; }
  figure, svg, tr, .figures li, .note { break-inside: avoid; }
  .pair { break-inside: avoid; }
  /* Long, narrow provider tables print in two columns. */
  .split { column-count: 2; column-gap: 10mm; }
  .split table { width: 100%; }
  thead { display: table-header-group; }
  /* A total row is printed once, at the end, not repeated at the foot of every page. */
  tfoot { display: table-row-group; }
  .scroll { overflow: visible; }
  .appendix-print .cols { column-count: 2; column-gap: 8mm; }
  .appendix-print table.compact { width: 100%; table-layout: fixed; font-size: 6.5pt; margin: 0 0 4px; break-inside: auto; }
  .appendix-print table.compact col.c-path { width: 50%; } .appendix-print table.compact col.c-value { width: 28%; } .appendix-print table.compact col.c-kind { width: 22%; }
  .appendix-print table.compact td { padding: 0 3px; overflow-wrap: anywhere; }
  .appendix-print table.compact code { font-size: 1em; }
  .appendix-print table.compact caption { font-size: 7pt; }
  .appendix-print ol.notes { column-count: 2; column-gap: 8mm; font-size: 6.5pt; margin: 0; padding-left: 18px; }
  .appendix-print ol.notes li { break-inside: avoid; }
  .appendix ul.sources { font-size: 7pt; margin: 2px 0; }
  footer { margin-top: 8px; padding-bottom: 0; font-size: 7pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
