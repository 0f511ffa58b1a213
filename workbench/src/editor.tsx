/**
 * The scheme editor: what commissioners change — prices by outcome × band, attachment fees,
 * sustainment prices, the default band, contract dates and terms (value, PbR share, cap), and
 * payers. Each input writes into the working document; every problem the core's `parseScheme`
 * finds (R-VAL-4, the messages the CLI prints) is shown beside the field it is about.
 * @module
 */
import type { ComponentChildren } from 'preact';
import { pathText, removeAt, setAt, valueAt, type Path } from './scheme-edit.js';

/** A problem of the scheme, by path (R-VAL-4). */
export interface Problem {
  path: string;
  message: string;
}

interface EditorProps {
  doc: unknown;
  original: unknown;
  problems: readonly Problem[];
  /** Providers seen in the data (for contract terms). */
  providers: readonly string[];
  onChange(doc: unknown): void;
  identity: { id: string; version: string };
  onIdentity(identity: { id: string; version: string }): void;
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : String(v));

/** The problems of the scheme, looked up by the path of the field they are about. */
class Shown {
  constructor(private readonly problems: readonly Problem[]) {}
  at(path: string): Problem[] {
    return this.problems.filter((p) => p.path === path);
  }
  /** Problems about no field the editor shows (listed once, at the top). */
  rest(fields: ReadonlySet<string>): Problem[] {
    return this.problems.filter((p) => !fields.has(p.path));
  }
}

/** Every path the editor shows a field or a section for. */
function fieldPaths(doc: unknown): Set<string> {
  const out = new Set<string>(['id', 'version', 'tariff', 'tariff.defaultBand', 'tariff.attachment', 'contract', 'contract.start', 'contract.end', 'payers']);
  const bands = ((valueAt(doc, ['tariff', 'bands']) as unknown[] | undefined) ?? []).map((b) => str(plain(b)));
  for (const b of bands) out.add(`tariff.attachment.${b}`);
  for (const table of ['outcomes', 'sustainment']) {
    for (const id of Object.keys((valueAt(doc, ['tariff', table]) as object | undefined) ?? {})) {
      out.add(`tariff.${table}.${id}`);
      for (const b of bands) out.add(`tariff.${table}.${id}.${b}`);
    }
  }
  const terms = (at: string) => ['', '.annualValue', '.pbrShare', '.cap'].forEach((k) => out.add(at + k));
  for (const p of Object.keys((valueAt(doc, ['contract', 'providers']) as object | undefined) ?? {})) terms(`contract.providers.${p}`);
  if (valueAt(doc, ['contract', 'defaultTerms']) !== undefined) terms('contract.defaultTerms');
  ((valueAt(doc, ['payers']) as unknown[] | undefined) ?? []).forEach((_, i) => {
    out.add(`payers[${i}]`);
    out.add(`payers[${i}].id`);
    out.add(`payers[${i}].share`);
  });
  return out;
}

