/**
 * `recovery-pbr calibrate`: find outcome prices that make payments on historical data meet a
 * budget to the penny, and write the scheme with those prices, honestly named and sourced (see
 * src/modelling/calibrate.ts for the method, src/modelling/calibrated-scheme.ts for the scheme).
 * @module
 */
import { createHash } from 'node:crypto';
import { RecoveryPbrError } from '../../errors.js';
import { calibrateSummary, type CalibrationOptions, type CalibrationResult, type PricePoint } from '../../modelling/calibrate.js';
import { CALIBRATED_SCHEMA_REF, calibratedSchemeDocument } from '../../modelling/calibrated-scheme.js';
import { formatMoney, formatPounds, money } from '../../money/amount.js';
import { csvLine } from '../../output/csv.js';
import { formatTextTable } from '../../payments/table.js';
import { INPUT_FILES } from '../../schema/codes.js';
import { loadScheme, schemeJsonSchema } from '../../schema/scheme/index.js';
import { UsageError, type CliCommand } from '../command.js';
import { dateOption, requiredString, withOptionalOutputFolder } from '../shared.js';
import { loadSchemeArgument, modelDataArgument, outOption, tallyOf, writeOutputs } from './compare.js';
import { folderInputsSummary } from '../../node/run-folder.js';

const USAGE = `Usage: recovery-pbr calibrate --scheme S --data DIR --as-of DATE --target AMOUNT
         [--provider P] [--of outcome|total] [--keep all|band|outcome] [--weight outcome:ID=W | band:B=W ...]
         [--outcome ID ...] [--factor-only] [--out DIR]

Finds outcome prices so that payments on the data meet the target to the penny, by one factor on
the scheme's outcome prices (the pilots set prices from historical outcome rates this way). When no
single factor meets it, a few prices move by one penny to meet it exactly (shown). When even that
cannot, or the provider has no journeys in the data, it exits 1 saying the nearest totals below and
above, and writes nothing.

  --target    the budget in pounds, e.g. 250000.00
  --provider  calibrate on this provider's payments only (default: all providers)
  --of        outcome (default): the target is for outcome payments; total: for all payments
  --keep      all (default): keep every price relativity (one factor on all prices);
              band: keep each outcome's band relativities and, within a band, the ratios between
              outcomes, except as --weight outcome:ID=W re-weights an outcome (W multiplies its
              prices before the common factor: 2 = twice as much relative to the others);
              outcome: keep each outcome's mean price across bands, and set the band relativities
              by --weight band:B=W (default 1 each: the same price in every band)
  --outcome   calibrate only these outcomes' prices (default: every priced outcome)
  --factor-only  never move a price a penny off the factor to meet the target exactly
  --out       folder for calibration.json, prices.csv, scheme.json (the calibrated scheme: id
              <id>-calibrated, version <version>+calibrated.<as-of>.<fingerprint>, each changed price
              with provenance "calibrated") and scheme.schema.json (the JSON Schema it points to)`;

/**
 * One fingerprint of the data a command read: SHA-256 of the lines `<kind> <hash>` of each input
 * (as summary.json lists them), in the order of SPEC §2.
 * @example dataFingerprint({ episodes: { hash: 'sha256:…' } }) // 'sha256:…'
 */
export function dataFingerprint(inputsSummary: Record<string, unknown>): string {
  const h = createHash('sha256');
  for (const kind of INPUT_FILES) {
    const hash = (inputsSummary[kind] as { hash?: unknown } | undefined)?.hash;
    if (typeof hash === 'string') h.update(`${kind} ${hash}\n`);
  }
  return `sha256:${h.digest('hex')}`;
}

function parseWeights(list: string[]): NonNullable<CalibrationOptions['weights']> {
  const w: { outcomes: Record<string, string>; bands: Record<string, string> } = { outcomes: {}, bands: {} };
  for (const item of list) {
    const m = /^(outcome|band):([^=]+)=(\d+(\.\d+)?)$/.exec(item.trim());
    if (!m) throw new UsageError(`--weight '${item}' must be outcome:ID=W or band:B=W, e.g. band:3=2`);
    (m[1] === 'outcome' ? w.outcomes : w.bands)[m[2]!] = m[3]!;
  }
  return w;
}

