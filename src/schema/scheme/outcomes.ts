/**
 * Outcome definitions in a scheme (SPEC §3.3): a population filter, one or more primitives that
 * must all hold (R-OUT-1..7), and optional gateways (R-OUT-8).
 * @module
 */
import * as z from 'zod';
import { SUBSTANCES, SUBSTANCE_GROUPS } from '../codes.js';
import { Count, DateString, Id, PositiveCount, Share } from './common.js';

const SubstanceList = z.array(z.enum(SUBSTANCES)).min(1, 'list at least one substance');

/** R-OUT-1: the journey ended with a successful exit. */
export const SuccessfulCompletion = z.strictObject({
  type: z.literal('successful_completion'),
  requireOffSubstitution: z
    .boolean()
    .default(true)
    .describe('Opiate journeys must leave without substitute medication (blank fails)'),
});

/** R-OUT-2: no later journey starts within `months` after the successful end. */
export const NoRepresentation = z.strictObject({
  type: z.literal('no_representation'),
  months: PositiveCount.default(6),
  scope: z.enum(['any_provider', 'same_area']).default('any_provider'),
});

/** R-OUT-3: a qualifying review records no use, optionally confirmed by drug tests. */
export const Abstinence = z
  .strictObject({
    type: z.literal('abstinence'),
    substances: z.union([z.literal('cited'), SubstanceList]).default('cited'),
    at: z.enum(['exit', 'any_review', 'review_after_months']).default('any_review'),
    months: PositiveCount.optional().describe('With at = review_after_months: reviews on or after journey start + months'),
    confirmTest: z
      .strictObject({
        substances: SubstanceList,
        withinDays: Count,
      })
      .optional(),
  })
  .superRefine((a, ctx) => {
    if (a.at === 'review_after_months' && a.months === undefined) {
      ctx.addIssue({ code: 'custom', path: ['months'], message: 'is required when at is review_after_months' });
    }
    if (a.at !== 'review_after_months' && a.months !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['months'], message: 'is only used when at is review_after_months' });
    }
  });

/** R-OUT-4: fewer (or no) proven offences after journey start than before. */
export const ReducedOffending = z
  .strictObject({
    type: z.literal('reduced_offending'),
    beforeMonths: PositiveCount.default(12),
    afterMonths: PositiveCount.default(6),
    mode: z.enum(['binary', 'frequency']).default('binary'),
    minReduction: Share.optional().describe('With mode = frequency: the share by which offences must fall'),
  })
  .superRefine((a, ctx) => {
    if (a.mode === 'frequency' && a.minReduction === undefined) {
      ctx.addIssue({ code: 'custom', path: ['minReduction'], message: 'is required when mode is frequency' });
    }
  });

/** R-OUT-5: sustained employment, with optional sustainment payments. */
export const SustainedEmployment = z.strictObject({
  type: z.literal('sustained_employment'),
  weeks: PositiveCount,
  minHoursPerWeek: z.number().min(0).max(168),
  withinMonths: PositiveCount,
  continuous: z.boolean().default(true),
  sustainment: z
    .strictObject({
      everyWeeks: PositiveCount,
      maxPayments: PositiveCount,
      withinMonths: PositiveCount.optional().describe(
        'Sustainment blocks must complete within this many months after achieved_on; default: within the outcome window',
      ),
    })
    .optional(),
});

/** R-OUT-6: a TOP score improves by at least `minPoints` over the start review. */
export const ScoreImprovement = z.strictObject({
  type: z.literal('score_improvement'),
  measure: z.enum(['quality_of_life', 'psychological_health', 'physical_health']),
  minPoints: PositiveCount,
});

/** R-OUT-7: a client injecting at start records a review with no injecting. */
export const InjectingCessation = z.strictObject({
  type: z.literal('injecting_cessation'),
});

/** One outcome primitive (R-OUT-1..7), by `type`. */
export const Primitive = z.discriminatedUnion('type', [
  SuccessfulCompletion,
  NoRepresentation,
  Abstinence,
  ReducedOffending,
  SustainedEmployment,
  ScoreImprovement,
  InjectingCessation,
]);
/** One outcome primitive. */
export type Primitive = z.output<typeof Primitive>;
/** The type names of the primitives. */
export type PrimitiveType = Primitive['type'];

/** Which journeys an outcome applies to; every given condition must hold. */
export const Population = z.strictObject({
  substanceGroups: z.array(z.enum(SUBSTANCE_GROUPS)).min(1).optional(),
  bands: z.array(z.string().min(1)).min(1).optional().describe('Tariff bands (journeys without a band are outside)'),
  minAge: Count.optional().describe('age_at_start of the first episode at least this (blank is outside)'),
  maxAge: Count.optional(),
  injectingAtStart: z.boolean().optional(),
  journeyStartFrom: DateString.optional(),
  journeyStartTo: DateString.optional(),
  providers: z.array(z.string().min(1)).min(1).optional().describe('Provider of the first episode'),
  areas: z.array(z.string().min(1)).min(1).optional().describe('Area of the first episode'),
});
/** A population filter. */
export type Population = z.output<typeof Population>;

/** Gateway: the outcome also needs other outcomes of the same journey (R-OUT-8). */
export const Gateway = z.union([
  z.strictObject({ allOf: z.array(Id).min(1) }),
  z.strictObject({ anyOf: z.array(Id).min(1) }),
]);
/** A gateway requirement. */
export type Gateway = z.output<typeof Gateway>;

/** One outcome definition. */
export const OutcomeDefinition = z.strictObject({
  id: Id,
  title: z.string().min(1),
  domain: z.string().optional().describe('Outcome domain, e.g. "1 free from dependence"'),
  description: z.string().optional(),
  population: Population.default({}),
  primitives: z.array(Primitive).min(1, 'an outcome needs at least one primitive'),
  require: Gateway.optional(),
});
/** One outcome definition. */
export type OutcomeDefinition = z.output<typeof OutcomeDefinition>;
