/**
 * Explanations: was this client paid, and why (not)? For one client: what was paid (per line:
 * amount, period, payer, provider) or why nothing was (before or after the contract, unbanded,
 * unknown band, cut by a cap, over a per-client limit, not met — gateways and death among the
 * reasons); every rejected row of the client with its reason and the rules it would have fed; how
 * each journey was assembled (R-JNY); and for each outcome the rule, the windows (earliest first),
 * every evidence row the rule looked at (file and row number) and the decision. In plain English a
 * commissioner can read, and as structured data (for JSON output).
 * @module
 */
import { daysBetween, type IsoDate } from '../calendar/index.js';
import type { ClientResult } from '../engine/index.js';
import type { ClientRecords } from '../evidence/index.js';
import type { Journey } from '../journeys/index.js';
import { decimal, formatPounds } from '../money/amount.js';
import { reasonText } from '../outcomes/reasons.js';
import type { OutcomeDecision, PrimitiveDecision } from '../outcomes/types.js';
import type { PaymentLine } from '../payments/types.js';
import type { LocatedRejection } from '../schema/dataset.js';
import type { Scheme } from '../schema/scheme/index.js';
import { explainPayments, type ClientPaymentSummary, type ExplainedLine, type PaymentExplanation } from './payments.js';
import { rejectedWhat, rejectionText, rowFeeds, type RowFeeds } from './rejections.js';

export {
  clientLinesBeforeCaps,
  dependsOnCaps,
  explainPayments,
  type ClientPaymentSummary,
  type ClientPayments,
  type ExplainedLine,
  type ExplainedLineStatus,
  type PaymentExplanation,
  type UnpaidCause,
  type UnpaidReason,
} from './payments.js';
export { rejectionText, rowFeeds, type RowFeeds } from './rejections.js';

/** How one episode came to be in its journey. */
export interface EpisodeLine {
  episode_id: string;
  row: number | undefined;
  /** The part of a folder of parts the row is in (then `row` is that part's row). */
  part?: string;
  start_date: IsoDate;
  discharge_date: IsoDate | undefined;
  provider_id: string;
  area_code: string;
  exit_reason: string | undefined;
  substances: string[];
  tariff_band: string | undefined;
  /** Why it belongs to the journey: first, overlap, gap in days, or after an open episode. */
  joined: string;
}

/** A rejected row of the client, with what it would have fed. */
export interface RejectedRow extends LocatedRejection {
  feeds: RowFeeds;
}

/** One outcome of a journey: its decision, the steps in words, its payment and the rejected rows it could have read. */
export interface OutcomeExplanation {
  decision: OutcomeDecision;
  title: string;
  /** The steps (population, primitives, gateway, death) in words: rule, status, windows, evidence. */
  text: string[];
  /** What was paid for it (outcome and sustainment lines), or why nothing was. */
  payment: PaymentExplanation;
  /** Rejected rows of the client from a file this outcome's rules read (listed when it is not met). */
  rejected: RejectedRow[];
}

/** The explanation of one journey and its outcomes. */
export interface JourneyExplanation {
  journey_id: string;
  start_date: IsoDate;
  end_date: IsoDate | undefined;
  substance_group: string;
  tariff_band: string | undefined;
  exit: string;
  attachment_provider: string;
  episodes: EpisodeLine[];
  /** The journey's attachment payment (R-PAY-2), or why there is none. */
  attachment: PaymentExplanation;
  outcomes: OutcomeExplanation[];
}

/** The explanation of one client. */
export interface ClientExplanation {
  client_id: string;
  asOf: IsoDate;
  scheme: string;
  /** What the client was paid in all (the answer first), and what was not paid and why. */
  payments: ClientPaymentSummary;
  /** Every rejected row of the client (`rejections.csv` order), with the rules it would have fed. */
  rejected: RejectedRow[];
  /** Records not yet known at asOf (R-CAL-2), so ignored by this run. */
  notYetKnown: string[];
  date_of_death: IsoDate | undefined;
  journeys: JourneyExplanation[];
}

function episodeLines(j: Journey, gapDays: number): EpisodeLine[] {
  let latest: IsoDate | undefined | null = null; // null: none yet; undefined: open
  return j.episodes.map((e, i) => {
    let joined: string;
    if (i === 0) joined = 'first episode: starts the journey';
    else if (latest === undefined) joined = 'joined: an earlier episode of the journey was still open';
    else if (e.start_date <= latest!) joined = `joined: overlaps the journey (started before the latest discharge, ${latest})`;
    else joined = `joined: started ${daysBetween(latest!, e.start_date)} days after the latest discharge (${latest}), within ${gapDays}`;
    if (e.discharge_date === undefined) latest = undefined;
    else if (latest !== undefined && (latest === null || e.discharge_date > latest)) latest = e.discharge_date;
    return {
      episode_id: e.episode_id,
      row: e.row,
      ...(e.part !== undefined ? { part: e.part } : {}),
      start_date: e.start_date,
      discharge_date: e.discharge_date,
      provider_id: e.provider_id,
      area_code: e.area_code,
      exit_reason: e.exit_reason,
      substances: e.substances,
      tariff_band: e.tariff_band,
      joined,
    };
  });
}

