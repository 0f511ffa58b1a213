/**
 * An RFC 4180 CSV tokenizer for text that arrives in pieces (SPEC §2): comma, `"` quoting with `""`
 * for a quote, line breaks inside quotes. It is written for the shapes of the input files (short
 * unquoted cells, a million lines): a line with no quote is cut with `indexOf` and `split`, and only
 * a line that holds a quote goes through the character-by-character path.
 *
 * Lenient where a spreadsheet is: `\r\n`, `\n` and `\r` line ends are all accepted, even mixed in
 * one file (a quoted line break is kept as written); a stray quote inside an unquoted cell is a
 * character (`5'10"`); text after a closing quote is kept (`"a"b` is `ab`). Strict where guessing
 * would be wrong: a quote never closed stops the file, naming the record and the line where it
 * opened, and so does a record longer than `maxRecordChars`.
 * @module
 */

/**
 * Why a CSV text cannot be read. `records` complete records came before the bad one.
 * @example new CsvTokenizer().end() // no error; an unclosed quote at the end throws CsvSyntaxError('unclosed_quote', …)
 */
export class CsvSyntaxError extends Error {
  constructor(
    readonly code: 'unclosed_quote' | 'record_too_long',
    /** Records (header included) read before the one in error. */
    readonly records: number,
    /** Line (1-based, as an editor counts) where the record in error starts. */
    readonly line: number,
    /** Line reached when reading stopped. */
    readonly lineReached: number,
  ) {
    super(code === 'unclosed_quote' ? `quote opened on line ${line} is never closed` : `record starting on line ${line} is too long`);
  }
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * Splits CSV text fed in pieces into records (arrays of cells). Feed pieces with {@link push}; call
 * {@link end} after the last. Each call returns the records completed so far, in order.
 * @example
 * const t = new CsvTokenizer();
 * t.push('a,b\n1,') // [['a', 'b']]
 * t.push('2\n') // [['1', '2']]
 * t.end() // []
 */
export class CsvTokenizer<R extends string[] | string = string[]> {
  private buf = '';
  /** Records completed so far (header included). */
  records = 0;
  /** Line (1-based) where the next record starts. */
  line = 1;
  private readonly maxRecordChars: number;
  private readonly raw: boolean;

  /**
   * With `raw`, a record without any quote is returned as its line of text (not split at commas),
   * for a reader that routes lines before it looks at them; a record with a quote is still cells.
   */
  constructor(options: { maxRecordChars?: number; raw?: boolean } = {}) {
    this.maxRecordChars = options.maxRecordChars ?? Number.MAX_SAFE_INTEGER;
    this.raw = options.raw ?? false;
  }

  /** Adds a piece of text; returns the records it completed. */
  push(text: string): (R extends string ? string | string[] : string[])[] {
    this.buf = this.buf.length > 0 ? this.buf + text : text;
    return this.drain(false) as (R extends string ? string | string[] : string[])[];
  }

  /** Ends the text; returns the last record, if the text did not end with a line break. */
  end(): (R extends string ? string | string[] : string[])[] {
    return this.drain(true) as (R extends string ? string | string[] : string[])[];
  }

  private drain(final: boolean): (string | string[])[] {
    const buf = this.buf;
    const n = buf.length;
    const raw = this.raw;
    const out: (string | string[])[] = [];
    let i = 0;
    // Positions of the next quote and the next CR at or after i (-1: none left); searched lazily.
    let nextQuote = -2;
    let nextCr = -2;
    while (i < n) {
      if (nextCr !== -1 && nextCr < i) nextCr = buf.indexOf('\r', i);
      if (nextQuote !== -1 && nextQuote < i) nextQuote = buf.indexOf('"', i);
      let end = buf.indexOf('\n', i);
      if (nextCr !== -1 && (end === -1 || nextCr < end)) end = nextCr;
      if (nextQuote === -1 || (end !== -1 && nextQuote > end)) {
        // Fast path: no quote in this line.
        if (end === -1) {
          if (!final) {
            if (n - i > this.maxRecordChars) throw new CsvSyntaxError('record_too_long', this.records, this.line, this.line);
            break;
          }
          end = n;
        } else if (end + 1 >= n && !final && buf.charCodeAt(end) === CR) {
          break; // a CR ending the piece may be the first half of a CRLF
        }
        out.push(raw ? buf.slice(i, end) : buf.slice(i, end).split(','));
        this.records++;
        this.line++;
        if (end + 1 < n && buf.charCodeAt(end) === CR && buf.charCodeAt(end + 1) === LF) end++;
        i = end + 1;
        continue;
      }
      // Slow path: a quote in this record.
      const r = this.quoted(buf, i, final);
      if (r === undefined) break;
      out.push(r.cells);
      this.records++;
      this.line += r.lines;
      i = r.next;
    }
    this.buf = i >= n ? '' : buf.slice(i);
    return out;
  }

