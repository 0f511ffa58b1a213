/**
 * The commissioner's workbench (issue #14): load data, choose and edit a scheme, see what it pays,
 * compare the edited tariff with the original, calibrate to a budget, forecast a provider, explain
 * a client, and export what the CLI would write. All the work happens in a Web Worker on this
 * machine; no request ever leaves the page.
 * @module
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Component, type ComponentChildren, type FunctionComponent } from 'preact';
import { WorkerClient, WorkError } from './client.js';
import { SchemeEditor, type Problem } from './editor.js';
import { count, pounds, signedPounds, size } from './format.js';
import type { CalibrationView, ExplainView, ExportFile, ForecastView, LoadedView, ResultsView, WhatIfView } from './protocol.js';
import { editedDocument, setAt, valueAt } from './scheme-edit.js';
import { PRESET_IDS, presetDocument, resolveExtends } from '../../src/presets/index.js';
import { parseScheme } from '../../src/schema/scheme/index.js';
import { isIsoDate } from '../../src/calendar/index.js';

/** The demo cohort shipped with the page (examples/demo, 2,000 synthetic clients). */
const DEMO_FILES = ['episodes.csv', 'reviews.csv', 'drug_tests.csv', 'offences.csv', 'employment.csv', 'clients.csv'];
const DEMO_AS_OF = '2015-03-31';
const DEFAULT_PRESET = 'national-model-2012';

type Status = 'no data' | 'working' | 'ready' | 'error' | 'scheme has problems';

const TYPE_NAMES: Record<string, string> = { fixed: 'Fixed instalments', attachment: 'Attachment', outcome: 'Outcome', cohort: 'Cohort', sustainment: 'Sustainment' };

function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A component that renders again only when one of its props changes (by identity): the large
 * result tables are not diffed again on every keystroke in the editor.
 */
function pure<P extends object>(render: FunctionComponent<P>) {
  return class Pure extends Component<P> {
    override shouldComponentUpdate(next: P): boolean {
      const a = this.props as Record<string, unknown>;
      const b = next as Record<string, unknown>;
      const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
      for (const k of keys) if (k !== 'children' && a[k] !== b[k]) return true;
      return false;
    }
    override render(props: P) {
      return render(props);
    }
  };
}

function Svg(props: { svg: string | undefined }) {
  return props.svg ? <div class="chart-box" dangerouslySetInnerHTML={{ __html: props.svg }} /> : null;
}

function Section(props: { id: string; title: string; children: ComponentChildren; intro?: ComponentChildren }) {
  return (
    <section id={props.id} aria-labelledby={`${props.id}-h`}>
      <h2 id={`${props.id}-h`}>{props.title}</h2>
      {props.intro ? <p class="intro">{props.intro}</p> : null}
      {props.children}
    </section>
  );
}

function Amount(props: { value: string; testid?: string }) {
  return (
    <td class="num" data-testid={props.testid}>
      {pounds(props.value)}
    </td>
  );
}

/** Files in a dropped folder (Chromium, Firefox and Safari expose dropped folders as entries). */
async function droppedFiles(items: DataTransferItemList): Promise<{ files: File[]; paths: string[] }> {
  const files: File[] = [];
  const paths: string[] = [];
  const walk = async (entry: FileSystemEntry, path: string): Promise<void> => {
    if (entry.isFile) {
      const f = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
      files.push(f);
      paths.push(path ? `${path}/${f.name}` : '');
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      const all: FileSystemEntry[] = [];
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
        if (batch.length === 0) break;
        all.push(...batch);
      }
      for (const e of all) await walk(e, path ? `${path}/${entry.name}` : entry.name);
    }
  };
  const entries = [...items].map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  for (const e of entries) await walk(e, '');
  return { files, paths };
}

