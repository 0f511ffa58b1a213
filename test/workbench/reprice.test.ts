/**
 * The what-if's re-pricing (workbench/src/reprice.ts): decided once, then re-priced, the payments
 * are those of the core's `calculatePayments` for the edited scheme, to the byte — whatever the
 * prices, with caps, contract terms and payers in play (R-PAY-1, R-PAY-4, R-PAY-6) — and a change
 * that alters which items exist is never re-priced from the old items.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentSummaryJson } from '../../src/payments/index.js';
import { calculatePayments, paymentsCsv } from '../../src/payments/index.js';
import { presetDocument, resolveExtends } from '../../src/presets/index.js';
import { loadScheme, mergeSchemeDocuments, type Scheme } from '../../src/schema/scheme/index.js';
import { itemsKey, itemsOf, reprice } from '../../workbench/src/reprice.js';
import { Session } from '../../workbench/src/session.js';
import { tempDir } from '../io/helpers.js';
import { runCli } from '../support/cli.js';

const AS_OF = '2015-03-31';

/** national-model-2012 with caps low enough to bite, contract terms and two payers. */
function cappedScheme(): Scheme {
  return loadScheme(
    mergeSchemeDocuments(resolveExtends(presetDocument('national-model-2012')), {
      payers: [
        { id: 'local', share: '0.7' },
        { id: 'central', share: '0.3' },
      ],
      contract: { defaultTerms: { annualValue: '60000.00', pbrShare: '0.6', cap: '9000.00' } },
    }),
  );
}

const price = fc.integer({ min: 0, max: 500_000 }).map((p) => (p / 100).toFixed(2));

describe('re-pricing decided outcomes = calculatePayments of the edited scheme', () => {
  const dir = tempDir('rpbr-wb-reprice-');
  let session: Session;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeAll(async () => {
    const g = await runCli(['generate', '--clients', '300', '--seed', '3', '--out', dir]);
    expect(g.code, g.stderr).toBe(0);
    session = new Session({ name: 'recovery-pbr', version: 'test' });
    await session.load(readdirSync(dir).map((n) => new File([readFileSync(join(dir, n))], n)));
  });

  it('for any prices (attachment and outcomes), with caps and payers', () => {
    const base = cappedScheme();
    const decided = session.decide(base, AS_OF);
    const items = itemsOf({ clients: decided.clients }, base, AS_OF);
    const outcomes = Object.keys(base.tariff!.outcomes);
    const bands = base.tariff!.bands;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('attachment', ...outcomes), fc.constantFrom(...bands), price), { minLength: 1, maxLength: 6 }), (edits) => {
        const t = structuredClone(base.tariff!);
        for (const [what, band, p] of edits) {
          if (what === 'attachment') t.attachment![band] = p;
          else t.outcomes[what]![band] = p;
        }
        const edited: Scheme = { ...base, tariff: t };
        expect(itemsKey(edited, AS_OF)).toBe(items.key);
        const fast = reprice(items, edited);
        const full = calculatePayments({ clients: decided.clients }, edited, { asOf: AS_OF });
        expect(paymentsCsv(fast.rows)).toBe(paymentsCsv(full.rows));
        expect(JSON.stringify(paymentSummaryJson(fast))).toBe(JSON.stringify(paymentSummaryJson(full)));
        expect(fast.lines.map((l) => `${l.item_id}|${l.status}|${l.paid.toFixed(2)}|${l.capped.toFixed(2)}`)).toEqual(full.lines.map((l) => `${l.item_id}|${l.status}|${l.paid.toFixed(2)}|${l.capped.toFixed(2)}`));
        // The session's own path (kept items, re-priced) gives the same.
        expect(paymentsCsv(session.pay(edited, AS_OF)!.rows)).toBe(paymentsCsv(full.rows));
      }),
      { numRuns: 12 },
    );
  });

  it('a change of bands, default band, contract or rounding changes which items exist: never re-priced from the old ones', () => {
    const base = cappedScheme();
    const decided = session.decide(base, AS_OF);
    const items = itemsOf({ clients: decided.clients }, base, AS_OF);
    const changed: Scheme[] = [
      { ...base, tariff: { ...base.tariff!, defaultBand: '2' } },
      { ...base, tariff: { ...base.tariff!, rounding: 'down' } },
      { ...base, contract: { ...base.contract!, end: '2013-12-31' } },
      { ...base, tariff: { ...base.tariff!, attachment: undefined } },
    ];
    for (const s of changed) {
      expect(itemsKey(s, AS_OF)).not.toBe(items.key);
      expect(() => reprice(items, s)).toThrow(/changes which items exist/);
      // The session makes the items again from the decided outcomes.
      expect(paymentsCsv(session.pay(s, AS_OF)!.rows)).toBe(paymentsCsv(calculatePayments({ clients: decided.clients }, s, { asOf: AS_OF }).rows));
    }
  });
});
