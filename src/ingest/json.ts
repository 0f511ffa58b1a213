/**
 * Where a JSON syntax error is, in words that do not quote the text (V8 on Node 20 quotes a
 * snippet of the input instead of giving a position; a snippet of an input row could carry data
 * from columns that must never reach an output, R-VAL-3).
 * @module
 */

/** True when parsing `prefix` fails somewhere before its end (not merely because it is cut short). */
function failsInside(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (e) {
    const msg = (e as Error).message;
    if (/end of JSON input|Unterminated string/i.test(msg)) return false;
    const pos = /position (\d+)/.exec(msg);
    return !(pos && Number(pos[1]) >= prefix.length);
  }
}

/**
 * Offset of the syntax error in `text` (which must fail to parse): the engine's position when it
 * gives one, else found by bisection (the shortest prefix that fails before its end).
 * @example jsonErrorOffset('{"a": tru,}') // 9
 */
export function jsonErrorOffset(text: string, message?: string): number {
  const pos = message ? /position (\d+)/.exec(message) : null;
  if (pos) return Number(pos[1]);
  if (!failsInside(text)) return text.length;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (failsInside(text.slice(0, mid + 1))) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The engine's description of a JSON syntax error without its position or quoted snippet.
 * @example jsonErrorWhat(`Unexpected token '}', "{ "id": }" is not valid JSON`) // "Unexpected token '}'"
 */
export function jsonErrorWhat(message: string): string {
  return message
    .replace(/^JSON\.parse: /, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/\s*\(line \d+ column \d+\)/, '')
    .replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, '');
}