/** The page. */
export function App() {
  const worker = useMemo(() => new WorkerClient(new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })), []);
  // The status is worked out from what is on screen, in the same render as the change, so a
  // reader of `data-testid="status"` never sees "ready" for results older than the inputs.
  const [loading, setLoading] = useState(false);
  const [loadFailed, setLoadFailed] = useState(false);
  const [settled, setSettled] = useState<{ token: object; status: 'ready' | 'error' } | undefined>();
  const [progress, setProgress] = useState<{ share: number; text: string } | undefined>();
  const [message, setMessage] = useState<string | undefined>();
  const [loaded, setLoaded] = useState<LoadedView | undefined>();
  const [source, setSource] = useState<string>(DEFAULT_PRESET);
  const [schemeFiles, setSchemeFiles] = useState<Record<string, unknown>>({});
  const [original, setOriginal] = useState<unknown>(() => resolveExtends(presetDocument(DEFAULT_PRESET)));
  const [working, setWorking] = useState<unknown>(original);
  const [identity, setIdentity] = useState({ id: `${DEFAULT_PRESET}-edited`, version: '1' });
  const [asOf, setAsOf] = useState(DEMO_AS_OF);
  const asOfTouched = useRef(false);
  const [results, setResults] = useState<ResultsView | undefined>();
  const [whatIf, setWhatIf] = useState<WhatIfView | undefined>();
  const [dragging, setDragging] = useState(false);
  const seq = useRef(0);
  const rejectionsKept = useRef<ResultsView['rejections']>([]);

  const effective = useMemo(() => editedDocument(original, working, identity), [original, working, identity]);
  const parsed = useMemo(() => {
    try {
      return parseScheme(resolveExtends(effective));
    } catch (e) {
      return { ok: false as const, problems: [{ path: 'extends', message: (e as Error).message }] };
    }
  }, [effective]);
  const problems: Problem[] = parsed.ok ? [] : parsed.problems;
  const edited = effective !== original;
  const validDoc = parsed.ok ? effective : undefined;
  const asOfOk = isIsoDate(asOf);

  const onProgress = (p: { share: number; text: string }) => setProgress({ share: p.share, text: p.text });

  async function load(files: File[], paths: string[], demo = false) {
    if (files.length === 0) return;
    setLoading(true);
    setMessage(undefined);
    setProgress({ share: 0, text: `Reading ${files.length} ${files.length === 1 ? 'file' : 'files'} in this browser tab` });
    try {
      const data = await worker.ask({ type: 'load', files, paths }, onProgress);
      setLoaded(data);
      setResults(undefined);
      setWhatIf(undefined);
      setLoadFailed(false);
      if (demo) setAsOf(DEMO_AS_OF);
      else if (!asOfTouched.current && data.latestDate) setAsOf(data.latestDate);
    } catch (e) {
      setLoaded(undefined);
      setResults(undefined);
      setLoadFailed(true);
      setMessage((e as Error).message);
      setProgress(undefined);
    } finally {
      setLoading(false);
    }
  }

  async function loadDemo() {
    setLoading(true);
    setProgress({ share: 0, text: 'Fetching the demo cohort from this page' });
    try {
      const files = await Promise.all(
        DEMO_FILES.map(async (name) => {
          const r = await fetch(`./demo/${name}`);
          if (!r.ok) throw new Error(`the demo file ${name} is missing from this copy of the workbench (${r.status})`);
          return new File([await r.blob()], name, { type: 'text/csv' });
        }),
      );
      await load(files, files.map(() => ''), true);
    } catch (e) {
      setLoading(false);
      setLoadFailed(true);
      setProgress(undefined);
      setMessage((e as Error).message);
    }
  }

  // Results and the what-if, each time the data, the scheme or asOf change (the worker decides
  // outcomes once per outcome rules and asOf, and re-prices on a price edit).
  const token = useMemo(() => ({ loaded, validDoc, asOf, original }), [loaded, validDoc, asOf, original]);
  useEffect(() => {
    if (!loaded || !validDoc || !asOfOk) return;
    const mine = ++seq.current;
    setMessage(undefined);
    worker.ask({ type: 'update', original, edited: validDoc, asOf }, onProgress).then(
      ({ results: r, whatIf: w }) => {
        if (mine !== seq.current) return;
        if (r.rejections === undefined) r.rejections = rejectionsKept.current;
        rejectionsKept.current = r.rejections;
        setResults(r);
        setWhatIf(w);
        setProgress(undefined);
        setSettled({ token, status: 'ready' });
      },
      (e: WorkError) => {
        if (mine !== seq.current) return;
        setProgress(undefined);
        setSettled({ token, status: 'error' });
        setMessage(e.message);
      },
    );
  }, [token]);
  let status: Status;
  if (loading) status = 'working';
  else if (!loaded) status = loadFailed ? 'error' : 'no data';
  else if (!validDoc) status = 'scheme has problems';
  else if (!asOfOk) status = 'error';
  else if (settled?.token !== token) status = 'working';
  else status = settled.status;

  function choose(id: string) {
    setSource(id);
    const doc = id.startsWith('file:') ? schemeFiles[id] : resolveExtends(presetDocument(id));
    setOriginal(doc);
    setWorking(doc);
    setIdentity({ id: `${String(valueAt(doc, ['id']) ?? 'scheme')}-edited`, version: '1' });
  }

  async function loadSchemeFile(file: File) {
    try {
      const doc = resolveExtends(JSON.parse(await file.text()) as unknown);
      const key = `file:${file.name}`;
      setSchemeFiles((s) => ({ ...s, [key]: doc }));
      setSource(key);
      setOriginal(doc);
      setWorking(doc);
      setIdentity({ id: `${String(valueAt(doc, ['id']) ?? 'scheme')}-edited`, version: '1' });
    } catch (e) {
      setMessage(`${file.name} cannot be read as a scheme: ${(e as Error).message}`);
    }
  }

  async function exportFile(file: ExportFile) {
    if (!validDoc) return;
    try {
      const r = await worker.ask({ type: 'export', scheme: validDoc, asOf, file });
      download(r.file, r.text, r.type);
    } catch (e) {
      setMessage((e as Error).message);
    }
  }

  const exportRef = useRef(exportFile);
  exportRef.current = exportFile;
  const onRejections = useCallback(() => void exportRef.current('rejections.csv'), []);
  const providers = loaded?.providers ?? [];
  return (
    <>
      <header class="top">
        <div>
          <h1>recovery-pbr workbench</h1>
          <p class="lead">Model payment-by-results tariffs for drug and alcohol recovery services. Your files are read in this browser tab and never sent anywhere, not even to the computer serving this page.</p>
        </div>
        <div class="state" aria-live="polite">
          <span class={`status status-${status.replace(/ /g, '-')}`}>
            Status: <strong data-testid="status">{status}</strong>
          </span>
          {progress ? (
            <span class="progress">
              <progress max={1} value={progress.share} aria-label="Progress of the work" />
              <span>{progress.text}</span>
            </span>
          ) : null}
        </div>
      </header>
      <nav class="toc" aria-label="Sections">
        <a href="#data">Data</a>
        <a href="#scheme">Scheme</a>
        <a href="#results">Results</a>
        <a href="#what-if">What-if</a>
        <a href="#calibrate">Calibrate</a>
        <a href="#forecast">Forecast</a>
        <a href="#explain">Explain</a>
        <a href="#export">Export</a>
      </nav>
      {loaded && !asOfOk ? (
        <div class="message" role="alert">
          The as-of date must be a real date.
        </div>
      ) : null}
      {message ? (
        <div class="message" role="alert" data-testid="message">
          {message.split('\n').map((l) => (
            <div>{l}</div>
          ))}
        </div>
      ) : null}
      <main>
        <Section id="data" title="1. Data" intro="The anonymised input files (episodes, and optionally reviews, drug_tests, offences, employment and clients), as CSV or NDJSON. Pick several at once, a whole folder, or drop them here.">
          <div
            class={`drop${dragging ? ' dragging' : ''}`}
            onDragOver={(e) => {
              e.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={async (e) => {
              e.preventDefault();
              setDragging(false);
              const dt = e.dataTransfer;
              if (!dt) return;
              const { files, paths } = dt.items && dt.items.length ? await droppedFiles(dt.items) : { files: [...dt.files], paths: [...dt.files].map(() => '') };
              await load(files, paths);
            }}
          >
            <div class="row">
              <span class="field">
                <label for="data-files">Input files</label>
                <input id="data-files" type="file" multiple accept=".csv,.ndjson,text/csv" data-testid="data-files" onChange={(e) => {
                  const files = [...((e.currentTarget as HTMLInputElement).files ?? [])];
                  void load(files, files.map(() => ''));
                }} />
              </span>
              <span class="field">
                <label for="data-folder">Or a data folder</label>
                <input id="data-folder" type="file" {...{ webkitdirectory: '' }} data-testid="data-folder" onChange={(e) => {
                  const files = [...((e.currentTarget as HTMLInputElement).files ?? [])];
                  void load(files, files.map((f) => f.webkitRelativePath));
                }} />
              </span>
              <span class="field">
                <span class="label">Or try it out</span>
                <button type="button" data-testid="load-demo" onClick={() => void loadDemo()}>
                  Load the demo cohort
                </button>
              </span>
            </div>
            <p class="hint">You can also drop files or a folder anywhere in this box.</p>
          </div>
          {loaded ? <PureDataSummary loaded={loaded} results={results} onRejections={onRejections} /> : <p class="empty">No data loaded yet.</p>}
        </Section>

        <Section id="scheme" title="2. Scheme" intro="Choose a preset scheme or load your own scheme file (JSON), then change what you want to try. Problems are shown beside the field they are about, as the command line reports them.">
          <div class="row">
            <span class="field">
              <label for="scheme-select">Scheme</label>
              <select id="scheme-select" data-testid="scheme-select" value={source} onChange={(e) => choose((e.currentTarget as HTMLSelectElement).value)}>
                {PRESET_IDS.map((id) => (
                  <option value={id}>{id}</option>
                ))}
                {Object.keys(schemeFiles).map((k) => (
                  <option value={k}>{k.slice(5)} (your file)</option>
                ))}
              </select>
            </span>
            <span class="field">
              <label for="scheme-file">Or load a scheme file</label>
              <input id="scheme-file" type="file" accept=".json,application/json" data-testid="scheme-file" onChange={(e) => {
                const f = (e.currentTarget as HTMLInputElement).files?.[0];
                if (f) void loadSchemeFile(f);
              }} />
            </span>
            <span class="field">
              <label for="as-of">As of</label>
              <input id="as-of" type="date" data-testid="as-of" value={asOf} onInput={(e) => {
                asOfTouched.current = true;
                setAsOf((e.currentTarget as HTMLInputElement).value);
              }} />
            </span>
            <span class="field">
              <span class="label">Edits</span>
              <button type="button" data-testid="reset-edits" disabled={!edited && working === original} onClick={() => setWorking(original)}>
                Undo all edits
              </button>
            </span>
          </div>
          <p class="hint">
            {String(valueAt(original, ['title']) ?? '')} — as of {asOf}: records dated later are not yet known (R-CAL-2).{edited ? ' Edited: results below use your edited scheme.' : ''}
          </p>
          <SchemeEditor doc={working} original={original} problems={problems} providers={providers} onChange={setWorking} identity={identity} onIdentity={setIdentity} />
        </Section>

        <Section id="results" title="3. Results" intro="What the scheme (as edited) pays on these data as known on the as-of date, and the outcome rates behind it.">
          {results ? <PureResults r={results} /> : <p class="empty">Load data to see results.</p>}
        </Section>

        <Section id="what-if" title="4. What-if" intro="Your edited scheme beside the original, on the same data and the same outcome decisions (a decision never depends on a price, so editing a price only re-prices).">
          {whatIf ? <PureWhatIf w={whatIf} edited={edited} /> : <p class="empty">{results && !results.pays ? 'This scheme pays nothing, so there is nothing to compare.' : 'Load data to compare.'}</p>}
        </Section>

        <Section id="calibrate" title="5. Calibrate to a budget" intro="Find outcome prices that make the payments meet a budget, keeping their relativities, to the penny (calibrate).">
          {loaded && validDoc ? <Calibrate worker={worker} scheme={validDoc} asOf={asOf} providers={providers} onApply={(prices) => {
            let doc = working;
            for (const [o, bands] of Object.entries(prices)) for (const [b, p] of Object.entries(bands)) doc = setAt(doc, ['tariff', 'outcomes', o, b], p);
            setWorking(doc);
          }} /> : <p class="empty">Load data and choose a valid scheme first.</p>}
        </Section>

        <Section id="forecast" title="6. Forecast a provider's income" intro="Expected income per quarter from the new journeys you expect, using the outcome rates and delays observed in these data (forecast).">
          {loaded && validDoc ? <Forecast worker={worker} scheme={validDoc} asOf={asOf} providers={providers} bands={((valueAt(working, ['tariff', 'bands']) as string[] | undefined) ?? ['1'])} /> : <p class="empty">Load data and choose a valid scheme first.</p>}
        </Section>

        <Section id="explain" title="7. Explain a client" intro="Why was this client (not) paid, and how much? Their journeys, each outcome with its rule, dates and evidence, and every payment.">
          {loaded && validDoc ? <Explain worker={worker} scheme={validDoc} asOf={asOf} /> : <p class="empty">Load data and choose a valid scheme first.</p>}
        </Section>

        <Section id="export" title="8. Export" intro="The same files the command line writes for the same data, scheme and as-of date (byte for byte), and your edited scheme as a scheme file of its own.">
          <div class="row buttons">
            <button type="button" data-testid="export-scheme" disabled={!validDoc} onClick={() => download(`${edited ? identity.id : String(valueAt(original, ['id']))}.json`, `${JSON.stringify(effective, null, 2)}\n`, 'application/json')}>
              Scheme (JSON){edited ? ', edited' : ''}
            </button>
            <button type="button" data-testid="export-outcomes" disabled={!results} onClick={() => void exportFile('outcomes.csv')}>outcomes.csv</button>
            <button type="button" data-testid="export-payments" disabled={!results?.pays} onClick={() => void exportFile('payments.csv')}>payments.csv</button>
            <button type="button" data-testid="export-rejections" disabled={!results} onClick={() => void exportFile('rejections.csv')}>rejections.csv</button>
            <button type="button" data-testid="export-summary" disabled={!results} onClick={() => void exportFile('summary.json')}>summary.json</button>
            <button type="button" data-testid="export-report" disabled={!results} onClick={() => void exportFile('report.html')}>HTML report</button>
          </div>
          {edited ? <p class="hint">To get the same files from the command line: <code>recovery-pbr run --scheme {identity.id}.json --data &lt;folder&gt; --as-of {asOf} --out &lt;folder&gt; --report report.html</code></p> : null}
        </Section>
      </main>
      <footer>
        <p>recovery-pbr workbench. Everything runs in this browser tab; close it and nothing is kept.</p>
      </footer>
    </>
  );
}

function DataSummary(props: { loaded: LoadedView; results: ResultsView | undefined; onRejections(): void }) {
  const { loaded, results } = props;
  const counts = new Map(results?.counts.map((c) => [c.kind, c]) ?? []);
  return (
    <div class="data-summary">
      <table>
        <caption>Files read (R-VAL-1: every row is used or rejected)</caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col" class="num">Size</th>
            <th scope="col" class="num">Rows read</th>
            <th scope="col" class="num">Used</th>
            <th scope="col" class="num">Rejected</th>
          </tr>
        </thead>
        <tbody>
          {loaded.files.map((f) => {
            const c = counts.get(f.kind);
            return (
              <tr>
                <th scope="row">
                  {f.name}
                  <span class="sub hash" title={f.hash}>
                    {f.hash.slice(0, 19)}…
                  </span>
                </th>
                <td class="num">{size(f.bytes)}</td>
                <td class="num">{count(c?.read ?? f.read)}</td>
                <td class="num">{c ? count(c.used) : '…'}</td>
                <td class={`num${c?.rejected ? ' warn' : ''}`}>{c ? count(c.rejected) : '…'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p>
        Read in {(loaded.ms / 1000).toFixed(1)} s. Rows rejected: <strong data-testid="rejections-count">{results ? String(results.rejectionsTotal) : '…'}</strong>
        {results && results.rejectionsTotal > 0 ? (
          <>
            {' '}
            <button type="button" class="link" data-testid="download-rejections" onClick={props.onRejections}>
              download rejections.csv
            </button>
          </>
        ) : null}
      </p>
      {loaded.notes.length > 0 || loaded.ignored.length > 0 ? (
        <ul class="notes">
          {loaded.notes.map((n) => (
            <li>{n}</li>
          ))}
          {loaded.ignored.length > 0 ? <li>Not input files, so not read: {loaded.ignored.join(', ')}.</li> : null}
        </ul>
      ) : null}
      {results?.rejections && results.rejections.length > 0 ? (
        <details class="rejections">
          <summary>
            Rejected rows{results.rejectionsTotal > results.rejections.length ? ` (the first ${count(results.rejections.length)} of ${count(results.rejectionsTotal)}; all are in rejections.csv)` : ''}
          </summary>
          <div class="scroll">
            <table data-testid="rejections-table">
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col" class="num">Row</th>
                  <th scope="col">Field</th>
                  <th scope="col">Value</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Code</th>
                </tr>
              </thead>
              <tbody>
                {results.rejections.map((r) => (
                  <tr>
                    <td>{r.file}</td>
                    <td class="num">{r.row}</td>
                    <td>{r.field}</td>
                    <td class="value">{r.value}</td>
                    <td>{r.reason}</td>
                    <td>
                      <code>{r.code}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ) : null}
    </div>
  );
}

function Results(props: { r: ResultsView }) {
  const { r } = props;
  const types = r.types;
  const amountsRow = (a: ResultsView['all']) => (
    <>
      {types.map((t) => (
        <Amount value={a.byType[t] ?? '0.00'} />
      ))}
      <Amount value={a.total} />
      <Amount value={a.capped} />
    </>
  );
  return (
    <div class="results">
      <div class="figures">
        <div class="figure">
          <span class="label">Total paid</span>
          <span class="big" data-testid="total-paid">
            {pounds(r.paid)}
          </span>
          <span class="sub">
            {r.scheme.id} {r.scheme.version}, as of {r.asOf}
          </span>
        </div>
        <div class="figure">
          <span class="label">Clients / journeys</span>
          <span class="big">
            {count(r.clients)} / {count(r.journeys)}
          </span>
        </div>
        {r.pays ? (
          <>
            <div class="figure">
              <span class="label">Cut by caps</span>
              <span class="big" data-testid="capped-amount">{pounds(r.notPaid.capped.amount)}</span>
              <span class="sub">{count(r.notPaid.capped.items)} items (R-PAY-4)</span>
            </div>
            <div class="figure">
              <span class="label">Not paid: outside the contract</span>
              <span class="big" data-testid="outside-contract">{pounds(r.notPaid.outsideContract.amount)}</span>
              <span class="sub">{count(r.notPaid.outsideContract.items)} items (R-PAY-8)</span>
            </div>
            <div class="figure">
              <span class="label">Not paid: no band</span>
              <span class="big" data-testid="unbanded">{count(r.notPaid.unbanded.items)} items</span>
              <span class="sub">{count(r.notPaid.unbanded.journeys)} journeys without a band (R-PAY-2)</span>
            </div>
            {r.notPaid.overClientLimit.items > 0 ? (
              <div class="figure">
                <span class="label">Not paid: over a client limit</span>
                <span class="big">{pounds(r.notPaid.overClientLimit.amount)}</span>
                <span class="sub">{count(r.notPaid.overClientLimit.items)} items (R-OUT-10)</span>
              </div>
            ) : null}
          </>
        ) : null}
      </div>
      {r.notPaid.unknownBand.items > 0 ? <p class="warn">{count(r.notPaid.unknownBand.items)} items have a band the tariff does not price ({r.notPaid.unknownBand.bands.join(', ')}) and are not paid.</p> : null}
      {!r.pays ? <p class="hint">This scheme has no tariff, contract or cohort tariff: it decides outcomes but pays nothing.</p> : null}
      {r.pays ? (
        <>
          <h3>By provider</h3>
          <div class="scroll">
            <table data-testid="by-provider">
              <thead>
                <tr>
                  <th scope="col">Provider</th>
                  {types.map((t) => (
                    <th scope="col" class="num">{TYPE_NAMES[t] ?? t}</th>
                  ))}
                  <th scope="col" class="num">Total paid</th>
                  <th scope="col" class="num">Cut by cap</th>
                </tr>
              </thead>
              <tbody>
                {r.providers.map((p) => (
                  <tr data-provider={p.id}>
                    <th scope="row">{p.id}</th>
                    {amountsRow(p)}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">All providers</th>
                  {amountsRow(r.all)}
                </tr>
              </tfoot>
            </table>
          </div>
          <h3>By {r.periods.length && /^Q/.test(r.periods[0]!.label) ? 'quarter' : 'period'}</h3>
          <Svg svg={r.charts.periods} />
          <details>
            <summary>The figures behind the chart</summary>
            <div class="scroll">
              <table data-testid="by-period">
                <thead>
                  <tr>
                    <th scope="col">Period</th>
                    {types.map((t) => (
                      <th scope="col" class="num">{TYPE_NAMES[t] ?? t}</th>
                    ))}
                    <th scope="col" class="num">Total paid</th>
                    <th scope="col" class="num">Cut by cap</th>
                  </tr>
                </thead>
                <tbody>
                  {r.periods.map((p) => (
                    <tr>
                      <th scope="row">
                        {p.label}
                        <span class="sub">{p.start}</span>
                      </th>
                      {amountsRow(p)}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
          {r.outcomeBands.length > 0 ? <OutcomeBands rows={r.outcomeBands} /> : null}
        </>
      ) : null}
      <h3>Outcome rates</h3>
      <Svg svg={r.charts.rates} />
      {r.rates.map((o) => (
        <details>
          <summary>
            {o.title} <span class="sub">{o.outcome}</span>: {o.lines[0]?.rate} met of those decided
          </summary>
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Journeys</th>
                  <th scope="col" class="num">Met</th>
                  <th scope="col" class="num">Not met</th>
                  <th scope="col" class="num">Rate</th>
                  <th scope="col" class="num">95% interval</th>
                  <th scope="col" class="num">Not eligible</th>
                  <th scope="col" class="num">Pending</th>
                </tr>
              </thead>
              <tbody>
                {o.lines.map((l) => (
                  <tr>
                    <th scope="row">{l.label}</th>
                    <td class="num">{count(l.met)}</td>
                    <td class="num">{count(l.notMet)}</td>
                    <td class="num">{l.rate}</td>
                    <td class="num">{l.interval}</td>
                    <td class="num">{count(l.notEligible)}</td>
                    <td class="num">{count(l.pending)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ))}
      <p class="hint">Worked out in {(r.ms / 1000).toFixed(2)} s in this tab.</p>
    </div>
  );
}

/** Paid outcome (and sustainment) items as a grid: one row per outcome, one column per band. */
function OutcomeBands(props: { rows: ResultsView['outcomeBands'] }) {
  const bands: string[] = [];
  for (const r of props.rows) if (!bands.includes(r.band)) bands.push(r.band);
  const keys: string[] = [];
  const byKey = new Map<string, ResultsView['outcomeBands']>();
  for (const r of props.rows) {
    const k = `${r.type}:${r.outcome}`;
    if (!byKey.has(k)) {
      keys.push(k);
      byKey.set(k, []);
    }
    byKey.get(k)!.push(r);
  }
  return (
    <>
      <h3>By outcome and band</h3>
      <div class="scroll">
        <table class="matrix" data-testid="by-outcome-band">
          <caption class="visually-hidden">Paid per outcome and tariff band (items paid in brackets)</caption>
          <thead>
            <tr>
              <th scope="col">Outcome</th>
              {bands.map((b) => (
                <th scope="col" class="num">
                  Band {b}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => {
              const cells = byKey.get(k)!;
              const first = cells[0]!;
              return (
                <tr>
                  <th scope="row">
                    {first.title}
                    {first.type === 'sustainment' ? ' (sustainment payments)' : ''}
                    <span class="sub">{first.outcome}</span>
                  </th>
                  {bands.map((b) => {
                    const c = cells.find((x) => x.band === b);
                    return (
                      <td class="num">
                        {c ? pounds(c.amount) : '–'}
                        {c ? <span class="sub">{count(c.count)} paid</span> : null}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

function WhatIf(props: { w: WhatIfView; edited: boolean }) {
  const { w } = props;
  const cls = (d: string) => (d.startsWith('+') ? 'up' : d.startsWith('-') ? 'down' : '');
  return (
    <div class="whatif">
      <div class="figures">
        <div class="figure">
          <span class="label">Original</span>
          <span class="big" data-testid="total-original">{pounds(w.a.total)}</span>
          <span class="sub">{w.a.label}</span>
        </div>
        <div class="figure">
          <span class="label">Edited</span>
          <span class="big" data-testid="total-edited">{pounds(w.b.total)}</span>
          <span class="sub">{props.edited ? w.b.label : 'no edits yet'}</span>
        </div>
        <div class="figure">
          <span class="label">Difference (edited − original)</span>
          <span class={`big ${cls(w.difference)}`} data-testid="delta-total">
            {signedPounds(w.difference)}
          </span>
          <span class="sub">re-priced in {w.ms} ms</span>
        </div>
      </div>
      <div class="pair">
        <div class="scroll">
          <table data-testid="delta-providers">
            <caption>By provider</caption>
            <thead>
              <tr>
                <th scope="col">Provider</th>
                <th scope="col" class="num">Original</th>
                <th scope="col" class="num">Edited</th>
                <th scope="col" class="num">Difference</th>
              </tr>
            </thead>
            <tbody>
              {w.providers.map((p) => (
                <tr>
                  <th scope="row">{p.id}</th>
                  <Amount value={p.a} />
                  <Amount value={p.b} />
                  <td class={`num ${cls(p.difference)}`}>{signedPounds(p.difference)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div class="scroll">
          <table data-testid="delta-outcomes">
            <caption>By payment type and outcome</caption>
            <thead>
              <tr>
                <th scope="col">Payment</th>
                <th scope="col" class="num">Original</th>
                <th scope="col" class="num">Edited</th>
                <th scope="col" class="num">Difference</th>
              </tr>
            </thead>
            <tbody>
              {w.outcomes.map((o) => (
                <tr>
                  <th scope="row">
                    {TYPE_NAMES[o.type] ?? o.type}
                    {o.outcome ? <span class="sub">{o.outcome}</span> : null}
                  </th>
                  <Amount value={o.a} />
                  <Amount value={o.b} />
                  <td class={`num ${cls(o.difference)}`}>{signedPounds(o.difference)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </div>
  );
}

const PureDataSummary = pure(DataSummary);
const PureResults = pure(Results);
const PureWhatIf = pure(WhatIf);

function Calibrate(props: { worker: WorkerClient; scheme: unknown; asOf: string; providers: string[]; onApply(prices: Record<string, Record<string, string>>): void }) {
  const [target, setTarget] = useState('250000.00');
  const [of, setOf] = useState<'outcome' | 'total'>('outcome');
  const [provider, setProvider] = useState('');
  const [keep, setKeep] = useState<'all' | 'band' | 'outcome'>('all');
  const [result, setResult] = useState<CalibrationView | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await props.worker.ask({ type: 'calibrate', scheme: props.scheme, asOf: props.asOf, target: target.replace(/[£,\s]/g, ''), of, provider, keep }));
    } catch (e) {
      setResult(undefined);
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="calibrate">
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <span class="field">
          <label for="cal-target">Budget (£)</label>
          <input id="cal-target" data-testid="calibrate-target" inputMode="decimal" value={target} onInput={(e) => setTarget((e.currentTarget as HTMLInputElement).value)} />
        </span>
        <span class="field">
          <label for="cal-of">Budget for</label>
          <select id="cal-of" value={of} onChange={(e) => setOf((e.currentTarget as HTMLSelectElement).value as 'outcome' | 'total')}>
            <option value="outcome">outcome payments</option>
            <option value="total">all payments (others held as they are)</option>
          </select>
        </span>
        <span class="field">
          <label for="cal-provider">Paid to</label>
          <select id="cal-provider" value={provider} onChange={(e) => setProvider((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">all providers</option>
            {props.providers.map((p) => (
              <option value={p}>{p}</option>
            ))}
          </select>
        </span>
        <span class="field">
          <label for="cal-keep">Keep</label>
          <select id="cal-keep" value={keep} onChange={(e) => setKeep((e.currentTarget as HTMLSelectElement).value as 'all' | 'band' | 'outcome')}>
            <option value="all">every price's relativity (one factor)</option>
            <option value="band">band relativities of each outcome</option>
            <option value="outcome">each outcome's mean price</option>
          </select>
        </span>
        <span class="field">
          <span class="label">&nbsp;</span>
          <button type="submit" data-testid="calibrate-run" disabled={busy}>
            {busy ? 'Calibrating…' : 'Calibrate'}
          </button>
        </span>
      </form>
      {error ? <p class="problem" role="alert">{error}</p> : null}
      {result ? (
        <div data-testid="calibrate-result">
          <p>
            {result.exact ? 'Met exactly: ' : 'Nearest: '}
            <strong data-testid="calibrate-amount">{result.amount ? pounds(result.amount) : '–'}</strong> against a budget of {pounds(result.target)}
            {result.factor ? `, factor ${result.factor}` : ''}.
          </p>
          {result.reason ? <p class="warn">{result.reason}</p> : null}
          {result.nudged.length > 0 ? <p class="hint">To meet it to the penny, {result.nudged.map((n) => `${n.outcome} band ${n.band} moved from £${n.from} to £${n.to}`).join('; ')}.</p> : null}
          {result.prices ? (
            <>
              <div class="scroll">
                <table>
                  <caption>Calibrated prices (£; items paid at each price in brackets)</caption>
                  <thead>
                    <tr>
                      <th scope="col">Outcome</th>
                      {Object.keys(Object.values(result.prices)[0] ?? {}).map((b) => (
                        <th scope="col" class="num">Band {b}</th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {Object.entries(result.prices).map(([o, bands]) => (
                      <tr>
                        <th scope="row">{o}</th>
                        {Object.entries(bands).map(([b, p]) => (
                          <td class="num">
                            {pounds(p)} <span class="sub">({count(result.counts[o]?.[b] ?? 0)})</span>
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <button type="button" data-testid="calibrate-apply" onClick={() => props.onApply(result.prices!)}>
                Use these prices in the editor
              </button>
            </>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

function Forecast(props: { worker: WorkerClient; scheme: unknown; asOf: string; providers: string[]; bands: string[] }) {
  const [provider, setProvider] = useState(props.providers[0] ?? '');
  const [journeys, setJourneys] = useState(() => [1, 2, 3, 4].map((q) => `Q${q}:${props.bands.map((b) => `${b}=10`).join(',')}`).join(';'));
  const [simulations, setSimulations] = useState('2000');
  const [result, setResult] = useState<ForecastView | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const n = Number(simulations);
      if (!Number.isInteger(n) || n < 100 || n > 100_000) throw new Error('simulations: a whole number from 100 to 100,000');
      setResult(await props.worker.ask({ type: 'forecast', scheme: props.scheme, asOf: props.asOf, provider: provider || props.providers[0] || '', journeys, simulations: n, seed: 1 }));
    } catch (e) {
      setResult(undefined);
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="forecast">
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <span class="field">
          <label for="fc-provider">Provider</label>
          <select id="fc-provider" data-testid="forecast-provider" value={provider} onChange={(e) => setProvider((e.currentTarget as HTMLSelectElement).value)}>
            {props.providers.map((p) => (
              <option value={p}>{p}</option>
            ))}
          </select>
        </span>
        <span class="field wide">
          <label for="fc-journeys">New journeys expected (quarter: band=count; …)</label>
          <input id="fc-journeys" data-testid="forecast-journeys" value={journeys} onInput={(e) => setJourneys((e.currentTarget as HTMLInputElement).value)} />
        </span>
        <span class="field">
          <label for="fc-sims">Simulations</label>
          <input id="fc-sims" inputMode="numeric" value={simulations} onInput={(e) => setSimulations((e.currentTarget as HTMLInputElement).value)} />
        </span>
        <span class="field">
          <span class="label">&nbsp;</span>
          <button type="submit" data-testid="forecast-run" disabled={busy}>
            {busy ? 'Forecasting…' : 'Forecast'}
          </button>
        </span>
      </form>
      {error ? <p class="problem" role="alert">{error}</p> : null}
      {result ? (
        <div data-testid="forecast-result">
          <p>
            Expected income of {result.provider} over the forecast: <strong data-testid="forecast-total">{pounds(result.total.expected)}</strong> (P10 {pounds(result.total.p10)}, P90 {pounds(result.total.p90)}).
          </p>
          <Svg svg={result.chart} />
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Quarter</th>
                  <th scope="col" class="num">New journeys</th>
                  <th scope="col" class="num">Fixed</th>
                  <th scope="col" class="num">Expected</th>
                  <th scope="col" class="num">P10</th>
                  <th scope="col" class="num">P50</th>
                  <th scope="col" class="num">P90</th>
                </tr>
              </thead>
              <tbody>
                {result.quarters.map((q) => (
                  <tr>
                    <th scope="row">
                      Q{q.quarter}
                      <span class="sub">
                        {q.start} to {q.end}
                      </span>
                    </th>
                    <td class="num">{count(q.journeys)}</td>
                    <Amount value={q.fixed} />
                    <Amount value={q.expected} />
                    <Amount value={q.p10} />
                    <Amount value={q.p50} />
                    <Amount value={q.p90} />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <details>
            <summary>Assumptions: outcome rates by band</summary>
            <ul>
              {result.rates.map((a) => (
                <li>
                  {a.outcome} band {a.band}: {a.rate} ({count(a.met)} met of {count(a.decided)} decided; {a.source})
                </li>
              ))}
              {result.notes.map((n) => (
                <li>{n}</li>
              ))}
            </ul>
          </details>
        </div>
      ) : null}
    </div>
  );
}

function Explain(props: { worker: WorkerClient; scheme: unknown; asOf: string }) {
  const [clientId, setClientId] = useState('');
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const [result, setResult] = useState<ExplainView | undefined | null>(null);
  const [error, setError] = useState<string | undefined>();
  const run = async () => {
    setError(undefined);
    try {
      const r = await props.worker.ask({ type: 'explain', scheme: props.scheme, asOf: props.asOf, clientId });
      setResult(r);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div class="explain">
      <form
        class="row"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <span class="field">
          <label for="ex-client">Client id</label>
          <input
            id="ex-client"
            data-testid="explain-client"
            list="ex-clients"
            autocomplete="off"
            value={clientId}
            onInput={(e) => {
              const v = (e.currentTarget as HTMLInputElement).value;
              setClientId(v);
              if (v.length >= 2) props.worker.ask({ type: 'suggest', scheme: props.scheme, asOf: props.asOf, prefix: v }).then(setSuggestions, () => setSuggestions([]));
            }}
          />
          <datalist id="ex-clients">
            {suggestions.map((s) => (
              <option value={s} />
            ))}
          </datalist>
        </span>
        <span class="field">
          <span class="label">&nbsp;</span>
          <button type="submit" data-testid="explain-run">
            Explain
          </button>
        </span>
      </form>
      {error ? <p class="problem" role="alert">{error}</p> : null}
      {result === undefined ? <p class="warn">No client with that id has any record in these data.</p> : null}
      {result ? (
        <div data-testid="explain-result">
          <h3>Client {result.clientId}</h3>
          {result.notYetKnown.length > 0 ? (
            <div>
              <p>Not yet known on {props.asOf}, so not used (R-CAL-2):</p>
              <ul>
                {result.notYetKnown.map((n) => (
                  <li>{n}</li>
                ))}
              </ul>
            </div>
          ) : null}
          {result.journeys.length === 0 ? <p>No treatment journey (no episode started on or before the as-of date).</p> : null}
          {result.journeys.map((j) => (
            <div class="journey">
              <h4>
                Journey {j.id}: {j.start} to {j.end}, {j.group}, band {j.band}
              </h4>
              <p>{j.exit}.</p>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Outcome</th>
                    <th scope="col">Status</th>
                    <th scope="col">Achieved / due</th>
                    <th scope="col">Reason</th>
                    <th scope="col">Provider</th>
                  </tr>
                </thead>
                <tbody>
                  {j.outcomes.map((o) => (
                    <tr>
                      <th scope="row">
                        {o.title}
                        <span class="sub">{o.id}</span>
                      </th>
                      <td class={`st-${o.status}`}>{o.status.replace('_', ' ')}</td>
                      <td>{o.achieved || (o.due ? `due ${o.due}` : '')}</td>
                      <td>{o.reason}</td>
                      <td>{o.provider}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {j.outcomes.map((o) => (
                <details>
                  <summary>
                    How {o.id} was decided
                  </summary>
                  <pre>{o.text.join('\n')}</pre>
                </details>
              ))}
            </div>
          ))}
          <h4>Payments for this client</h4>
          {result.payments.length === 0 ? (
            <p>None: no attachment or outcome of this client is payable as of {props.asOf} under this scheme.</p>
          ) : (
            <table data-testid="explain-payments">
              <thead>
                <tr>
                  <th scope="col">Payable on</th>
                  <th scope="col">Type</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Band</th>
                  <th scope="col">Provider</th>
                  <th scope="col" class="num">Price</th>
                  <th scope="col" class="num">Paid</th>
                  <th scope="col" class="num">Cut by cap</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {result.payments.map((p) => (
                  <tr>
                    <td>{p.date}</td>
                    <td>{TYPE_NAMES[p.type] ?? p.type}</td>
                    <td>{p.outcome}</td>
                    <td>{p.band}</td>
                    <td>{p.provider}</td>
                    <Amount value={p.amount} />
                    <Amount value={p.paid} />
                    <Amount value={p.capped} />
                    <td>{p.status === 'payable' ? (p.capped !== '0.00' ? 'cut by the cap' : 'paid') : p.status.replace(/_/g, ' ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <details>
            <summary>The whole explanation as text (as the command line prints it)</summary>
            <pre data-testid="explain-text">{result.text}</pre>
          </details>
        </div>
      ) : null}
    </div>
  );
}
