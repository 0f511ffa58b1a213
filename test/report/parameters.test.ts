/**
 * The scheme parameters section (SPEC §6): every parameter of every preset is listed, with the
 * provenance that applies to it, visibly marked documented / reconstructed / illustrative.
 */
import { describe, expect, it } from 'vitest';
import { PRESET_IDS, presetDocument, presetScheme, resolveExtends } from '../../src/presets/index.js';
import { loadScheme, provenanceAt, unwrapProvenance, type Scheme } from '../../src/schema/scheme/index.js';
import { idPath, schemeParameters } from '../../src/report/parameters.js';
import { renderReport, rejectionTally, type ReportInput } from '../../src/report/index.js';

/** A report input with no data: only the scheme matters here. */
function emptyInput(scheme: Scheme): ReportInput {
  return {
    tool: { name: 'recovery-pbr', version: 'test' },
    scheme,
    schemeHash: 'sha256:0',
    asOf: '2015-03-31',
    inputs: {},
    clients: 0,
    journeys: 0,
    outcomes: { by_band: {}, by_substance_group: {} },
    payments: undefined,
    rejections: rejectionTally().result(),
  };
}

/** Leaf paths of a raw scheme document (provenance lifted out), as provenance entries name them. */
function documentLeaves(doc: unknown): string[] {
  const { value } = unwrapProvenance(doc);
  const out: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) {
      if (v.length === 0 || v.every((x) => typeof x !== 'object' || x === null)) out.push(path);
      else v.forEach((x, i) => walk(x, `${path}[${i}]`));
    } else if (v && typeof v === 'object') {
      const entries = Object.entries(v).filter(([k]) => !['id', 'title', 'description', 'domain', 'version', '$schema'].includes(k));
      if (Object.keys(v).length === 0) out.push(path);
      for (const [k, x] of entries) if (!(path === '' && (k === 'sources' || k === 'extends'))) walk(x, path ? `${path}.${k}` : k);
    } else out.push(path);
  };
  walk(value, '');
  return out;
}

describe('schemeParameters', () => {
  it.each(PRESET_IDS)('%s: every value of the preset file is listed, once, with the provenance that applies to it', (id) => {
    const scheme = presetScheme(id);
    const params = schemeParameters(scheme).flatMap((s) => s.parameters);
    const paths = params.map((p) => p.path);
    expect(new Set(paths).size).toBe(paths.length);
    for (const leaf of documentLeaves(resolveExtends(presetDocument(id)))) expect(paths, `${id}: ${leaf}`).toContain(leaf);
    for (const p of params) {
      const e = provenanceAt(scheme.provenance, p.path);
      expect(p.provenance, p.path).toEqual(e?.provenance);
      expect(p.provenanceFrom).toBe(e?.path);
    }
  });

  it('every value written in a preset file has provenance (SPEC §6): only defaults the file leaves out may say "not stated"', () => {
    for (const id of PRESET_IDS) {
      const written = new Set(documentLeaves(resolveExtends(presetDocument(id))));
      const missing = schemeParameters(presetScheme(id)).flatMap((s) => s.parameters).filter((p) => !p.provenance && written.has(p.path));
      expect(missing.map((p) => p.path), id).toEqual([]);
    }
  });

  it('names outcomes and payers by id, groups outcomes one section each in scheme order', () => {
    const scheme = presetScheme('national-model-2012');
    const sections = schemeParameters(scheme);
    expect(sections.filter((s) => s.id.startsWith('outcome ')).map((s) => s.id)).toEqual(scheme.outcomes.map((o) => `outcome ${o.id}`));
    const months = sections.flatMap((s) => s.parameters).find((p) => p.path === 'outcomes[0].primitives[1].months')!;
    expect(months).toMatchObject({ label: 'outcomes.free-from-dependence.primitives[1].months', value: '6' });
    expect(months.provenance?.kind).toBe('documented');
    expect(idPath(scheme, 'outcomes[2].require')).toBe('outcomes.reduced-offending.require');
  });

  it('lists a value without provenance as such, and orders keys the same whatever the file order', () => {
    const a = loadScheme({ id: 's', version: '1', title: 'S', calendar: { reviewToleranceDays: 10, journeyGapDays: 14 }, outcomes: [] });
    const b = loadScheme({ id: 's', title: 'S', version: '1', outcomes: [], calendar: { journeyGapDays: 14, reviewToleranceDays: 10 } });
    expect(renderReport(emptyInput(a))).toBe(renderReport(emptyInput(b)));
    const p = schemeParameters(a).flatMap((s) => s.parameters);
    expect(p.find((x) => x.path === 'calendar.journeyGapDays')).toMatchObject({ value: '14', provenance: undefined, provenanceFrom: undefined });
    expect(renderReport(emptyInput(a))).toContain('<span class="badge none">Not stated</span>');
  });
});

describe('the parameters table of the report', () => {
  it.each(PRESET_IDS)('%s: one row per parameter with its path and a visible provenance mark', (id) => {
    const scheme = presetScheme(id);
    const html = renderReport(emptyInput(scheme));
    const rows = [...html.matchAll(/<tr data-path="([^"]*)" data-kind="([^"]*)">.*?<span class="badge ([a-z]+)">([A-Za-z ]+)<\/span>/g)];
    const params = schemeParameters(scheme).flatMap((s) => s.parameters);
    expect(rows.map((r) => r[1])).toEqual(params.map((p) => p.path.replace(/&/g, '&amp;')));
    for (const r of rows) {
      expect(r[3]).toBe(r[2]);
      expect(r[4]).toBe({ documented: 'Documented', reconstructed: 'Reconstructed', illustrative: 'Illustrative', none: 'Not stated' }[r[2]!]);
    }
    expect(html).toContain(`${params.length} parameters:`);
  });
});
