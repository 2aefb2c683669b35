import { Option, type Command } from 'commander';
import { parseCountryMappings } from '../../countries/codeMap.js';
import { importBaci } from '../../ingest/baci.js';
import { importBea } from '../../ingest/bea.js';
import { importWitsSummary } from '../../ingest/witsSummary.js';
import { importCensus } from '../../ingest/census.js';
import { importComtrade } from '../../ingest/comtrade.js';
import { importDots } from '../../ingest/dots.js';
import { importUserCsv } from '../../ingest/userCsv.js';
import { importTariffs } from '../../ingest/tariffs.js';
import { importScreeningList } from '../../ingest/screeningList.js';
import { importFederalRegister } from '../../ingest/federalRegister.js';
import { importOpenDoors } from '../../ingest/openDoors.js';
import { importTicHoldings } from '../../ingest/ticHoldings.js';
import { importWeo } from '../../ingest/weo.js';
import { importNcsesTable } from '../../ingest/ncsesTable.js';
import { importEquityIndices } from '../../ingest/equityIndices.js';
import { importFred } from '../../ingest/fredSeries.js';
import { importBatis } from '../../ingest/batis.js';
import type { ImportOptions, ImportOutcome } from '../../ingest/importRun.js';
import type { Store } from '../../store/store.js';
import { printRows, withStore, type GlobalOptions } from '../context.js';

interface CommonImportOptions {
  mapCountry?: string[];
  encoding?: string;
  strict?: boolean;
}