const STEP_NAMES: Record<string, string> = {
  successful_completion: 'successful completion',
  no_representation: 'no re-presentation',
  abstinence: 'abstinence',
  reduced_offending: 'reduced offending',
  sustained_employment: 'sustained employment',
  score_improvement: 'score improvement',
  injecting_cessation: 'stopped injecting',
  population: 'population',
  gateway: 'gateway',
  death: 'death',
};

function statusWords(s: { status: string; achieved_on?: string | undefined; due_on?: string | undefined; reason?: string | undefined }, scheme: Scheme): string {
  switch (s.status) {
    case 'met':
      return `met on ${s.achieved_on}`;
    case 'pending':
      return `pending${s.due_on ? ` until ${s.due_on}` : ''} (${s.reason}: ${reasonText(s.reason ?? '', scheme.reasonCodes)})`;
    default:
      return `${s.status.replace('_', ' ')} (${s.reason}: ${reasonText(s.reason ?? '', scheme.reasonCodes)})`;
  }
}

function stepLines(step: PrimitiveDecision, scheme: Scheme): string[] {
  const out = [`${step.rule} ${STEP_NAMES[step.type] ?? step.type}: ${statusWords(step, scheme)}. ${step.note}`];
  // Windows in date order, each written earliest date first.
  const windows = [...step.windows].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  for (const w of windows) out.push(`  window: ${w.label} ${w.fromIncluded ? '[' : '('}${w.from}, ${w.to}]`);
  for (const e of step.evidence) out.push(`  evidence: ${e.part ?? e.file} row ${e.row ?? '?'} (${e.date}): ${e.detail}`);
  return out;
}

/** Options of {@link explainClient}. */
export interface ExplainOptions {
  /** The client's records: to list what was not yet known at asOf. */
  records?: ClientRecords;
  /** The client's rejected rows (e.g. `clientRecordsInFolder(…).rejections`). */
  rejections?: readonly LocatedRejection[];
  /**
   * The run's payment lines under a cap (or all its lines): needed when the client's payments
   * depend on a cap (see `dependsOnCaps`), since a cap depends on every client's payments.
   */
  runLines?: readonly PaymentLine[];
  /** Only this journey / this outcome. */
  journeyId?: string;
  outcomeId?: string;
}

/**
 * Explains one client's result: what was paid and why (not), the rejected rows, the journeys and
 * every outcome decision with its steps and its payment.
 * @example formatExplanation(explainClient(result, scheme, '2015-03-31', { records, rejections }))
 */
