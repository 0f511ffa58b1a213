/**
 * `recovery-pbr explain`: why was this client (not) paid? For each journey, how it was assembled;
 * for each outcome, the rule, the window dates, the evidence rows used (file and row number) and
 * the decision, in plain English (or JSON with --json).
 * @module
 */
import { evaluateClient } from '../../engine/index.js';
import { groupByClient, presenceOf } from '../../evidence/index.js';
import { explainClient, formatExplanation } from '../../explain/index.js';
import { InputError, type CliCommand } from '../command.js';
import { loadRun } from './run.js';

const usage = `Usage: recovery-pbr explain --scheme <preset id | file> --data <folder> --as-of <YYYY-MM-DD> --client <id> [--journey <id>] [--outcome <id>] [--json]

Explains one client's journeys and outcome decisions: which episodes formed each journey and why,
and for each outcome the rule (R-…), the window dates, the evidence rows used (file and row
number) and the decision. --journey and --outcome narrow it down; --json prints the same as data.`;

/** `recovery-pbr explain`. */
export const command: CliCommand = {
  name: 'explain',
  summary: "why a client was (not) paid: journeys, rules, windows, evidence rows, decisions",
  usage,
  options: {
    scheme: { type: 'string' },
    data: { type: 'string' },
    'as-of': { type: 'string' },
    client: { type: 'string' },
    journey: { type: 'string' },
    outcome: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(values, io) {
    const clientId = values['client'];
    if (typeof clientId !== 'string' || clientId === '') {
      const { UsageError } = await import('../command.js');
      throw new UsageError('--client <id> is required');
    }
    const { scheme, asOf, read } = await loadRun(values, io, true);
    const records = groupByClient(read.data).find((c) => c.client_id === clientId);
    if (!records) {
      const rejected = read.rejections.filter((r) => r.value === clientId).length;
      throw new InputError(
        `no usable record of client '${clientId}' in the data${rejected ? ` (${rejected} of their rows were rejected: see recovery-pbr validate)` : ''}`,
      );
    }
    const outcomeId = values['outcome'] as string | undefined;
    if (outcomeId !== undefined && !scheme.outcomes.some((o) => o.id === outcomeId)) {
      throw new InputError(`scheme ${scheme.id} has no outcome '${outcomeId}' (it has ${scheme.outcomes.map((o) => o.id).join(', ')})`);
    }
    const result = evaluateClient(records, scheme, { asOf, present: presenceOf(read.data) });
    const journeyId = values['journey'] as string | undefined;
    if (journeyId !== undefined && !result.journeys.some((j) => j.journey_id === journeyId)) {
      throw new InputError(`client ${clientId} has no journey '${journeyId}' as of ${asOf} (journeys: ${result.journeys.map((j) => j.journey_id).join(', ') || 'none'})`);
    }
    const x = explainClient(result, scheme, asOf, { records, journeyId, outcomeId });
    io.stdout(values['json'] === true ? JSON.stringify(x, null, 2) + '\n' : formatExplanation(x));
    return 0;
  },
};
