/**
 * Deciding every outcome of a scheme for one journey: population, primitives (all must hold),
 * gateways (R-OUT-8, in dependency order), then death (R-OUT-9). Each outcome is decided once per
 * journey (R-OUT-10). A pure function of (journey, evidence, scheme, asOf).
 * @module
 */
import { compareCodePoint } from '../calendar/index.js';
import { episodeInChargeOn } from '../journeys/index.js';
import type { OutcomeDefinition, Primitive } from '../schema/scheme/outcomes.js';
import type { Scheme } from '../schema/scheme/index.js';
import { decideAbstinence } from './abstinence.js';
import { combine, type CombinedStatus } from './combine.js';
import { NO_EVIDENCE, NO_WINDOWS, explains, sameItems, type OutcomeContext } from './context.js';
import { applyDeath } from './death.js';
import { applyGateway, type StatusesById } from './gateways.js';
import { decideInjectingCessation } from './injecting-cessation.js';
import { decideNoRepresentation } from './no-representation.js';
import { decidePopulation } from './population.js';
import { decideReducedOffending } from './reduced-offending.js';
import { decideScoreImprovement } from './score-improvement.js';
import { decideSuccessfulCompletion } from './successful-completion.js';
import { decideSustainedEmployment } from './sustained-employment.js';
import type { OutcomeDecision, PrimitiveDecision } from './types.js';

/**
 * Decides one primitive (R-OUT-1..7) for the journey in `ctx`.
 * @example decidePrimitive(ctx, { type: 'no_representation', months: 6, scope: 'any_provider' })
 */
export function decidePrimitive(ctx: OutcomeContext, p: Primitive): PrimitiveDecision & { sustainment?: string[] } {
  switch (p.type) {
    case 'successful_completion':
      return decideSuccessfulCompletion(ctx, p);
    case 'no_representation':
      return decideNoRepresentation(ctx, p);
    case 'abstinence':
      return decideAbstinence(ctx, p);
    case 'reduced_offending':
      return decideReducedOffending(ctx, p);
    case 'sustained_employment':
      return decideSustainedEmployment(ctx, p);
    case 'score_improvement':
      return decideScoreImprovement(ctx, p);
    case 'injecting_cessation':
      return decideInjectingCessation(ctx, p);
  }
}

/**
 * A scheme's outcomes ordered so that every gateway member comes before the outcomes requiring it
 * (the scheme parser has already refused cycles). Worked out afresh: {@link decideJourney} keeps it
 * in the scheme's plan.
 * @example outcomesInGatewayOrder(scheme).map((o) => o.id)
 */
function outcomesInGatewayOrder(scheme: Pick<Scheme, 'outcomes'>): OutcomeDefinition[] {
  const byId = new Map(scheme.outcomes.map((o) => [o.id, o]));
  const done = new Set<string>();
  const out: OutcomeDefinition[] = [];
  const visit = (o: OutcomeDefinition) => {
    if (done.has(o.id)) return;
    done.add(o.id);
    const req = o.require ? ('allOf' in o.require ? o.require.allOf : o.require.anyOf) : [];
    for (const r of req) {
      const m = byId.get(r);
      if (m) visit(m);
    }
    out.push(o);
  };
  for (const o of scheme.outcomes) visit(o);
  return out;
}

/** What {@link decideJourney} and the engine work out once per scheme: where each outcome's decision is kept, and their output order. */
export interface JourneyPlan {
  /** A slot for each outcome id (the position where it first appears in the scheme). */
  slotOf: Map<string, number>;
  /** The outcomes in gateway order, each with its slot. */
  order: { outcome: OutcomeDefinition; slot: number }[];
  /** The slot of each of the scheme's outcomes, in the scheme's order. */
  slots: number[];
  /** The places of the scheme's outcomes in outcome_id order (code points): a journey's decisions as `outcomes.csv` lists them (R-JNY-5). */
  idOrder: number[];
}

/** Plans by outcome list, with a copy of the list as it was when the plan was made. */
const PLANS = new WeakMap<readonly OutcomeDefinition[], { outcomes: readonly OutcomeDefinition[]; plan: JourneyPlan }>();

/**
 * A scheme's {@link JourneyPlan}: a journey's steps are kept in an array of a slot per outcome id
 * rather than in a map made for every journey, and each outcome's slot is looked up once per
 * scheme, not twice per journey (millions at national scale). Written and read by id, as the map
 * was: an id given twice (a scheme the parser would refuse) shares its slot. Kept per outcome list
 * (schemes sharing one list share the plan) while the list holds the same definitions in the same
 * order: the slots are positions in it, so a list reordered, grown or replaced in place between
 * runs is planned again (one comparison per outcome a look). A definition changed in place (its
 * gateway, its primitives) is not seen: change a scheme by parsing a new one.
 * @example journeyPlan(scheme).idOrder.map((i) => scheme.outcomes[i]!.id) // the ids in code point order
 */
export function journeyPlan(scheme: Pick<Scheme, 'outcomes'>): JourneyPlan {
  const outcomes = scheme.outcomes;
  const kept = PLANS.get(outcomes);
  if (kept !== undefined && sameItems(kept.outcomes, outcomes)) return kept.plan;
  const slotOf = new Map<string, number>();
  for (let i = 0; i < outcomes.length; i++) if (!slotOf.has(outcomes[i]!.id)) slotOf.set(outcomes[i]!.id, i);
  const plan: JourneyPlan = {
    slotOf,
    order: outcomesInGatewayOrder(scheme).map((outcome) => ({ outcome, slot: slotOf.get(outcome.id)! })),
    slots: outcomes.map((o) => slotOf.get(o.id)!),
    idOrder: outcomes.map((_, i) => i).sort((a, b) => compareCodePoint(outcomes[a]!.id, outcomes[b]!.id)),
  };
  PLANS.set(outcomes, { outcomes: [...outcomes], plan });
  return plan;
}