function pointJson(p: PricePoint | undefined) {
  return p && { factor: p.factor.toString(), amount: formatMoney(p.amount), prices: p.prices, nudged: p.nudged };
}

/**
 * The calibration as plain JSON (money as strings).
 * @example JSON.stringify(calibrationJson(result), null, 2)
 */
export function calibrationJson(r: CalibrationResult) {
  return {
    asOf: r.asOf,
    target: formatMoney(r.target),
    of: r.of,
    provider: r.provider ?? null,
    keep: r.keep,
    outcomes: r.outcomes,
    data: r.data ?? null,
    exact: r.exact,
    best: pointJson(r.best) ?? null,
    below: pointJson(r.below) ?? null,
    above: pointJson(r.above) ?? null,
    reason: r.reason ?? null,
    counts: r.counts,
    scheme: r.scheme ? { id: r.scheme.id, version: r.scheme.version, title: r.scheme.title } : null,
  };
}

/**
 * Why the target cannot be met, with the nearest totals, for a person (exit 1). With `--out`, the
 * output folder adds what became of it (src/io/write.ts), so the last sentence is left to it.
 */
function unreachable(r: CalibrationResult, scope: string, withOut: boolean): RecoveryPbrError {
  const near = (label: string, p: PricePoint | undefined) => (p ? `  nearest ${label}: ${formatPounds(p.amount)} (factor ${p.factor.toString()}; --target ${formatMoney(p.amount)})\n` : '');
  const message =
    `cannot meet ${formatPounds(r.target)} of ${scope} to the penny on the data as of ${r.asOf}. ${r.reason ?? ''}\n` +
    near('below', r.below) +
    near('above', r.above) +
    (withOut ? '' : 'Nothing was written.');
  return new RecoveryPbrError('target_unreachable', message.trimEnd());
}