function importOptions(opts: CommonImportOptions): ImportOptions {
  return { userMap: parseCountryMappings(opts.mapCountry), encoding: opts.encoding, strict: opts.strict };
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

type Importer = (store: Store, files: string[], options: ImportOptions) => Promise<ImportOutcome[]>;

const SIMPLE_SOURCES: Array<{ name: string; files: string; description: string; run: Importer }> = [
  {
    name: 'comtrade',
    files: 'UN Comtrade API responses (.json) or CSV exports (camelCase or snake_case headers), plain or gzip',
    description: 'UN Comtrade records (keeps CIF and FOB values; totals only where breakdowns repeat them)',
    run: importComtrade,
  },
  {
    name: 'dots',
    files:
      'IMF DOTS per-reporter workbooks (.xlsx), the long CSV, or SDMX-CSV answers of the IMF portal (IMTS), plain or gzip',
    description: 'IMF Direction of Trade Statistics (exports FOB, imports CIF; keeps the IMF estimate flag)',
    run: importDots,
  },
  {
    name: 'bea',
    files: 'the BEA workbook (.xlsx) or its long CSV',
    description:
      'BEA U.S. trade in goods and services by selected countries and areas, annual and quarterly, into series',
    run: importBea,
  },
  {
    name: 'census',
    files: 'Census API tables (JSON, CSV, Parquet) or the long CSV layouts (monthly HS2, annual HS10)',
    description: 'US Census imports for consumption by country and HS2-HS10 commodity, with calculated duties',
    run: importCensus,
  },
  {
    name: 'wits-summary',
    files: 'World Bank WITS Trade Summary CSVs (en_ISO_AllYears_WITS_Trade_Summary.CSV), one reporter each',
    description:
      "World Bank WITS Trade Summary: a reporter's exports and imports with the World, total and by UNCTAD stage of processing, into series",
    run: importWitsSummary,
  },
  {
    name: 'open-doors',
    files: 'IIE Open Doors CSVs by place of origin and academic year (with regions, or mapped to countries)',
    description: 'IIE Open Doors: international students in the US by place of origin, by academic year, into series',
    run: importOpenDoors,
  },
  {
    name: 'tic-mfh',
    files:
      "the long CSV of TIC's Major Foreign Holders table (country, year, month, period, series_note, holdings_usd_bn)",
    description:
      'US Treasury TIC: foreign holdings of US Treasury securities by holder, monthly, with series breaks flagged',
    run: importTicHoldings,
  },
  {
    name: 'weo',
    files: 'the IMF WEO long CSV (ref_area, concept, unit, scale, …, year, value), plain or gzip',
    description: 'IMF World Economic Outlook: every concept by economy and year, projections flagged',
    run: importWeo,
  },
  {
    name: 'ncses',
    files: 'NCSES tables: a table folder (tables/10004) or its data.csv, simple layout (economy by year)',
    description:
      'NSF NCSES Science and Engineering Indicators tables (co-authorship shares and other tables by economy and year)',
    run: importNcsesTable,
  },
  {
    name: 'equity-indices',
    files: 'daily index levels (ticker, date, close, …), as Yahoo Finance gives them, plain or gzip',
    description: 'daily closing levels of equity indices (SSE Composite, S&P 500, Hang Seng, …) by economy',
    run: importEquityIndices,
  },
  {
    name: 'fred',
    files: 'FRED CSVs (ALFRED vintage layout or the download layout), one series each',
    description: 'FRED monthly series (US industrial production, OECD share prices)',
    run: importFred,
  },
];

function printOutcomes(outcomes: ImportOutcome[], g: GlobalOptions): void {
  printRows(
    outcomes.map((o) => ({
      file: o.file,
      dataset_id: o.dataset_id,
      status: o.status,
      rows: o.rows,
      notes: o.notes.join('; '),
    })),
    g,
  );
}

/** Registers `import <source>` for every supported source. */
export function registerImportCommands(program: Command): void {
  const imp = program
    .command('import')
    .description('import files into the store (atomic, idempotent, with provenance)');
  const common = (c: Command) =>
    c
      .option(
        '--map-country <code=ISO3>',
        'map a source country code or name the program does not know (repeatable)',
        collect,
      )
      .option(
        '--encoding <name>',
        'text encoding of the file (detected when absent: UTF-8, GB18030/GBK, Big5, Shift-JIS, EUC-JP or EUC-KR)',
      )
      .option('--strict', 'refuse identical repeated rows (by default they are stored once and reported)');

  common(
    imp
      .command('baci')
      .argument('<files...>', 'BACI yearly CSV files (BACI_HS17_Y2019_V202501.csv), gzip or zip archives')
      .description('CEPII BACI yearly files (t,i,j,k,v,q; v in thousand US$, q in tonnes)')
      .option('--hs <vintage>', 'HS vintage when the file name does not say (HS92 … HS22)')
      .option('--release <V>', 'BACI release when the file name does not say (e.g. V202501)')
      .option('--country-codes <file>', 'BACI country_codes_V*.csv (default: the one beside the file)'),
  ).action(
    async (
      files: string[],
      opts: CommonImportOptions & { hs?: string; release?: string; countryCodes?: string },
      cmd: Command,
    ) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withStore(g, async (store) =>
        printOutcomes(await importBaci(store, files, { ...opts, ...importOptions(opts) }), g),
      );
    },
  );

  common(
    imp
      .command('csv')
      .argument('<files...>', 'CSV files (plain, gzip or zip) of flows or series')
      .description(
        'any flow or series table, read as a mapping file says (columns, country codes, units); see docs/csv-mapping.md',
      )
      .requiredOption('--map <mapping.yaml>', 'the mapping file'),
  ).action(async (files: string[], opts: CommonImportOptions & { map: string }, cmd: Command) => {
    const g = cmd.optsWithGlobals<GlobalOptions>();
    await withStore(g, async (store) =>
      printOutcomes(await importUserCsv(store, files, opts.map, importOptions(opts)), g),
    );
  });

  common(
    imp
      .command('tariffs')
      .argument(
        '<files...>',
        'tariff files: Section 301 lists (hts8,tranche), USITC headings (hts8,heading_9903), rates by date (hs6,time_of_tariff,tariff or hs08 with reta_YYYYMonDD columns), exclusions (exclusion_batch,hts10)',
      )
      .description('additional tariffs by tariff line and date, linked to the measures registry')
      .option('--importer <ISO3>', 'who imposes the tariff (for files that do not say)')
      .option('--exporter <ISO3>', 'whose goods it hits (for files that do not say)')
      .option('--list <name>', 'for a numbered list of lines without a header: the registry list it belongs to')
      .addOption(
        new Option(
          '--rate-kind <kind>',
          'for rates by date: additional duties, or total applied rates including MFN',
        ).choices(['additional', 'total']),
      ),
  ).action(
    async (
      files: string[],
      opts: CommonImportOptions & {
        importer?: string;
        exporter?: string;
        rateKind?: 'additional' | 'total';
        list?: string;
      },
      cmd: Command,
    ) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const o = {
        ...importOptions(opts),
        importer: opts.importer,
        exporter: opts.exporter,
        rateKind: opts.rateKind,
        list: opts.list,
      };
      await withStore(g, async (store) => printOutcomes(await importTariffs(store, files, o), g));
    },
  );

  common(
    imp
      .command('batis')
      .argument('<files...>', 'OECD-WTO BaTIS extracts by partner and EBOPS item (plain or gzip)')
      .description(
        "OECD-WTO Balanced Trade in Services: a reporter's services exports and imports by partner, balanced estimates",
      )
      .requiredOption('--reporter <ISO3>', 'the economy the extract is for (BaTIS extracts do not name it)'),
  ).action(async (files: string[], opts: CommonImportOptions & { reporter: string }, cmd: Command) => {
    const g = cmd.optsWithGlobals<GlobalOptions>();
    await withStore(g, async (store) =>
      printOutcomes(await importBatis(store, files, { ...importOptions(opts), reporter: opts.reporter }), g),
    );
  });

  common(
    imp
      .command('screening-list')
      .argument(
        '<files...>',
        'Consolidated Screening List snapshots (consolidated.csv or .json, or API search responses)',
      )
      .description(
        'US Consolidated Screening List snapshots (Entity List, SDN, UVL, MEU, …) by entry and country of address',
      )
      .option('--snapshot <YYYY-MM-DD>', 'when the snapshot was taken (default: a date in the file name)'),
  ).action(async (files: string[], opts: CommonImportOptions & { snapshot?: string }, cmd: Command) => {
    const g = cmd.optsWithGlobals<GlobalOptions>();
    await withStore(g, async (store) =>
      printOutcomes(await importScreeningList(store, files, { ...importOptions(opts), snapshot: opts.snapshot }), g),
    );
  });

  common(
    imp
      .command('federal-register')
      .argument('<files...>', 'Federal Register API search responses (documents.json pages)')
      .description('Federal Register document metadata (number, date, type, title, agencies)'),
  ).action(async (files: string[], opts: CommonImportOptions, cmd: Command) => {
    const g = cmd.optsWithGlobals<GlobalOptions>();
    await withStore(g, async (store) =>
      printOutcomes(await importFederalRegister(store, files, importOptions(opts)), g),
    );
  });

  for (const source of SIMPLE_SOURCES) {
    common(imp.command(source.name).argument('<files...>', source.files).description(source.description)).action(
      async (files: string[], opts: CommonImportOptions, cmd: Command) => {
        const g = cmd.optsWithGlobals<GlobalOptions>();
        await withStore(g, async (store) => printOutcomes(await source.run(store, files, importOptions(opts)), g));
      },
    );
  }
}
