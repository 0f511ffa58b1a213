/**
 * The guard of test/support/setup.ts: a message matcher does not pass a thrown (or rejected)
 * undefined or null, and still passes and fails as before otherwise.
 */
import { describe, expect, it } from 'vitest';

/** Whether the assertion `f` fails. */
async function fails(f: () => unknown): Promise<boolean> {
  try {
    await f();
    return false;
  } catch {
    return true;
  }
}

describe('toThrow with a message matcher', () => {
  it('fails for a promise rejected with undefined or null', async () => {
    expect(await fails(() => expect(Promise.reject(undefined)).rejects.toThrow(/anything/))).toBe(true);
    expect(await fails(() => expect(Promise.reject(null)).rejects.toThrow('anything'))).toBe(true);
  });

  it('fails for a function that throws undefined', async () => {
    expect(
      await fails(() =>
        expect(() => {
          throw undefined;
        }).toThrow(/anything/),
      ),
    ).toBe(true);
  });

  it('passes and fails as before for errors, once per call of the function', async () => {
    let calls = 0;
    const boom = () => {
      calls++;
      throw new Error('boom');
    };
    expect(boom).toThrow(/boom/);
    expect(calls).toBe(1);
    expect(await fails(() => expect(boom).toThrow(/other/))).toBe(true);
    await expect(Promise.reject(new Error('no space'))).rejects.toThrow('no space');
    expect(await fails(() => expect(Promise.reject(new Error('no space'))).rejects.toThrow(/other/))).toBe(true);
    expect(() => 1).not.toThrow(/boom/);
    expect(await fails(() => expect(() => 1).toThrow(/boom/))).toBe(true);
  });
});
