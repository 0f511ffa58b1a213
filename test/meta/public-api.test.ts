/**
 * The public API (issue #10, item 4): what each entry point exports at run time, pinned. Adding,
 * renaming or removing a public name is a decision: make it here, in the entry file, and in the
 * library guide's list of names. (Types are pinned by the compiler: test/types/ uses them.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as root from 'recovery-pbr';
import * as generate from 'recovery-pbr/generate';
import * as modelling from 'recovery-pbr/modelling';
import * as node from 'recovery-pbr/node';
import * as report from 'recovery-pbr/report';
import { LIBRARY_ENTRIES } from '../../tsup.config.js';

const names = (m: object) => Object.keys(m).sort();

describe('public API', () => {
  it('recovery-pbr: schemes and presets, records, errors, a run, explanations, payments and money, the Health Premium, calendar basics', () => {
    expect(names(root)).toEqual([
      'ERROR_CODES', 'EXIT_CLASSES', 'INPUT_FILES', 'OFFENCE_CATEGORIES', 'OUTCOME_COLUMNS', 'OUTCOME_STATUSES', 'PAYMENT_COLUMNS', 'PAYMENT_TYPES',
      'PRESET_IDS', 'REASON_CODES', 'REASON_TEXT', 'REJECTION_CODES', 'REJECTION_CODE_TEXT', 'REJECTION_COLUMNS', 'REVIEW_STAGES', 'RecoveryPbrError', 'STANDARD_EXIT_REASONS', 'SUBSTANCES',
      'SUBSTANCE_GROUPS', 'TEST_RESULTS', 'addDays', 'addMonths', 'allocate', 'calculatePayments', 'checkHeader', 'columnsOf', 'daysBetween', 'decimal',
      'dependsOnCaps', 'evaluateClient', 'evaluateDataset', 'explainClient', 'explainPayments', 'formatExplanation', 'formatMoney', 'formatPounds', 'groupByClient', 'healthPremiumCsv',
      'healthPremiumJson', 'healthPremiumSegmentsCsv', 'healthPremiumSummary', 'healthPremiumText', 'isIsoDate', 'isRecoveryPbrError', 'loadScheme',
      'money', 'outcomesCsv', 'parseAggregateCounts', 'parseLocalIndicators', 'parseScheme', 'parseWeights', 'paymentsCsv', 'prepareRecords',
      'presenceOf', 'presetDocument', 'presetScheme', 'reasonText', 'rejectionsCsv', 'requiredColumnsOf', 'resolveExtends', 'runHealthPremium',
      'runScheme', 'schemeJsonSchema', 'sumMoney', 'validateDataset',
    ]);
  });

  it('recovery-pbr/report: the HTML report and summary.json', () => {
    expect(names(report)).toEqual([
      'inputSummaries', 'outcomeBreakdownCounter', 'rejectionTally', 'renderReport', 'reportFromHealthPremium', 'reportFromRun', 'reportInputFromHealthPremium',
      'reportInputFromRun', 'summaryJson',
    ]);
  });

  it('recovery-pbr/modelling: comparison, calibration, forecast, and their mergeable summaries', () => {
    expect(names(modelling)).toEqual([
      'COMPARISON_COLUMNS', 'FORECAST_CAVEATS', 'calibrate', 'calibratePrices', 'calibrateSummary', 'calibratedScheme', 'calibratedSchemeDocument',
      'compareOverrides', 'compareSchemes', 'comparisonCsv', 'comparisonTable', 'forecastFromSummaries', 'forecastIncome', 'forecastIncomeFrom',
      'forecastTally', 'observationTally', 'parseProjectedJourneys', 'payableSummaryTally', 'paymentRun', 'withOverrides',
    ]);
  });

  it('recovery-pbr/generate: synthetic data', () => {
    expect(names(generate)).toEqual(['GENERATE_DEFAULTS', 'MAX_CLIENTS', 'generateClient', 'generateClients', 'generateRows', 'resolveGenerateOptions']);
  });

  it('recovery-pbr/node: files, folders and schemes on disk, the national-scale engine', () => {
    expect(names(node)).toEqual([
      'DEFAULT_MAX_RECORD_CHARS', 'OUTPUT_NAMES', 'canonicalJson', 'checkFolder', 'clientRecordsInFolder', 'ensureOutDir', 'failOnProblems', 'findInputFiles',
      'findInputParts', 'folderInputsSummary', 'modelFolder', 'openCsv', 'openNdjson', 'openOutputFolder', 'parseJsonText', 'readAggregateCounts', 'readCsv', 'readDataset',
      'readFolderDataset', 'readLocalIndicators', 'readNdjson', 'readScheme', 'readSchemeDocument', 'readSuppliedRows', 'readWeights', 'runFolder',
      'sha256File', 'sha256Json', 'writeGeneratedDataset', 'writeOutputFiles',
    ]);
  });

  it('keeps internals out of the root entry', () => {
    for (const internal of ['copyLine', 'linesBeforeCaps', 'normalPdf', 'Dec', 'csvLine', 'buildJourneys', 'decideJourney', 'paymentTally', 'renderReport', 'generateRows', 'compareSchemes']) {
      expect(root, internal).not.toHaveProperty(internal);
    }
  });
});

describe('the entry points', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { exports: Record<string, unknown>; typesVersions: Record<string, Record<string, string[]>> };
  it('are the same in package.json exports, typesVersions, tsup.config.ts, tsconfig paths and vitest aliases', () => {
    const names = Object.keys(LIBRARY_ENTRIES).map((e) => (e === 'index' ? '.' : `./${e}`));
    expect(Object.keys(pkg.exports).sort()).toEqual([...names, './package.json'].sort());
    for (const [e, source] of Object.entries(LIBRARY_ENTRIES)) {
      const sub = e === 'index' ? '.' : `./${e}`;
      expect(pkg.exports[sub]).toEqual({
        import: { types: `./dist/${e}.d.ts`, default: `./dist/${e}.js` },
        require: { types: `./dist/${e}.d.cts`, default: `./dist/${e}.cjs` },
      });
      // moduleResolution node10 ignores `exports`: typesVersions gives it the subpaths' types.
      if (e !== 'index') expect(pkg.typesVersions['*']![e]).toEqual([`./dist/${e}.d.cts`]);
      const specifier = e === 'index' ? 'recovery-pbr' : `recovery-pbr/${e}`;
      expect(readFileSync('tsconfig.json', 'utf8')).toContain(`"${specifier}": ["./${source}"]`);
      expect(readFileSync('vitest.config.ts', 'utf8')).toContain(`'${specifier}': fileURLToPath(new URL('./${source}'`);
    }
  });
});
