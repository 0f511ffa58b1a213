/**
 * `recovery-pbr explain`: why was this client (not) paid? For each journey, how it was assembled;
 * for each outcome, the rule, the window dates, the evidence rows used (file and row number) and
 * the decision, in plain English (or JSON with --json).
 * @module
 */
import { evaluateClient } from '../../engine/index.js';
import { explainClient, formatExplanation } from '../../explain/index.js';
import { readScheme } from '../../io/scheme.js';
import { clientRecordsInFolder } from '../../node/run-folder.js';
import { UsageError, type CliCommand } from '../command.js';
import { RecoveryPbrError } from '../../errors.js';
import { countOption, dateOption, pathOption, requiredString, runProgressReporter } from '../shared.js';

const usage = `Usage: recovery-pbr explain --scheme <preset id | file> --data <folder> --as-of <YYYY-MM-DD> --client <id> [--journey <id>] [--outcome <id>] [--json]
         [--workers <n>] [--temp-dir <folder>] [--quiet]

Explains one client's journeys and outcome decisions: which episodes formed each journey and why,
and for each outcome the rule (R-…), the window dates, the evidence rows used (file and row
number) and the decision. --journey and --outcome narrow it down; --json prints the same as data.

The data is read as \`run\` reads it (folders of parts, any size: only the client's share is kept),
so the explanation is the one behind run's outcomes.csv. A row from a folder of parts is named by
its part (episodes/2014.csv row 12). --workers, --temp-dir and --quiet work as for run.`;

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
    quiet: { type: 'boolean' },
    'temp-dir': { type: 'string' },
    workers: { type: 'string' },
  },
  async run(values, io) {
    const clientId = values['client'];
    if (typeof clientId !== 'string' || clientId === '') throw new UsageError('--client <id> is required');
    const schemeArg = requiredString(values, 'scheme', '<preset id | file>');
    const dataDir = pathOption(io, requiredString(values, 'data', '<folder>'));
    const asOf = dateOption(values, 'as-of');
    const workers = countOption(values, 'workers');
    const tempDir = typeof values['temp-dir'] === 'string' ? pathOption(io, values['temp-dir']) : undefined;
    const scheme = await readScheme(schemeArg, io.cwd);
    const progress = runProgressReporter(io, values['quiet'] === true, 'gathering');
    let found: Awaited<ReturnType<typeof clientRecordsInFolder>>;
    try {
      found = await clientRecordsInFolder(dataDir, scheme, clientId, { asOf, workers, tempDir, onProgress: progress?.update });
    } finally {
      progress?.clear();
    }
    for (const n of found.notes) io.stderr(`recovery-pbr explain: note: ${n}\n`);
    const records = found.records;
    if (!records) {
      const rejected = found.rejectedWithId;
      throw new RecoveryPbrError('options', 
        `no usable record of client '${clientId}' in the data${rejected ? ` (${rejected} of their rows were rejected: see recovery-pbr validate)` : ''}`,
      );
    }
    const outcomeId = values['outcome'] as string | undefined;
    if (outcomeId !== undefined && !scheme.outcomes.some((o) => o.id === outcomeId)) {
      throw new RecoveryPbrError('options', `scheme ${scheme.id} has no outcome '${outcomeId}' (it has ${scheme.outcomes.map((o) => o.id).join(', ')})`);
    }
    const result = evaluateClient(records, scheme, { asOf, present: found.present });
    const journeyId = values['journey'] as string | undefined;
    if (journeyId !== undefined && !result.journeys.some((j) => j.journey_id === journeyId)) {
      throw new RecoveryPbrError('options', `client ${clientId} has no journey '${journeyId}' as of ${asOf} (journeys: ${result.journeys.map((j) => j.journey_id).join(', ') || 'none'})`);
    }
    const x = explainClient(result, scheme, asOf, { records, journeyId, outcomeId });
    io.stdout(values['json'] === true ? JSON.stringify(x, null, 2) + '\n' : formatExplanation(x));
    return 0;
  },
};