function idOf(path: string): string {
  return `f-${path.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** Messages beside a field (its `aria-describedby` target). */
function FieldProblems(props: { path: string; problems: Problem[] }) {
  if (props.problems.length === 0) return null;
  return (
    <span class="problem" id={`${idOf(props.path)}-problem`} role="alert" data-problem-path={props.path}>
      {props.problems.map((p) => p.message).join('; ')}
    </span>
  );
}

/** A text input bound to a path of the working document, with its problems beside it. */
function Input(props: {
  doc: unknown;
  original: unknown;
  path: Path;
  problemPath?: string;
  label: string;
  shown: Shown;
  onChange(doc: unknown): void;
  testid?: string;
  kind?: 'money' | 'share' | 'date' | 'text';
  optional?: boolean;
  hideLabel?: boolean;
}) {
  const ppath = props.problemPath ?? pathText(props.path);
  const problems = props.shown.at(ppath);
  const value = str(valueAt(props.doc, props.path));
  const before = str(valueAt(props.original, props.path));
  const changed = value !== before;
  const id = idOf(ppath);
  const kind = props.kind ?? 'text';
  return (
    <span class={`field${problems.length ? ' has-problem' : ''}${changed ? ' changed' : ''}`}>
      <label for={id} class={props.hideLabel ? 'visually-hidden' : undefined}>
        {props.label}
      </label>
      <input
        id={id}
        type={(kind === 'date' ? 'date' : 'text') as 'text'}
        inputMode={kind === 'money' || kind === 'share' ? 'decimal' : undefined}
        value={value}
        data-testid={props.testid}
        aria-invalid={problems.length ? 'true' : undefined}
        aria-describedby={problems.length ? `${id}-problem` : undefined}
        title={changed ? `Was ${before === '' ? 'not set' : before}` : undefined}
        onInput={(e) => {
          const v = (e.currentTarget as HTMLInputElement).value;
          props.onChange(v === '' && props.optional ? removeAt(props.doc, props.path) : setAt(props.doc, props.path, v));
        }}
      />
      <FieldProblems path={ppath} problems={problems} />
    </span>
  );
}

function Section(props: { title: string; path?: string; shown: Shown; children: ComponentChildren; hint?: string }) {
  const problems = props.path ? props.shown.at(props.path) : [];
  return (
    <fieldset class="group">
      <legend>{props.title}</legend>
      {props.hint ? <p class="hint">{props.hint}</p> : null}
      {props.children}
      {props.path ? <FieldProblems path={props.path} problems={problems} /> : null}
    </fieldset>
  );
}

/** The price rows of one part of the tariff (attachment, outcomes or sustainment). */
function priceRows(doc: unknown, table: 'attachment' | 'outcomes' | 'sustainment'): { key: string; label: string; path: string[]; testid: (b: string) => string }[] {
  const titles = new Map(((valueAt(doc, ['outcomes']) as { id?: unknown; title?: unknown }[] | undefined) ?? []).map((o) => [str(plain(o.id)), str(plain(o.title))]));
  const order = [...titles.keys()];
  if (table === 'attachment') {
    return valueAt(doc, ['tariff', 'attachment']) === undefined ? [] : [{ key: 'attachment', label: 'Attachment (on journey start)', path: ['tariff', 'attachment'], testid: (b) => `attachment-${b}` }];
  }
  const t = (valueAt(doc, ['tariff', table]) as Record<string, unknown> | undefined) ?? {};
  const ids = Object.keys(t).sort((a, b) => (order.indexOf(a) + 1 || 1e9) - (order.indexOf(b) + 1 || 1e9) || (a < b ? -1 : a > b ? 1 : 0));
  return ids.map((id) => ({
    key: id,
    label: titles.get(id) ?? id,
    path: ['tariff', table, id],
    testid: (b: string) => (table === 'outcomes' ? `price-${id}-${b}` : `sustainment-${id}-${b}`),
  }));
}

/** The tariff as one table: attachment fees, outcome prices and sustainment prices, one column per band. */
function PriceTable(props: EditorProps & { shown: Shown; bands: string[] }) {
  const { doc, shown, bands } = props;
  const parts = (
    [
      ['Attachment fee', priceRows(doc, 'attachment')],
      ['Outcome prices', priceRows(doc, 'outcomes')],
      ['Sustainment payments (each)', priceRows(doc, 'sustainment')],
    ] as const
  ).filter(([, rows]) => rows.length > 0);
  if (parts.length === 0) return null;
  return (
    <table class="prices">
      <thead>
        <tr>
          <th scope="col">Paid for</th>
          {bands.map((b) => (
            <th scope="col" class="num">
              Band {b} (£)
            </th>
          ))}
        </tr>
      </thead>
      {parts.map(([title, rows]) => (
        <tbody class="table-part">
          <tr>
            <th scope="rowgroup" colSpan={bands.length + 1}>
              {title}
            </th>
          </tr>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">
                {r.label}
                <span class="sub">{r.key}</span>
                <FieldProblems path={pathText(r.path)} problems={shown.at(pathText(r.path))} />
              </th>
              {bands.map((b) => (
                <td class="num">
                  <Input {...props} path={[...r.path, b]} label={`${r.label}, band ${b}, in pounds`} hideLabel testid={r.testid(b)} kind="money" />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      ))}
    </table>
  );
}

function plain(v: unknown): unknown {
  return typeof v === 'object' && v !== null && 'value' in v && 'provenance' in v ? plain((v as { value: unknown }).value) : v;
}

function Terms(props: EditorProps & { shown: Shown; at: string[]; who: string; testid: string; removable?: boolean }) {
  const { doc, onChange } = props;
  return (
    <tr>
      <th scope="row">
        {props.who}
        {props.removable ? (
          <button type="button" class="link" onClick={() => onChange(removeAt(doc, props.at))} aria-label={`Remove the terms of ${props.who}`}>
            remove
          </button>
        ) : null}
        <FieldProblems path={pathText(props.at)} problems={props.shown.at(pathText(props.at))} />
      </th>
      <td>
        <Input {...props} path={[...props.at, 'annualValue']} label={`Annual contract value of ${props.who}, in pounds`} hideLabel kind="money" testid={`value-${props.testid}`} />
      </td>
      <td>
        <Input {...props} path={[...props.at, 'pbrShare']} label={`Share paid by results for ${props.who} (0 to 1)`} hideLabel kind="share" testid={`pbr-share-${props.testid}`} />
      </td>
      <td>
        <Input {...props} path={[...props.at, 'cap']} label={`Cap on results-based payments per contract year for ${props.who}, in pounds (blank: no cap)`} hideLabel kind="money" optional testid={`cap-${props.testid}`} />
      </td>
    </tr>
  );
}

/** The editor. */
export function SchemeEditor(props: EditorProps) {
  const shown = new Shown(props.problems);
  const { doc, onChange } = props;
  const tariff = valueAt(doc, ['tariff']) as Record<string, unknown> | undefined;
  const bands = ((valueAt(doc, ['tariff', 'bands']) as unknown[] | undefined) ?? []).map((b) => str(plain(b)));
  const contract = valueAt(doc, ['contract']) as Record<string, unknown> | undefined;
  const providers = (valueAt(doc, ['contract', 'providers']) as Record<string, unknown> | undefined) ?? {};
  const payers = (valueAt(doc, ['payers']) as unknown[] | undefined)?.map((p) => plain(p) as { id?: unknown; share?: unknown });
  const defaultBand = valueAt(doc, ['tariff', 'defaultBand']);
  const addable = props.providers.filter((p) => !(p in providers));

  const identity = (
    <Section title="This scheme" shown={shown} hint="An edited scheme is saved under its own id and version; every value you change carries provenance saying it was edited here.">
      <span class={`field${shown.at('id').length ? ' has-problem' : ''}`}>
        <label for="f-identity-id">Id of the edited scheme</label>
        <input id="f-identity-id" data-testid="scheme-id" value={props.identity.id} onInput={(e) => props.onIdentity({ ...props.identity, id: (e.currentTarget as HTMLInputElement).value })} />
        <FieldProblems path="id" problems={props.problems.filter((p) => p.path === 'id')} />
      </span>
      <span class={`field${shown.at('version').length ? ' has-problem' : ''}`}>
        <label for="f-identity-version">Version</label>
        <input id="f-identity-version" data-testid="scheme-version" value={props.identity.version} onInput={(e) => props.onIdentity({ ...props.identity, version: (e.currentTarget as HTMLInputElement).value })} />
        <FieldProblems path="version" problems={props.problems.filter((p) => p.path === 'version')} />
      </span>
    </Section>
  );

  const body = (
    <>
      {tariff ? (
        <Section title="Tariff: prices by outcome and band" path="tariff" shown={shown} hint="Pounds and pence, e.g. 1200.00. Changed values are marked; hover to see what they were.">
          <PriceTable {...props} shown={shown} bands={bands} />
          <span class="field">
            <label for="f-default-band">Journeys without a band</label>
            <select
              id="f-default-band"
              data-testid="default-band"
              value={defaultBand === undefined ? '' : str(defaultBand)}
              onChange={(e) => {
                const v = (e.currentTarget as HTMLSelectElement).value;
                onChange(v === '' ? removeAt(doc, ['tariff', 'defaultBand']) : setAt(doc, ['tariff', 'defaultBand'], v));
              }}
            >
              <option value="">are not paid (counted as unbanded)</option>
              {bands.map((b) => (
                <option value={b}>are paid as band {b}</option>
              ))}
            </select>
            <FieldProblems path="tariff.defaultBand" problems={shown.at('tariff.defaultBand')} />
          </span>
        </Section>
      ) : (
        <p class="hint">This scheme has no per-client tariff (no prices by outcome and band to edit).</p>
      )}

      <Section title="Contract" path="contract" shown={shown} hint="Items dated outside the contract are not paid (R-PAY-8). The part of each contract value not paid by results is paid in equal instalments.">
        <div class="row">
          <Input {...props} shown={shown} path={['contract', 'start']} label="Contract start" kind="date" optional testid="contract-start" />
          <Input {...props} shown={shown} path={['contract', 'end']} label="Contract end (blank: open)" kind="date" optional testid="contract-end" />
          <span class="field">
            <label for="f-period">Payment periods</label>
            <select id="f-period" data-testid="contract-period" value={str(contract?.['period'] ?? 'quarterly')} onChange={(e) => onChange(setAt(doc, ['contract', 'period'], (e.currentTarget as HTMLSelectElement).value))}>
              <option value="quarterly">quarterly</option>
              <option value="monthly">monthly</option>
            </select>
          </span>
        </div>
        {Object.keys(providers).length > 0 || contract?.['defaultTerms'] !== undefined ? (
        <table class="terms">
          <caption>Contract terms per provider (R-PAY-4)</caption>
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col">Annual value (£)</th>
              <th scope="col">Share paid by results (0–1)</th>
              <th scope="col">Cap per contract year (£)</th>
            </tr>
          </thead>
          <tbody>
            {Object.keys(providers)
              .sort()
              .map((p) => (
                <Terms {...props} shown={shown} at={['contract', 'providers', p]} who={p} testid={p} removable />
              ))}
            {contract?.['defaultTerms'] !== undefined ? <Terms {...props} shown={shown} at={['contract', 'defaultTerms']} who="Every other provider" testid="default" removable /> : null}
          </tbody>
        </table>
        ) : (
          <p class="hint">No contract terms: every results-based payment is paid in full, with no fixed part and no cap.</p>
        )}
        <div class="row">
          {contract?.['defaultTerms'] === undefined ? (
            <button type="button" onClick={() => onChange(setAt(doc, ['contract', 'defaultTerms'], { annualValue: '0.00', pbrShare: '1' }))}>
              Add terms for every provider
            </button>
          ) : null}
          {addable.length > 0 ? (
            <span class="field">
              <label for="f-add-provider">Add terms for a provider</label>
              <select
                id="f-add-provider"
                value=""
                onChange={(e) => {
                  const p = (e.currentTarget as HTMLSelectElement).value;
                  if (p) onChange(setAt(doc, ['contract', 'providers', p], { annualValue: '0.00', pbrShare: '1' }));
                }}
              >
                <option value="">choose a provider…</option>
                {addable.map((p) => (
                  <option value={p}>{p}</option>
                ))}
              </select>
            </span>
          ) : null}
        </div>
      </Section>

      <Section title="Payers" path="payers" shown={shown} hint="Who pays each payment, by share (R-PAY-6); shares add up to 1. With no payers, one payer ('default') pays everything.">
        {payers && payers.length > 0 ? (
          <table class="terms">
            <thead>
              <tr>
                <th scope="col">Payer id</th>
                <th scope="col">Share (0–1)</th>
                <th scope="col">
                  <span class="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {payers.map((p, i) => {
                const set = (k: 'id' | 'share', v: string) => {
                  const list = payers.map((x, j) => (j === i ? { ...x, [k]: v } : x));
                  onChange(setAt(doc, ['payers'], list));
                };
                const idPath = `payers[${i}].id`;
                const sharePath = `payers[${i}].share`;
                const idProblems = shown.at(idPath);
                const shareProblems = shown.at(sharePath);
                return (
                  <tr>
                    <td>
                      <span class={`field${idProblems.length ? ' has-problem' : ''}`}>
                        <label for={idOf(idPath)} class="visually-hidden">{`Payer ${i + 1} id`}</label>
                        <input id={idOf(idPath)} data-testid={`payer-id-${i}`} value={str(plain(p.id))} aria-invalid={idProblems.length ? 'true' : undefined} onInput={(e) => set('id', (e.currentTarget as HTMLInputElement).value)} />
                        <FieldProblems path={idPath} problems={idProblems} />
                      </span>
                    </td>
                    <td>
                      <span class={`field${shareProblems.length ? ' has-problem' : ''}`}>
                        <label for={idOf(sharePath)} class="visually-hidden">{`Payer ${i + 1} share`}</label>
                        <input id={idOf(sharePath)} data-testid={`payer-share-${i}`} inputMode="decimal" value={str(plain(p.share))} aria-invalid={shareProblems.length ? 'true' : undefined} onInput={(e) => set('share', (e.currentTarget as HTMLInputElement).value)} />
                        <FieldProblems path={sharePath} problems={shareProblems} />
                      </span>
                    </td>
                    <td>
                      <button type="button" class="link" onClick={() => onChange(payers.length === 1 ? removeAt(doc, ['payers']) : setAt(doc, ['payers'], payers.filter((_, j) => j !== i)))} aria-label={`Remove payer ${str(plain(p.id)) || i + 1}`}>
                        remove
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : (
          <p class="hint">No split: one payer pays everything.</p>
        )}
        <button type="button" data-testid="add-payer" onClick={() => onChange(setAt(doc, ['payers'], [...(payers ?? []), { id: payers?.length ? `payer${payers.length + 1}` : 'local', share: payers?.length ? '0' : '1' }]))}>
          Add a payer
        </button>
      </Section>
    </>
  );
  const rest = shown.rest(fieldPaths(doc));
  return (
    <div class="editor">
      {rest.length > 0 ? (
        <div class="problems" role="alert" data-testid="scheme-problems">
          <p>The scheme has {rest.length === 1 ? 'a problem' : `${rest.length} problems`} not shown beside a field:</p>
          <ul>
            {rest.map((p) => (
              <li>
                <code>{p.path || '(whole scheme)'}</code>: {p.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {body}
      {identity}
    </div>
  );
}
