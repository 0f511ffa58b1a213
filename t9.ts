import { readDataset } from './src/io/dataset.ts';
import { presetScheme } from './src/presets/index.ts';
import { evaluateDataset } from './src/engine/index.ts';
import { paymentTally } from './src/payments/stream.ts';
import { calculatePayments } from './src/payments/index.ts';
const scheme = presetScheme('national-model-2012');
const read = await readDataset('/tmp/scale/m10000', { exitReasonMap: scheme.exitReasons });
const { clients } = evaluateDataset(read.data, scheme, { asOf: '2015-03-31' });
for (let rep = 0; rep < 5; rep++) {
  let t = performance.now();
  const tally = paymentTally(scheme, '2015-03-31');
  for (const c of clients) tally.addClients ? tally.addClients([c]) : (tally as any).addClient(c);
  const r = tally.result();
  const a = performance.now() - t;
  t = performance.now();
  const p = { rows: r.rows } // calculatePayments({ clients }, scheme, { asOf: '2015-03-31' });
  console.log(`tally ${(a / clients.length * 1000).toFixed(1)} µs/client; calculatePayments ${((performance.now() - t) / clients.length * 1000).toFixed(1)} µs/client`, r.rows.length === p.rows.length);
}
