/**
 * `recovery-pbr explain`: was this client paid, and why (not)? First what was paid (or why
 * nothing was) and the client's rejected rows; then for each journey how it was assembled and its
 * attachment; for each outcome its payment lines, the rule, the windows, the evidence rows used
 * (file and row number) and the decision, in plain English (or JSON with --json).
 * @module
 */
import { evaluateClient } from '../../engine/index.js';
import { dependsOnCaps, explainClient, formatExplanation } from '../../explain/index.js';
import { readScheme } from '../../io/scheme.js';
import { clientRecordsInFolder, runFolder } from '../../node/run-folder.js';
import type { PaymentLine } from '../../payments/types.js';
import { UsageError, type CliCommand } from '../command.js';
import { RecoveryPbrError } from '../../errors.js';
import { countOption, dateOption, pathOption, requiredString, runProgressReporter } from '../shared.js';

const usage = `Usage: recovery-pbr explain --scheme <preset id | file> --data <folder> --as-of <YYYY-MM-DD> --client <id> [--journey <id>] [--outcome <id>] [--json]
         [--workers <n>] [--temp-dir <folder>] [--quiet]

Was this client paid, and why (not)? Prints, for one client:
  - what was paid in all, and what was not paid and why (before or after the contract, no band,
    a band not in the tariff, cut by a provider cap, over a per-client limit);
  - every rejected row of the client (file, row, field, reason) and the rules it would have fed;
  - for each journey: its episodes and why they form one journey, and its attachment payment;
  - for each outcome: its payment lines (amount, provider, period, band, payers) or why nothing was
    paid (not met — gateways and death among the reasons — or one of the above), the rule (R-…),
    the windows (earliest date first), every evidence row the rule looked at, and the decision.
--journey and --outcome narrow it down; --json prints the same as data (money as plain decimals).

The data is read as \`run\` reads it (folders of parts, any size: only the client's share is kept),
so the explanation is the one behind run's outcomes.csv and payments.csv. When the client's
payments fall under a provider cap, the whole data is run to find the cut (a cap depends on every
client's payments), which takes as long as \`run\`. A row from a folder of parts is named by its part
(episodes/2014.csv row 12). --workers and --temp-dir work as for run; --quiet hides the progress bar.`;

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
    const quiet = values['quiet'] === true;
    const progress = runProgressReporter(io, quiet, 'gathering');
    let found: Awaited<ReturnType<typeof clientRecordsInFolder>>;
    try {
      found = await clientRecordsInFolder(dataDir, scheme, clientId, { asOf, workers, tempDir, onProgress: progress?.update });
    } finally {
      progress?.clear();
    }
    for (const n of found.notes) io.stderr(`recovery-pbr explain: note: ${n}\n`);
    if (!found.records && found.rejections.length === 0) {
      throw new RecoveryPbrError('options', `no record of client '${clientId}' in the data (no row names that client_id)`);
    }
    // A client whose every row was rejected is explained too: by its rejected rows.
    const records = found.records ?? { client_id: clientId, episodes: [], reviews: [], drug_tests: [], offences: [], employment: [], client: undefined };
    const outcomeId = values['outcome'] as string | undefined;
    if (outcomeId !== undefined && !scheme.outcomes.some((o) => o.id === outcomeId)) {
      throw new RecoveryPbrError('options', `scheme ${scheme.id} has no outcome '${outcomeId}' (it has ${scheme.outcomes.map((o) => o.id).join(', ')})`);
    }
    const result = evaluateClient(records, scheme, { asOf, present: found.present });
    const journeyId = values['journey'] as string | undefined;
    if (journeyId !== undefined && !result.journeys.some((j) => j.journey_id === journeyId)) {
      throw new RecoveryPbrError('options', `client ${clientId} has no journey '${journeyId}' as of ${asOf} (journeys: ${result.journeys.map((j) => j.journey_id).join(', ') || 'none'})`);
    }
    let runLines: PaymentLine[] | undefined;
    if (dependsOnCaps(result, scheme, asOf)) {
      // A cap depends on every client's payments (R-PAY-4): run the whole data, keep this client's cut lines.
      io.stderr(`note: client ${clientId}'s payments fall under a provider cap (R-PAY-4); running the whole data to find the cut\n`);
      const p = runProgressReporter(io, quiet);
      const run = await runFolder(dataDir, scheme, { asOf, workers, tempDir, onProgress: p?.update, keepCappedLinesOf: clientId });
      try {
        runLines = run.cappedLines;
      } finally {
        p?.clear();
        await run.dispose();
      }
    }
    const x = explainClient(result, scheme, asOf, { records, rejections: found.rejections, runLines, journeyId, outcomeId });
    io.stdout(values['json'] === true ? JSON.stringify(x, null, 2) + '\n' : formatExplanation(x));
    return 0;
  },
};