/**
 * Decides every outcome of `scheme` for the journey in `ctx`, in the scheme's outcome order.
 * @example decideJourney(ctx, scheme).map((d) => [d.outcome_id, d.status])
 */
export function decideJourney(ctx: OutcomeContext, scheme: Pick<Scheme, 'outcomes' | 'death'>): OutcomeDecision[] {
  const j = ctx.journey;
  const why = explains(ctx);
  // Each outcome's combined status, steps and sustainment dates, in a slot per outcome id (arrays
  // of the scheme's length rather than a map, or an object per outcome: this runs for every journey).
  const plan = journeyPlan(scheme);
  const n = scheme.outcomes.length;
  const builtStatus: CombinedStatus[] = new Array(n);
  const builtSteps: PrimitiveDecision[][] = new Array(n);
  const builtSustainment: string[][] = new Array(n);
  const statuses = new SlotStatuses(builtStatus, plan.slotOf);
  for (const { outcome: o, slot } of plan.order) {
    let sustainment: string[] = NO_DATES;
    // Each list is made at its final length (a gateway's step included): a list grown by push from
    // empty takes room for 17 steps, and this runs for every outcome of every journey.
    const pop = decidePopulation(ctx, o.population);
    const extra = o.require ? 1 : 0;
    let steps: PrimitiveDecision[];
    if (pop) {
      steps = stepList(1 + extra);
      steps[0] = pop;
    } else {
      const ps = o.primitives;
      steps = stepList(ps.length + extra);
      for (let k = 0; k < ps.length; k++) {
        const d = decidePrimitive(ctx, ps[k]!);
        if (d.sustainment) sustainment = d.sustainment;
        steps[k] = d;
      }
    }
    const own = combine(steps, steps.length - extra);
    if (o.require) {
      const g = applyGateway(own, o.require, statuses, why);
      steps[steps.length - 1] = g.step;
      builtStatus[slot] = g.status;
    } else builtStatus[slot] = own;
    builtSteps[slot] = steps;
    builtSustainment[slot] = sustainment;
  }
  const dod = scheme.death.rule === 'ignore' ? undefined : ctx.evidence.date_of_death;
  const out: OutcomeDecision[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const o = scheme.outcomes[i]!;
    const slot = plan.slots[i]!;
    const steps = builtSteps[slot]!;
    // No death known: the status stands (applyDeath would say so, through an object made for it).
    let s = builtStatus[slot]!;
    if (dod !== undefined) {
      const death = applyDeath(s, dod, ctx.evidence.death_row, ctx.evidence.death_part, why);
      s = death.status;
      if (death.step) steps.push(death.step);
    }
    const inCharge = s.status === 'met' ? episodeInChargeOn(j, s.achieved_on!) : j.current_episode;
    out[i] = {
      client_id: j.client_id,
      journey_id: j.journey_id,
      outcome_id: o.id,
      provider_id: inCharge.provider_id,
      area_code: inCharge.area_code,
      substance_group: j.substance_group,
      tariff_band: j.tariff_band,
      status: s.status,
      achieved_on: s.achieved_on,
      due_on: s.status === 'pending' ? s.due_on : undefined,
      reason: s.reason,
      // Sustainment is paid only for a met outcome, and not for blocks completed after death.
      sustainment: s.status === 'met' ? sustainmentBy(builtSustainment[slot]!, dod) : NO_DATES,
      steps,
    };
  }
  return out;
}

/** The combined statuses decided so far for a journey, by outcome id through the plan's slots (what a gateway reads). */
class SlotStatuses implements StatusesById {
  constructor(
    private readonly status: readonly (CombinedStatus | undefined)[],
    private readonly slotOf: ReadonlyMap<string, number>,
  ) {}

  get(id: string): CombinedStatus | undefined {
    const slot = this.slotOf.get(id);
    return slot === undefined ? undefined : this.status[slot];
  }
}

/**
 * A list of `n` steps, each {@link NO_STEP} until written: made at its length from the start (a
 * literal for the usual few), where a list grown from empty by push takes room for 17.
 */
function stepList(n: number): PrimitiveDecision[] {
  switch (n) {
    case 1:
      return [NO_STEP];
    case 2:
      return [NO_STEP, NO_STEP];
    case 3:
      return [NO_STEP, NO_STEP, NO_STEP];
    case 4:
      return [NO_STEP, NO_STEP, NO_STEP, NO_STEP];
    default:
      return Array.from({ length: n }, () => NO_STEP);
  }
}

/** What a step list holds until its step is written (never seen outside decideJourney). */
const NO_STEP: PrimitiveDecision = Object.freeze({
  type: 'gateway',
  rule: '',
  status: 'pending',
  achieved_on: undefined,
  due_on: undefined,
  decided_on: undefined,
  settles_as: undefined,
  reason: undefined,
  windows: NO_WINDOWS,
  evidence: NO_EVIDENCE,
  note: '',
}) as PrimitiveDecision;

/**
 * The sustainment dates on or before a death (all when none is known); {@link NO_DATES} when none
 * is left. Frozen: without a death the list is the step's own (not copied), read from two places.
 */
function sustainmentBy(dates: string[], dod: string | undefined): string[] {
  const kept = dod === undefined ? dates : dates.filter((d) => d <= dod);
  return kept.length === 0 ? NO_DATES : Object.freeze(kept) as string[];
}

/** The sustainment dates of a decision that has none: one frozen list shared by all (nothing appends to it). */
const NO_DATES: string[] = Object.freeze([]) as unknown as string[];
