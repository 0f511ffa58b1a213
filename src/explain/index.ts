/**
 * Explanations: for one client, how each journey was assembled (R-JNY) and, for each outcome, the
 * rule, the window dates, the evidence rows used (file and row number) and the decision, in plain
 * English a commissioner can read. Also available as structured data (for JSON output).
 * @module
 */
import { daysBetween, type IsoDate } from '../calendar/index.js';
import type { ClientResult } from '../engine/index.js';
import type { ClientRecords } from '../evidence/index.js';
import type { Journey } from '../journeys/index.js';
import { reasonText } from '../outcomes/reasons.js';
import type { OutcomeDecision, PrimitiveDecision } from '../outcomes/types.js';
import type { Scheme } from '../schema/scheme/index.js';

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
  outcomes: { decision: OutcomeDecision; title: string; text: string[] }[];
}

/** The explanation of one client. */
export interface ClientExplanation {
  client_id: string;
  asOf: IsoDate;
  scheme: string;
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
  for (const w of step.windows) out.push(`  window: ${w.label} ${w.fromIncluded ? '[' : '('}${w.from}, ${w.to}]`);
  for (const e of step.evidence) out.push(`  evidence: ${e.part ?? e.file} row ${e.row ?? '?'} (${e.date}): ${e.detail}`);
  return out;
}

/**
 * Explains one client's result: journeys and every outcome decision with its steps.
 * Pass the client's records to also list what was not yet known at asOf.
 * @example formatExplanation(explainClient(result, scheme, '2015-03-31'))
 */
export function explainClient(
  result: ClientResult,
  scheme: Scheme,
  asOf: IsoDate,
  options: { records?: ClientRecords; journeyId?: string; outcomeId?: string } = {},
): ClientExplanation {
  const titles = new Map(scheme.outcomes.map((o) => [o.id, o.title]));
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
        outcomes: decisions.map((d) => ({
          decision: d,
          title: titles.get(d.outcome_id) ?? d.outcome_id,
          text: d.steps.flatMap((s) => stepLines(s, scheme)),
        })),
      };
    });
  return { client_id: result.client_id, asOf, scheme: `${scheme.id} v${scheme.version}`, notYetKnown, date_of_death: result.date_of_death, journeys };
}

/**
 * Plain-English text of an explanation.
 * @example console.log(formatExplanation(explainClient(result, scheme, asOf)))
 */
export function formatExplanation(x: ClientExplanation): string {
  const L: string[] = [];
  L.push(`Client ${x.client_id}: as known on ${x.asOf}, scheme ${x.scheme}`);
  if (x.date_of_death) L.push(`Died on ${x.date_of_death} (clients file).`);
  if (x.notYetKnown.length) {
    L.push('Not yet known on that date, so not used (R-CAL-2):');
    for (const n of x.notYetKnown) L.push(`  - ${n}`);
  }
  if (x.journeys.length === 0) L.push('No treatment journey (no episode started on or before that date).');
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
    for (const o of j.outcomes) {
      const d = o.decision;
      L.push('');
      L.push(`  ${d.outcome_id} (${o.title}): ${d.status.toUpperCase().replace('_', ' ')}${d.status === 'met' ? ` on ${d.achieved_on}` : d.due_on ? `, due ${d.due_on}` : ''}${d.reason ? `, reason ${d.reason}` : ''}`);
      L.push(`    Attributed to provider ${d.provider_id}, area ${d.area_code} (R-JNY-4).`);
      for (const t of o.text) L.push(`    ${t}`);
    }
  }
  return L.join('\n') + '\n';
}
