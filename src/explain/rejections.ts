/**
 * What a rejected input row would have fed: the rules, and the scheme's outcomes, that read its
 * file. A rejected row is not used at all (R-VAL-1), so an explanation names it next to the
 * decisions it could have changed.
 * @module
 */
import type { InputFile } from '../schema/codes.js';
import type { LocatedRejection } from '../schema/dataset.js';
import { printable, shownValue } from '../schema/fields.js';
import type { PrimitiveType } from '../schema/scheme/outcomes.js';
import type { Scheme } from '../schema/scheme/index.js';

/** The primitives that read each optional file, with their rule ids. */
const READERS: Readonly<Record<Exclude<InputFile, 'episodes' | 'clients'>, readonly [PrimitiveType, string][]>> = {
  reviews: [
    ['abstinence', 'R-OUT-3'],
    ['score_improvement', 'R-OUT-6'],
    ['injecting_cessation', 'R-OUT-7'],
  ],
  drug_tests: [['abstinence', 'R-OUT-3']],
  offences: [['reduced_offending', 'R-OUT-4']],
  employment: [['sustained_employment', 'R-OUT-5']],
};

/** What a rejected row would have fed. */
export interface RowFeeds {
  /** Rule ids, e.g. `R-OUT-6`. */
  rules: string[];
  /** The scheme's outcomes that read the row's file. */
  outcomes: string[];
  /** In words, e.g. "R-OUT-6 score improvement (quality-of-life)". */
  text: string;
}

/**
 * The rules and outcomes of `scheme` that read rows of `file` (drug tests only when an abstinence
 * rule asks for confirmation).
 * @example rowFeeds('offences', presetScheme('national-model-2012')).outcomes // ['reduced-offending']
 */
export function rowFeeds(file: InputFile, scheme: Pick<Scheme, 'outcomes' | 'death'>): RowFeeds {
  if (file === 'episodes') {
    return {
      rules: ['R-JNY-1', 'R-PAY-2'],
      outcomes: scheme.outcomes.map((o) => o.id),
      text: 'the journeys (R-JNY-1), so every outcome of its journey and the attachment (R-PAY-2)',
    };
  }
  if (file === 'clients') {
    const used = scheme.death.rule !== 'ignore';
    return {
      rules: used ? ['R-OUT-9'] : [],
      outcomes: used ? scheme.outcomes.map((o) => o.id) : [],
      text: used ? 'the date of death (R-OUT-9), which can end every outcome' : 'nothing in this scheme (its death rule is ignore)',
    };
  }
  const rules = new Set<string>();
  const outcomes: string[] = [];
  const parts: string[] = [];
  for (const [type, rule] of READERS[file]) {
    const mine = scheme.outcomes.filter((o) =>
      o.primitives.some((p) => p.type === type && (file !== 'drug_tests' || (p.type === 'abstinence' && p.confirmTest !== undefined))),
    );
    if (mine.length === 0) continue;
    rules.add(rule);
    for (const o of mine) if (!outcomes.includes(o.id)) outcomes.push(o.id);
    parts.push(`${rule} ${type.replace(/_/g, ' ')}${file === 'drug_tests' ? ' confirmation' : ''} (${mine.map((o) => o.id).join(', ')})`);
  }
  return { rules: [...rules], outcomes, text: parts.length > 0 ? parts.join(', ') : 'no rule of this scheme' };
}

/**
 * A rejected row in words: where it is, what was wrong (with its rejection code, as in
 * `rejections.csv`) and what it would have fed.
 * @example rejectionText(r, feeds) // "reviews row 25: physical_health '21': is outside 0–20 points [out_of_range]; it would have fed R-OUT-6 …"
 */
export function rejectionText(r: LocatedRejection, feeds: RowFeeds): string {
  const where = `${r.part ?? r.file} row ${r.row}`;
  // Shown as rejections.csv shows it (NHS numbers hidden, R-VAL-3), and safe on a terminal.
  return `${where}: ${rejectedWhat(r, `${r.reason} [${r.code}]`)}; it would have fed ${feeds.text}`;
}

/**
 * What was wrong with a rejected row, as `rejections.csv` shows its value (NHS numbers hidden,
 * R-VAL-3), value and reason both safe on a terminal (a reason may quote the cell): `field 'value':
 * reason`, or the reason alone for a row refused as a whole (wrong number of cells, bytes that are
 * not UTF-8), which names no field.
 * @example rejectedWhat({ field: 'physical_health', value: '21' }, 'is outside 0–20 points') // "physical_health '21': is outside 0–20 points"
 */
export function rejectedWhat(r: Pick<LocatedRejection, 'field' | 'value'>, reason: string): string {
  const why = printable(reason);
  return r.field ? `${r.field} ${r.value === '' ? '(blank)' : `'${printable(shownValue(r.value))}'`}: ${why}` : why;
}
