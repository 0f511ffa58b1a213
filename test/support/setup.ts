/**
 * Run before every test file (vitest.config.ts, setupFiles): `toThrow('text')` and `toThrow(/re/)`
 * fail when what was thrown (or the promise rejected with) is undefined or null. Chai, under
 * vitest, passes them: it matches the message only "if something was caught", so a bug that
 * throws nothing in particular ("internal error: undefined", seen once in this project) would pass
 * every such test.
 */
import { afterAll, chai } from 'vitest';
import { removeTempDirs } from './temp-dirs.js';

// The temporary folders of tempDir (test/support/temp-dirs.ts), removed after each test file.
afterAll(removeTempDirs);

const KEY = Symbol.for('recovery-pbr.toThrow-guard');
const g = globalThis as unknown as Record<symbol, boolean>;
if (!g[KEY]) {
  g[KEY] = true;
  chai.use((c, utils) => {
    for (const name of ['toThrow', 'toThrowError']) {
      utils.overwriteMethod(c.Assertion.prototype, name, (original: (...a: unknown[]) => unknown) =>
        function (this: Chai.AssertionStatic & { _obj: unknown }, ...args: unknown[]) {
          const expected = args[0];
          const matchesMessage = typeof expected === 'string' || expected instanceof RegExp;
          if (!matchesMessage || utils.flag(this, 'negate')) return original.apply(this, args);
          const nothing = (v: unknown) => v === undefined || v === null;
          const promise = utils.flag(this, 'promise') as string | undefined;
          if (promise === 'rejects') {
            if (nothing(this._obj)) throw new c.AssertionError(`expected a rejection whose message matches ${String(expected)}, but the promise rejected with ${String(this._obj)}`);
            return original.apply(this, args);
          }
          const f = this._obj;
          if (typeof f !== 'function' || promise !== undefined) return original.apply(this, args);
          // Called once here; the original then sees the same outcome.
          let thrown: { value: unknown } | undefined;
          let result: unknown;
          try {
            result = (f as () => unknown)();
          } catch (e) {
            thrown = { value: e };
          }
          if (thrown && nothing(thrown.value)) throw new c.AssertionError(`expected a thrown error whose message matches ${String(expected)}, but ${String(thrown.value)} was thrown`);
          utils.flag(this, 'object', thrown ? () => { throw thrown.value; } : () => result);
          return original.apply(this, args);
        },
      );
    }
  });
}
