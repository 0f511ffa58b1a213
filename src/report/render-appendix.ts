/**
 * The report's appendix: every parameter of the scheme with its provenance (SPEC §6). On screen it
 * is folded in a `<details>` element (open it to read); in print a compact version takes its place:
 * one dense table per section, in two columns, with each source or note written once and numbered.
 * @module
 */
import { compareCodePoint } from '../calendar/index.js';
import type { Provenance } from '../schema/scheme/common.js';
import type { Scheme } from '../schema/scheme/index.js';
import { colTh, count, esc } from './html.js';
import type { ReportInput } from './input.js';
import { idPath, schemeParameters, type SchemeParameter } from './parameters.js';

const KIND_LABELS: Record<string, string> = { documented: 'Documented', reconstructed: 'Reconstructed', illustrative: 'Illustrative', none: 'Not stated' };
const KINDS = ['documented', 'reconstructed', 'illustrative', 'none'];

function badge(kind: string): string {
  return `<span class="badge ${esc(kind)}">${esc(KIND_LABELS[kind] ?? kind)}</span>`;
}

function provenanceText(p: Provenance | undefined): string {
  return [p?.source, p?.note].filter((x): x is string => x !== undefined).map(esc).join('<br>');
}

function parameterRow(scheme: Scheme, p: SchemeParameter): string {
  const kind = p.provenance?.kind ?? 'none';
  // Provenance stated for an enclosing object is printed once above the table; rows point to it.
  const inherited = p.provenanceFrom !== undefined && p.provenanceFrom !== p.path;
  const text = inherited
    ? `<span class="from">as stated for ${p.provenanceFrom === '' ? 'the whole scheme' : `<code>${esc(idPath(scheme, p.provenanceFrom!))}</code>`}</span>`
    : p.provenance
      ? provenanceText(p.provenance)
      : '<span class="from">no provenance given</span>';
  return `<tr data-path="${esc(p.path)}" data-kind="${esc(kind)}"><td class="path"><code>${esc(p.label)}</code></td><td class="value"><code>${esc(p.value)}</code></td><td>${badge(kind)}</td><td class="source">${text}</td></tr>`;
}

/** The print version: parameters in dense tables, each provenance text once in a numbered list. */
function printAppendix(sections: ReturnType<typeof schemeParameters>): string {
  const notes = new Map<string, number>();
  const noteOf = (p: SchemeParameter): string => {
    const text = [p.provenance?.source, p.provenance?.note].filter((x): x is string => x !== undefined).join(' — ');
    if (text === '') return '';
    let i = notes.get(text);
    if (i === undefined) notes.set(text, (i = notes.size + 1));
    return String(i);
  };
  const out: string[] = ['<div class="print-only appendix-print"><div class="cols">'];
  for (const s of sections) {
    out.push(`<table class="compact"><caption>${esc(s.title)}</caption><colgroup><col class="c-path"><col class="c-value"><col class="c-kind"></colgroup><thead><tr>${colTh('Parameter')}${colTh('Value')}${colTh('Provenance')}</tr></thead><tbody>`);
    for (const p of s.parameters) {
      const kind = p.provenance?.kind ?? 'none';
      const n = noteOf(p);
      out.push(`<tr><td><code>${esc(p.label.replace(/^outcomes\./, ''))}</code></td><td><code>${esc(p.value)}</code></td><td>${esc(KIND_LABELS[kind] ?? kind)}${n ? ` [${n}]` : ''}</td></tr>`);
    }
    out.push('</tbody></table>');
  }
  out.push('</div>');
  if (notes.size > 0) {
    out.push('<h3>Sources and notes</h3><ol class="notes cols">');
    for (const [text] of [...notes].sort((a, b) => a[1] - b[1])) out.push(`<li>${esc(text)}</li>`);
    out.push('</ol>');
  }
  out.push('</div>');
  return out.join('');
}

/**
 * The appendix section: scheme parameters and where they come from.
 * @example appendixSection(input, 6)
 */
export function appendixSection(input: ReportInput, n: number): string {
  const scheme = input.scheme;
  const sections = schemeParameters(scheme);
  const all = sections.flatMap((s) => s.parameters);
  const tally = KINDS.map((k) => [k, all.filter((p) => (p.provenance?.kind ?? 'none') === k).length] as const).filter(([, c]) => c > 0);
  const out: string[] = [`<section id="scheme" class="params appendix" aria-labelledby="h-scheme"><h2 id="h-scheme">${n}. Appendix: scheme parameters and where they come from</h2>`];
  if (scheme.description) out.push(`<p>${esc(scheme.description)}</p>`);
  out.push(
    `<p>Every parameter of scheme <code>${esc(scheme.id)}</code> ${esc(scheme.version)}, with its provenance: <strong>documented</strong> (a published source says so), <strong>reconstructed</strong> (inferred from the sources), or <strong>illustrative</strong> (a placeholder to be replaced by local figures). ` +
      'Provenance stated for a section applies to every value in it. Paths are written as in a what-if override (outcomes and payers by id).</p>',
  );
  out.push(`<p>${count(all.length)} parameters: ${tally.map(([k, c]) => `${badge(k)} ${count(c)}`).join(' · ')}</p>`);
  const sources = Object.keys(scheme.sources).sort(compareCodePoint);
  if (sources.length > 0) {
    out.push('<h3>Sources</h3><ul class="sources">');
    for (const id of sources) {
      const s = scheme.sources[id]!;
      const bits = [s.file ? `<code>${esc(s.file)}</code>` : '', s.url ? `<code>${esc(s.url)}</code>` : '', s.note ? esc(s.note) : ''].filter(Boolean);
      out.push(`<li><code>${esc(id)}</code>: ${esc(s.title)}${bits.length ? ` — ${bits.join('; ')}` : ''}</li>`);
    }
    out.push('</ul>');
  }
  const root = scheme.provenance.find((e) => e.path === '');
  if (root) out.push(`<p class="note">${badge(root.provenance.kind)} <strong>Stated for the whole scheme:</strong> ${provenanceText(root.provenance)}</p>`);
  out.push(`<details class="screen-only" id="parameters"><summary>Show all ${count(all.length)} parameters with their provenance</summary>`);
  for (const s of sections) {
    out.push(`<h3>${esc(s.title)}</h3>${s.subtitle ? `<p class="lead">${esc(s.subtitle)}</p>` : ''}`);
    const stated = [...new Set(s.parameters.map((p) => p.provenanceFrom).filter((f): f is string => f !== undefined && f !== '' && !s.parameters.some((p) => p.path === f)))];
    if (stated.length > 0) {
      out.push('<ul class="stated">');
      for (const path of stated) {
        const e = scheme.provenance.find((x) => x.path === path)!;
        out.push(`<li>${badge(e.provenance.kind)} stated for <code>${esc(idPath(scheme, path))}</code>: ${provenanceText(e.provenance)}</li>`);
      }
      out.push('</ul>');
    }
    out.push(`<div class="scroll"><table><caption class="visually-hidden">${esc(s.title)}</caption><colgroup><col class="c-path"><col class="c-value"><col class="c-kind"><col class="c-source"></colgroup>`);
    out.push(`<thead><tr>${colTh('Parameter')}${colTh('Value')}${colTh('Provenance')}${colTh('Source or note')}</tr></thead><tbody>`);
    for (const p of s.parameters) out.push(parameterRow(scheme, p));
    out.push('</tbody></table></div>');
  }
  out.push('</details>');
  out.push(printAppendix(sections));
  out.push('</section>');
  return out.join('');
}
