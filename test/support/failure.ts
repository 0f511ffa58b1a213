/**
 * A promise's failure, checked as an Error. Vitest's `rejects.toThrow(re)` passes for a promise
 * that rejects with undefined (a bug this project once had: "Unknown Error: undefined"), so tests
 * of failures that must carry a message use these.
 */
import { expect } from 'vitest';

/**
 * What `p` rejects with (an Error saying so if it resolves).
 * @example expectFailure(await failureOf(run), /ENOSPC/)
 */
export async function failureOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  return new Error('resolved, not rejected');
}

/** `e` is an Error whose message matches `re`. */
export function expectFailure(e: unknown, re: RegExp): void {
  expect(e).toBeInstanceOf(Error);
  expect((e as Error).message).toMatch(re);
}