export function explainClient(result: ClientResult, scheme: Scheme, asOf: IsoDate, options: ExplainOptions = {}): ClientExplanation {
  const titles = new Map(scheme.outcomes.map((o) => [o.id, o.title]));
  const pay = explainPayments(result, scheme, asOf, { runLines: options.runLines });
  const rejected: RejectedRow[] = (options.rejections ?? []).map((r) => ({ ...r, feeds: rowFeeds(r.file, scheme) }));
  const notYetKnown: string[] = [];
  if (options.records) {
    const r = options.records;
    for (const e of r.episodes) {
      if (e.start_date > asOf) notYetKnown.push(`episode ${e.episode_id} (${e.part ?? 'episodes'} row ${e.row ?? '?'}) starts ${e.start_date}, after asOf`);
      else if (e.discharge_date !== undefined && e.discharge_date > asOf) {
        notYetKnown.push(`episode ${e.episode_id} (${e.part ?? 'episodes'} row ${e.row ?? '?'}) is discharged ${e.discharge_date}, after asOf: treated as open`);
      }
    }
    const later = (n: number, what: string) => n > 0 && notYetKnown.push(`${n} ${what} dated after asOf`);
    later(r.reviews.filter((x) => x.date > asOf).length, 'review(s)');
    later(r.drug_tests.filter((x) => x.date > asOf).length, 'drug test(s)');
    later(r.offences.filter((x) => x.offence_date > asOf).length, 'offence(s)');
    later(r.employment.filter((x) => x.start_date > asOf).length, 'employment spell(s)');
    if (r.client?.date_of_death !== undefined && r.client.date_of_death > asOf) notYetKnown.push(`a date of death after asOf (${r.client.date_of_death})`);
  }
  const journeys = result.journeys
    .filter((j) => options.journeyId === undefined || j.journey_id === options.journeyId)
    .map((j): JourneyExplanation => {
      // In the scheme's order, which reads domain by domain.
      const order = new Map(scheme.outcomes.map((o, i) => [o.id, i]));
      const decisions = result.decisions
        .filter((d) => d.journey_id === j.journey_id && (options.outcomeId === undefined || d.outcome_id === options.outcomeId))
        .sort((a, b) => order.get(a.outcome_id)! - order.get(b.outcome_id)!);
      return {
        journey_id: j.journey_id,
        start_date: j.start_date,
        end_date: j.end_date,
        substance_group: j.substance_group,
        tariff_band: j.tariff_band,
        exit:
          j.end_date === undefined
            ? `still open at ${asOf}`
            : `ended ${j.end_date} with '${j.exit_reason}'${j.exit_code && j.exit_code !== j.exit_reason ? ` (= ${j.exit_code})` : ''} (${j.exit_class ?? 'unknown class'}) on episode ${j.exit_episode!.episode_id}`,
        attachment_provider: j.first_episode.provider_id,
        episodes: episodeLines(j, scheme.calendar.journeyGapDays),
        attachment: pay.attachments.get(j.journey_id)!,
        outcomes: decisions.map((d) => ({
          decision: d,
          title: titles.get(d.outcome_id) ?? d.outcome_id,
          text: d.steps.flatMap((s) => stepLines(s, scheme)),
          payment: pay.outcomes.get(`${d.journey_id}\u0000${d.outcome_id}`)!,
          rejected: d.status === 'met' ? [] : rejected.filter((r) => r.file !== 'episodes' && r.feeds.outcomes.includes(d.outcome_id)),
        })),
      };
    });
  return {
    client_id: result.client_id,
    asOf,
    scheme: `${scheme.id} v${scheme.version}`,
    payments: pay.summary,
    rejected,
    notYetKnown,
    date_of_death: result.date_of_death,
    journeys,
  };
}

const pounds = (amount: string) => formatPounds(decimal(amount));

const TYPE_WORDS: Record<string, string> = { attachment: 'attachment', outcome: 'outcomes', sustainment: 'sustainment', cohort: 'cohort', fixed: 'fixed' };

const NOT_PAID_WORDS: Record<string, string> = {
  before_contract: 'payable before the contract started',
  after_contract: 'payable after the contract ended',
  over_client_limit: "over the scheme's per-client limit",
  capped: 'cut in full by a provider cap',
  part_capped: 'cut in part by a provider cap',
  unbanded: 'no tariff band and no default band',
  unknown_band: "a band that is not in the tariff",
};

/** The answer first: what the client was paid, and what was not paid and why. */
function paidLines(p: ClientPaymentSummary): string[] {
  const L: string[] = [];
  if (!p.priced) {
    L.push('Paid per client: nothing — the scheme has no per-client tariff (R-PAY-2).', ...p.notes);
    return L;
  }
  const providers = p.by_provider.filter((x) => decimal(x.paid).greaterThan(0));
  L.push(
    decimal(p.paid).isZero()
      ? 'Paid: nothing.'
      : `Paid: ${pounds(p.paid)}${providers.length > 0 ? ` to ${providers.map((x) => (providers.length > 1 ? `${x.provider_id} ${pounds(x.paid)}` : x.provider_id)).join(', ')}` : ''}` +
          ` (${p.by_type.map((t) => `${TYPE_WORDS[t.payment_type]} ${pounds(t.paid)}`).join(', ')}).`,
  );
  for (const n of p.not_paid) {
    const money = n.amount !== undefined ? `, ${pounds(n.amount)}` : '';
    L.push(`Not paid: ${n.items} ${n.items === 1 ? 'item' : 'items'} ${NOT_PAID_WORDS[n.reason] ?? n.reason} (${n.rule})${money}.`);
  }
  for (const n of p.notes) L.push(n);
  return L;
}

/** One payment line in words: the money, who is paid, when, from which band, and the payers. */
function lineWords(l: ExplainedLine): string {
  const payers = l.payers.length > 1 || (l.payers.length === 1 && l.payers[0]!.payer !== 'default') ? `; payers ${l.payers.map((p) => `${p.payer} ${pounds(p.amount)}`).join(', ')} (R-PAY-6)` : '';
  const what = l.payment_type === 'sustainment' ? 'sustainment payment' : l.payment_type === 'attachment' ? 'attachment' : 'outcome payment';
  const head = `${what} ${pounds(l.paid)} to ${l.provider_id}, payable ${l.payable_on} in the period from ${l.period_start}, band ${l.tariff_band}`;
  switch (l.status) {
    case 'paid':
      return `${head}${payers}`;
    case 'part_capped':
      return `${head} (price ${pounds(l.amount)}, ${pounds(l.capped)} cut by the cap)${payers}`;
    case 'capped':
      return `${what} ${pounds(l.amount)} to ${l.provider_id}, payable ${l.payable_on}: cut in full by the cap`;
    case 'outside_contract':
      return `${what} ${pounds(l.amount)} to ${l.provider_id}, payable ${l.payable_on}: outside the contract`;
    case 'over_client_limit':
      return `${what} ${pounds(l.amount)} to ${l.provider_id}, payable ${l.payable_on}: over the per-client limit`;
  }
}

