import { describe, expect, it } from 'vitest';
import { evaluate } from '../../examples/evaluator.js';

describe('examples/evaluator.ts', () => {
  it('reruns the national model on the demo data and explains a client', async () => {
    const text = await evaluate();
    expect(text).toMatch(/^Drugs and Alcohol Recovery PbR pilots/);
    expect(text).toMatch(/1,?996 clients|\d+ clients, \d+ journeys/);
    expect(text).toContain('Client C0000001: as known on 2015-03-31');
    expect(text).toContain('R-OUT-1 successful completion');
    expect(text).toMatch(/evidence: episodes row \d+/);
  });
});