/** `recovery-pbr calibrate`. */
export const command: CliCommand = {
  name: 'calibrate',
  summary: 'find outcome prices that meet a budget on historical data, to the penny, and write the calibrated scheme',
  usage: USAGE,
  options: {
    scheme: { type: 'string' },
    data: { type: 'string' },
    'as-of': { type: 'string' },
    target: { type: 'string' },
    provider: { type: 'string' },
    of: { type: 'string' },
    keep: { type: 'string' },
    weight: { type: 'string', multiple: true },
    outcome: { type: 'string', multiple: true },
    'factor-only': { type: 'boolean' },
    out: { type: 'string' },
  },
  async run(values, io) {
    const schemeArg = requiredString(values, 'scheme', '<preset id | file>');
    const dataDir = requiredString(values, 'data', '<folder> (with episodes.csv)');
    const asOf = dateOption(values, 'as-of');
    const target = requiredString(values, 'target', '<amount> (the budget in pounds, e.g. 250000.00)');
    if (!/^\d+(\.\d{1,2})?$/.test(target)) throw new UsageError(`--target '${target}' must be an amount in pounds and pence, e.g. 250000.00`);
    const of = (values['of'] as string | undefined) ?? 'outcome';
    if (of !== 'outcome' && of !== 'total') throw new UsageError(`--of '${of}' must be outcome or total`);
    const keep = (values['keep'] as string | undefined) ?? 'all';
    if (keep !== 'all' && keep !== 'band' && keep !== 'outcome') throw new UsageError(`--keep '${keep}' must be all, band or outcome`);
    const weights = parseWeights((values['weight'] as string[] | undefined) ?? []);
    if (keep === 'all' && (values['weight'] as string[] | undefined)?.length) throw new UsageError('--weight needs --keep band (outcome weights) or --keep outcome (band weights)');
    if (keep === 'band' && Object.keys(weights.bands ?? {}).length) throw new UsageError('--keep band takes outcome weights (--weight outcome:ID=W), not band weights');
    if (keep === 'outcome' && Object.keys(weights.outcomes ?? {}).length) throw new UsageError('--keep outcome takes band weights (--weight band:B=W), not outcome weights');
    return withOptionalOutputFolder(outOption(values, io), async (out) => {
      const loaded = await loadSchemeArgument(schemeArg, io);
      // Outcomes are decided once; calibration then varies prices over compact payable items.
      const m = await modelDataArgument(dataDir, loaded.scheme, { schemes: [loaded.scheme], asOf, tallies: [{ kind: 'payables', scheme: 0 }] }, io);
      const inputsSummary = folderInputsSummary(m);
      const r = calibrateSummary(tallyOf(m, 0, 'payables').result, loaded.scheme, {
        target,
        of,
        keep,
        nudge: !values['factor-only'],
        data: dataFingerprint(inputsSummary),
        ...(keep === 'all' ? {} : { weights }),
        ...(typeof values['provider'] === 'string' ? { provider: values['provider'] } : {}),
        ...(values['outcome'] ? { outcomes: values['outcome'] as string[] } : {}),
      });
      const scope = `${of} payments${r.provider ? ` to ${r.provider}` : ''}`;
      const best = r.best;
      if (!r.exact || !best) throw unreachable(r, scope, out !== undefined);
      const tariff = loaded.scheme.tariff!;
      const before = (o: string, b: string) => tariff.outcomes[o]?.[b];
      const rows: string[][] = [];
      for (const o of r.outcomes) {
        for (const b of tariff.bands) {
          const was = before(o, b);
          rows.push([o, b, was === undefined ? '(no price)' : formatPounds(money(was)), was === undefined ? '(no price)' : formatPounds(money(best.prices[o]![b]!)), String(r.counts[o]?.[b] ?? 0)]);
        }
      }
      const doc = calibratedSchemeDocument(loaded.document, loaded.scheme, r);
      // The written document must load as the scheme calibration describes (R-VAL-4).
      const written = doc && loadScheme(doc, 'calibrated scheme');
      io.stdout(
        `Target: ${formatPounds(r.target)} of ${scope}, as of ${asOf}\n` +
          `Met to the penny (${formatPounds(best.amount)}) with factor ${best.factor.toString()}` +
          (best.nudged.length
            ? `, after moving ${best.nudged.length} price${best.nudged.length === 1 ? '' : 's'} a penny off the factor (no single factor meets the target exactly, because each price is rounded to the penny): ` +
              best.nudged.map((n) => `${n.outcome_id} band ${n.band} ${formatPounds(money(n.from))} → ${formatPounds(money(n.to))} (${n.count} item${n.count === 1 ? '' : 's'})`).join(', ') +
              '.\n'
            : '.\n') +
          (written ? `Calibrated scheme: ${written.id} ${written.version}\n` : '') +
          '\n' +
          formatTextTable(['outcome', 'band', 'price before', 'price found', 'paid items'], rows, [false, false, true, true, true]),
      );
      if (out && doc) {
        const prices = [csvLine(['outcome_id', 'tariff_band', 'price_before', 'price_found', 'count'])];
        for (const o of r.outcomes) {
          for (const b of tariff.bands) {
            const was = before(o, b);
            prices.push(csvLine([o, b, was === undefined ? '' : formatMoney(money(was)), was === undefined ? '' : best.prices[o]![b]!, r.counts[o]?.[b] ?? 0]));
          }
        }
        await writeOutputs(
          out,
          {
            'calibration.json': JSON.stringify(calibrationJson(r), null, 2) + '\n',
            'prices.csv': prices.join(''),
            'scheme.json': JSON.stringify(doc, null, 2) + '\n',
            [CALIBRATED_SCHEMA_REF.slice(2)]: JSON.stringify(schemeJsonSchema(), null, 2) + '\n',
          },
          io,
        );
      }
      return 0;
    });
  },
};