/** A payment in words: the lines paid, then why not (or not all) was paid. */
function paymentLines(label: string, x: PaymentExplanation): string[] {
  const paidLines = x.lines.filter((l) => l.status === 'paid' || l.status === 'part_capped');
  const L: string[] = [];
  if (paidLines.length === 0) {
    L.push(`${label}: nothing paid${x.unpaid.length > 0 ? ` — ${x.unpaid.map((c) => `${c.text} (${c.rule})`).join('; ')}` : ''}.`);
    return L;
  }
  L.push(`${label}: ${pounds(x.paid)} (R-PAY-2, period R-PAY-5):`);
  for (const l of paidLines) L.push(`  ${lineWords(l)}`);
  for (const c of x.unpaid) L.push(`  not paid: ${c.text} (${c.rule})`);
  return L;
}

/**
 * Plain-English text of an explanation.
 * @example console.log(formatExplanation(explainClient(result, scheme, asOf)))
 */
export function formatExplanation(x: ClientExplanation): string {
  const L: string[] = [];
  L.push(`Client ${x.client_id}: as known on ${x.asOf}, scheme ${x.scheme}`);
  L.push(...paidLines(x.payments));
  if (x.date_of_death) L.push(`Died on ${x.date_of_death} (clients file).`);
  if (x.rejected.length > 0) {
    L.push(`Rejected rows of this client (not used; listed in rejections.csv):`);
    for (const r of x.rejected) L.push(`  - ${rejectionText(r, r.feeds)}`);
  }
  if (x.notYetKnown.length) {
    L.push('Not yet known on that date, so not used (R-CAL-2):');
    for (const n of x.notYetKnown) L.push(`  - ${n}`);
  }
  if (x.journeys.length === 0) {
    const episodes = x.rejected.filter((r) => r.file === 'episodes');
    L.push(
      episodes.length > 0
        ? `No treatment journey: no usable episode started on or before that date; ${episodes.length === 1 ? 'its episode row was' : `${episodes.length} episode rows were`} rejected (${episodes.map((r) => `${r.part ?? r.file} row ${r.row}`).join(', ')}, above).`
        : 'No treatment journey (no episode started on or before that date).',
    );
  }
  for (const j of x.journeys) {
    L.push('');
    L.push(`Journey ${j.journey_id}: ${j.start_date} to ${j.end_date ?? 'open'}, ${j.substance_group.replace(/_/g, ' ')}, band ${j.tariff_band ?? '(none)'}`);
    L.push(`  ${j.exit}.`);
    L.push(`  Episodes (R-JNY-1: an episode starting within the gap after the latest discharge joins the journey):`);
    for (const e of j.episodes) {
      L.push(
        `    ${e.episode_id} (${e.part ?? 'episodes'} row ${e.row ?? '?'}): ${e.start_date} to ${e.discharge_date ?? 'open'}, provider ${e.provider_id}, area ${e.area_code}, ${e.substances.join('+')}${
          e.exit_reason ? `, exit ${e.exit_reason}` : ''
        }; ${e.joined}`,
      );
    }
    L.push(`  Attachment goes to provider ${j.attachment_provider}, the provider of the first episode (R-JNY-4).`);
    for (const t of paymentLines('Attachment', j.attachment)) L.push(`  ${t}`);
    for (const o of j.outcomes) {
      const d = o.decision;
      L.push('');
      L.push(`  ${d.outcome_id} (${o.title}): ${d.status.toUpperCase().replace('_', ' ')}${d.status === 'met' ? ` on ${d.achieved_on}` : d.due_on ? `, due ${d.due_on}` : ''}${d.reason ? `, reason ${d.reason}` : ''}`);
      for (const t of paymentLines('Payment', o.payment)) L.push(`    ${t}`);
      L.push(`    Attributed to provider ${d.provider_id}, area ${d.area_code} (R-JNY-4).`);
      for (const t of o.text) L.push(`    ${t}`);
      for (const r of o.rejected) L.push(`    rejected, so not looked at: ${r.part ?? r.file} row ${r.row} (${rejectedWhat(r, r.reason)})`);
    }
  }
  return L.join('\n') + '\n';
}
