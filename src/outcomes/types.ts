/**
 * Shapes of outcome decisions (SPEC §3.3, §4 `outcomes.csv`): what every primitive and every
 * outcome returns, with the rule, window and evidence behind it for `explain`.
 * @module
 */
import type { IsoDate } from '../calendar/index.js';
import type { InputFile, OutcomeStatus, ReasonCode, SubstanceGroup } from '../schema/codes.js';
import type { PrimitiveType } from '../schema/scheme/outcomes.js';

/** One input row used as evidence for a decision. */
export interface EvidenceRef {
  file: InputFile;
  /** Row number in that file (header = 1), when known. */
  row: number | undefined;
  /** The part of a folder of parts the row is in (`reviews/2014.csv`); then `row` is that part's row. */
  part?: string;
  /** Date of the record. */
  date: IsoDate;
  /** What the row showed, in a few words (e.g. "review: 0 days opiates, 0 days crack"). */
  detail: string;
}

/** A date window a rule looked at, for explanations. */
export interface DecisionWindow {
  /** What the window is, e.g. "after window". */
  label: string;
  from: IsoDate;
  to: IsoDate;
  /** Whether `from` is inside the window ((from, to] windows have it outside). */
  fromIncluded: boolean;
}

/** The decision of one primitive for one journey. */
export interface PrimitiveDecision {
  type: PrimitiveType | 'population' | 'gateway' | 'death';
  /** Rule id, e.g. `R-OUT-3`. */
  rule: string;
  status: OutcomeStatus;
  achieved_on: IsoDate | undefined;
  due_on: IsoDate | undefined;
  /**
   * The date the status became certain: achieved_on when met; for `not_met`/`not_eligible`, the day
   * the failure was certain (R-CAL-3). Death is judged against it (R-OUT-9). Undefined when pending.
   */
  decided_on: IsoDate | undefined;
  /**
   * When pending: the status it takes on due_on if no further record arrives, when that is a
   * failure already certain but for the journey's settling (R-CAL-4): e.g. an unsuccessful exit is
   * `not_met` on the settle date unless an episode joins. The outcome is then decided on that date
   * whatever its other primitives wait for (see combine).
   */
  settles_as?: 'not_met' | 'not_eligible' | undefined;
  /** Reason code (R-OUT-12, the closed list); undefined when met. */
  reason: ReasonCode | undefined;
  windows: DecisionWindow[];
  evidence: EvidenceRef[];
  /** One or two plain-English sentences saying why. */
  note: string;
}

/** The decision of one outcome for one journey: one row of `outcomes.csv` plus its reasons. */
export interface OutcomeDecision {
  client_id: string;
  journey_id: string;
  outcome_id: string;
  /** Provider in charge on achieved_on when met, else the journey's current provider (R-JNY-4). */
  provider_id: string;
  area_code: string;
  substance_group: SubstanceGroup;
  /** The journey's own band (blank when it has none; the tariff's default band is a payment matter). */
  tariff_band: string | undefined;
  status: OutcomeStatus;
  achieved_on: IsoDate | undefined;
  due_on: IsoDate | undefined;
  /** Reason code from the closed list of R-OUT-12 (`REASON_CODES`); undefined when met. */
  reason: ReasonCode | undefined;
  /** Payable sustainment dates (R-OUT-5 `sustainment`), for met employment outcomes. */
  sustainment: IsoDate[];
  /** Each step that led to the status: population, primitives, gateway, death. */
  steps: PrimitiveDecision[];
}