  /**
   * Reads one record that holds a quote, from `start`. Returns its cells, how many lines it spans
   * and where the next record starts; `undefined` when the piece ends first (wait for more text).
   */
  private quoted(buf: string, start: number, final: boolean): { cells: string[]; lines: number; next: number } | undefined {
    const n = buf.length;
    const cells: string[] = [];
    let lines = 1;
    let i = start;
    for (;;) {
      // One cell from i.
      if (i - start > this.maxRecordChars) throw new CsvSyntaxError('record_too_long', this.records, this.line, this.line + lines - 1);
      if (i < n && buf.charCodeAt(i) === QUOTE) {
        let cell = '';
        let j = i + 1;
        for (;;) {
          const q = buf.indexOf('"', j);
          if (q === -1) {
            if (!final) {
              if (n - start > this.maxRecordChars) throw new CsvSyntaxError('record_too_long', this.records, this.line, this.line + lines - 1 + countLines(buf, j, n));
              return undefined;
            }
            throw new CsvSyntaxError('unclosed_quote', this.records, this.line, this.line + lines - 1 + countLines(buf, j, n));
          }
          if (q - start > this.maxRecordChars) throw new CsvSyntaxError('record_too_long', this.records, this.line, this.line + lines - 1 + countLines(buf, j, q));
          lines += countLines(buf, j, q);
          cell += buf.slice(j, q);
          if (q + 1 >= n && !final) return undefined; // "" or the closing quote: need the next character
          if (q + 1 < n && buf.charCodeAt(q + 1) === QUOTE) {
            cell += '"';
            j = q + 2;
            continue;
          }
          j = q + 1;
          break;
        }
        // After the closing quote: text up to the delimiter or line end is kept as it is.
        let k = j;
        while (k < n) {
          const c = buf.charCodeAt(k);
          if (c === COMMA || c === LF || c === CR) break;
          k++;
        }
        if (k >= n && !final) return undefined;
        cells.push(k > j ? cell + buf.slice(j, k) : cell);
        i = k;
      } else {
        let k = i;
        while (k < n) {
          const c = buf.charCodeAt(k);
          if (c === COMMA || c === LF || c === CR) break;
          k++;
        }
        if (k >= n && !final) return undefined;
        cells.push(buf.slice(i, k));
        i = k;
      }
      if (i >= n) return { cells, lines, next: n };
      const c = buf.charCodeAt(i);
      if (c === COMMA) {
        i++;
        if (i >= n) {
          if (!final) return undefined;
          cells.push('');
          return { cells, lines, next: n };
        }
        continue;
      }
      // Line end.
      if (c === CR) {
        if (i + 1 >= n) {
          if (!final) return undefined;
          return { cells, lines, next: n };
        }
        if (buf.charCodeAt(i + 1) === LF) return { cells, lines, next: i + 2 };
      }
      return { cells, lines, next: i + 1 };
    }
  }
}

/** Line breaks (`\r\n`, `\n`, `\r`) in buf[from, to). */
function countLines(buf: string, from: number, to: number): number {
  let lines = 0;
  for (let k = from; k < to; k++) {
    const c = buf.charCodeAt(k);
    if (c === LF) lines++;
    else if (c === CR) {
      lines++;
      if (k + 1 < to && buf.charCodeAt(k + 1) === LF) k++;
    }
  }
  return lines;
}
