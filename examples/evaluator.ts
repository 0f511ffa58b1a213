/**
 * An evaluator reruns a pilot scheme on their own data through the library API and asks why one
 * client was (not) paid. Run it with `npx tsx examples/evaluator.ts` after `npm ci`.
 */
import { explainClient, formatExplanation, groupByClient, outcomesCsv, presetScheme, runScheme } from 'recovery-pbr';
import { readDataset } from 'recovery-pbr/node';

/** Reruns the national model on the demo cohort and returns the report text. */
export async function evaluate(dataDir = new URL('./demo', import.meta.url).pathname, clientId = 'C0000001'): Promise<string> {
  const scheme = presetScheme('national-model-2012');
  const asOf = '2015-03-31';

  // 1. Read and validate the six input files (rows that cannot be used are listed, never dropped).
  const input = await readDataset(dataDir, { exitReasonMap: scheme.exitReasons, reviewToleranceDays: scheme.calendar.reviewToleranceDays });

  // 2. Journeys and every outcome decision, as known on asOf.
  const run = runScheme(input, scheme, { asOf });
  const met = run.decisions.filter((d) => d.status === 'met').length;

  // 3. Why was this client (not) paid?
  const client = run.clients.find((c) => c.client_id === clientId);
  if (!client) throw new Error(`no client ${clientId}`);
  const records = groupByClient(input.data).find((c) => c.client_id === clientId);
  const explanation = formatExplanation(explainClient(client, scheme, asOf, { records }));

  return [
    `${scheme.title} (${scheme.id} ${scheme.version}), as of ${asOf}`,
    `${run.outcomes.clients} clients, ${run.outcomes.journeys} journeys, ${run.decisions.length} outcome decisions, ${met} met; ${input.rejections.length} input rows rejected.`,
    `outcomes.csv would have ${outcomesCsv(run.decisions).split('\n').length - 2} rows.`,
    '',
    explanation,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  evaluate().then((text) => process.stdout.write(text));
}
