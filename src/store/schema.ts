/**
 * The store's schema as an ordered list of migrations. Each migration runs once,
 * in a transaction, and is recorded in `schema_migrations`. Add new versions at
 * the end; never edit a released one.
 */
export interface Migration {
  version: number;
  description: string;
  statements: string[];
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'datasets, flows, series, countries, groups, products, concordances, product groups',
    statements: [
      `CREATE SEQUENCE IF NOT EXISTS dataset_id_seq START 1`,
      // Provenance: one row per imported file, download or reference pack.
      `CREATE TABLE datasets (
        dataset_id INTEGER PRIMARY KEY DEFAULT nextval('dataset_id_seq'),
        source VARCHAR NOT NULL,          -- baci, comtrade, dots, bea, census, csv, seed-figures, pack:...
        kind VARCHAR NOT NULL,            -- flows | series | reference
        vintage VARCHAR,                  -- release, HS vintage, 'last updated' date
        file_name VARCHAR NOT NULL,
        file_path VARCHAR,
        url VARCHAR,
        sha256 VARCHAR NOT NULL,
        rows BIGINT NOT NULL DEFAULT 0,
        year_min INTEGER,
        year_max INTEGER,
        reporters VARCHAR,                -- comma-separated ISO3 of reporting economies
        encoding VARCHAR,
        notes VARCHAR,
        importer_version VARCHAR NOT NULL,
        imported_at TIMESTAMP NOT NULL DEFAULT current_timestamp
      )`,
      // Goods trade. Both sides' reports of one flow are kept apart by reporter_side.
      `CREATE TABLE flows (
        dataset_id INTEGER NOT NULL,
        year SMALLINT NOT NULL,
        month TINYINT,                    -- NULL for annual data
        exporter VARCHAR NOT NULL,        -- ISO3 or documented aggregate code
        importer VARCHAR NOT NULL,
        reporter_side VARCHAR NOT NULL,   -- exporter | importer | reconciled
        classification VARCHAR NOT NULL,  -- HS1992..HS2022 or TOTAL
        product_level TINYINT NOT NULL,   -- 0 (total), 2, 4, 6, 8, 10 digits
        product VARCHAR NOT NULL,         -- 'TOTAL' at level 0
        value_usd DOUBLE NOT NULL,
        quantity DOUBLE,
        quantity_unit VARCHAR,
        valuation VARCHAR NOT NULL,       -- FOB | CIF | customs | mixed
        cif_usd DOUBLE,
        fob_usd DOUBLE,
        duty_usd DOUBLE,
        flag VARCHAR                      -- e.g. 'e' = estimate by the publisher
      )`,
      // Any other number: services by partner, published reference figures, FDI, students...
      `CREATE TABLE series (
        dataset_id INTEGER NOT NULL,
        indicator VARCHAR NOT NULL,
        country VARCHAR NOT NULL,
        partner VARCHAR NOT NULL,         -- 'WLD' for the total over partners, '' when not bilateral
        frequency VARCHAR NOT NULL,       -- A | Q | M | D | H
        period VARCHAR NOT NULL,          -- 2019, 2019-Q3, 2019-07, 2023-H1, 2023-05-12
        year SMALLINT NOT NULL,
        value DOUBLE NOT NULL,
        unit VARCHAR NOT NULL,
        flag VARCHAR,
        note VARCHAR
      )`,
      `CREATE TABLE countries (
        iso3 VARCHAR PRIMARY KEY,
        iso_numeric INTEGER,
        name_en VARCHAR NOT NULL,
        name_zh VARCHAR,
        is_aggregate BOOLEAN NOT NULL DEFAULT false,
        dataset_id INTEGER
      )`,
      // Source-specific codes mapped to ISO3 at the door (comtrade, census, imf, bea, user).
      `CREATE TABLE country_codes (
        system VARCHAR NOT NULL,
        code VARCHAR NOT NULL,
        iso3 VARCHAR NOT NULL,
        dataset_id INTEGER,
        PRIMARY KEY (system, code)
      )`,
      `CREATE TABLE country_groups (
        group_id VARCHAR PRIMARY KEY,
        name_en VARCHAR NOT NULL,
        name_zh VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        source_title VARCHAR NOT NULL,
        source_url VARCHAR NOT NULL,
        note VARCHAR,
        origin VARCHAR NOT NULL           -- builtin | user file path
      )`,
      `CREATE TABLE country_group_members (
        group_id VARCHAR NOT NULL,
        iso3 VARCHAR NOT NULL,
        from_date DATE NOT NULL,
        to_date DATE,                     -- last day of membership, NULL while a member
        note VARCHAR
      )`,
      `CREATE TABLE products (
        classification VARCHAR NOT NULL,
        code VARCHAR NOT NULL,
        level TINYINT NOT NULL,
        description VARCHAR,
        parent VARCHAR,
        section VARCHAR,
        dataset_id INTEGER NOT NULL,
        PRIMARY KEY (classification, code)
      )`,
      `CREATE TABLE concordances (
        from_classification VARCHAR NOT NULL,
        from_code VARCHAR NOT NULL,
        to_classification VARCHAR NOT NULL,
        to_code VARCHAR NOT NULL,
        relationship VARCHAR,
        weight DOUBLE,
        dataset_id INTEGER NOT NULL
      )`,
      `CREATE TABLE product_groups (
        group_set VARCHAR NOT NULL,       -- bec-stage, bec-category, manufacturing, hightech, s301, user:...
        group_name VARCHAR NOT NULL,
        classification VARCHAR NOT NULL,
        code VARCHAR NOT NULL,
        dataset_id INTEGER
      )`,
      `CREATE TABLE settings (key VARCHAR PRIMARY KEY, value VARCHAR)`,
      `CREATE TABLE reference_packs (
        pack VARCHAR PRIMARY KEY,
        dataset_id INTEGER NOT NULL,
        installed_at TIMESTAMP NOT NULL DEFAULT current_timestamp
      )`,
    ],
  },
  {
    version: 2,
    description: 'flow attributes with few values as enums (cheaper to write and scan; unknown values refused)',
    statements: [
      `CREATE TYPE flow_side AS ENUM ('exporter', 'importer', 'reconciled')`,
      `CREATE TYPE flow_valuation AS ENUM ('FOB', 'CIF', 'customs', 'mixed')`,
      `CREATE TYPE flow_classification AS ENUM ('TOTAL', 'HS1992', 'HS1996', 'HS2002', 'HS2007', 'HS2012', 'HS2017', 'HS2022')`,
      `ALTER TABLE flows ALTER reporter_side SET DATA TYPE flow_side`,
      `ALTER TABLE flows ALTER valuation SET DATA TYPE flow_valuation`,
      `ALTER TABLE flows ALTER classification SET DATA TYPE flow_classification`,
    ],
  },
  {
    version: 3,
    description:
      'measures registry (measures, sources, products, tariff lists), tariff lines by date, tariff exclusions, screening-list snapshots, Federal Register documents, ISO alpha-2 codes',
    statements: [
      `CREATE TABLE measures (
        measure_id VARCHAR PRIMARY KEY,
        origin VARCHAR NOT NULL,          -- builtin | path of a user file
        dataset_id INTEGER,
        announced VARCHAR NOT NULL,       -- as known: YYYY, YYYY-MM or YYYY-MM-DD
        announced_from DATE NOT NULL,     -- first day the announced date can mean
        effective DATE,
        ended DATE,
        actor VARCHAR NOT NULL,
        targets VARCHAR NOT NULL,         -- comma-separated ISO3 or group ids
        instrument VARCHAR NOT NULL,
        field VARCHAR NOT NULL,
        countermeasure BOOLEAN NOT NULL,
        title_en VARCHAR NOT NULL,
        title_zh VARCHAR NOT NULL,
        summary_en VARCHAR NOT NULL,
        summary_zh VARCHAR NOT NULL,
        legal_basis VARCHAR NOT NULL,
        entity_count INTEGER,
        confidence VARCHAR NOT NULL,
        confidence_note VARCHAR,
        file VARCHAR NOT NULL,
        line INTEGER NOT NULL
      )`,
      `CREATE TABLE measure_changes (measure_id VARCHAR NOT NULL, date VARCHAR NOT NULL, rate_pct DOUBLE, en VARCHAR NOT NULL, zh VARCHAR NOT NULL)`,
      `CREATE TABLE measure_sources (measure_id VARCHAR NOT NULL, publisher VARCHAR NOT NULL, title VARCHAR NOT NULL, date VARCHAR NOT NULL, url VARCHAR NOT NULL, locator VARCHAR)`,
      `CREATE TABLE measure_products (measure_id VARCHAR NOT NULL, classification VARCHAR NOT NULL, code VARCHAR NOT NULL, rate_pct DOUBLE, from_date DATE, note VARCHAR)`,
      `CREATE TABLE measure_tariff_lists (
        measure_id VARCHAR NOT NULL, list VARCHAR NOT NULL, heading VARCHAR, value_usd_bn DOUBLE,
        from_date DATE NOT NULL, rate_pct DOUBLE NOT NULL, suspended DATE, note VARCHAR
      )`,
      `CREATE TABLE measure_papers (measure_id VARCHAR NOT NULL, paper VARCHAR NOT NULL, date VARCHAR NOT NULL)`,
      // Additional duties by tariff line: the rate in force from from_date (inclusive) to to_date (exclusive, NULL
      // = open).
      `CREATE TABLE tariff_lines (
        dataset_id INTEGER NOT NULL,
        importer VARCHAR NOT NULL,
        exporter VARCHAR NOT NULL,
        line VARCHAR NOT NULL,            -- national tariff line (HTS8) or HS6
        digits TINYINT NOT NULL,
        list VARCHAR,                     -- e.g. 34b, 200b, 300b_a; NULL when the source gives rates only
        measure_id VARCHAR,
        from_date DATE NOT NULL,
        to_date DATE,
        rate_pct DOUBLE NOT NULL,
        rate_kind VARCHAR NOT NULL        -- additional (duty on top of MFN) | total (applied rate including MFN)
      )`,
      `ALTER TABLE countries ADD COLUMN iso2 VARCHAR`,
      // Snapshots of the US Consolidated Screening List: one row per entry and country of address.
      `CREATE TABLE screening_entries (
        dataset_id INTEGER NOT NULL, snapshot DATE NOT NULL, list VARCHAR NOT NULL, source VARCHAR NOT NULL,
        entry_id VARCHAR NOT NULL, name VARCHAR NOT NULL, entity_type VARCHAR, country VARCHAR,
        start_date DATE, federal_register_notice VARCHAR, programs VARCHAR
      )`,
      // Federal Register document metadata (its public API).
      `CREATE TABLE fr_documents (
        dataset_id INTEGER NOT NULL, document_number VARCHAR NOT NULL, publication_date DATE NOT NULL, doc_type VARCHAR,
        title VARCHAR NOT NULL, agencies VARCHAR, html_url VARCHAR, abstract VARCHAR
      )`,
      `CREATE TABLE tariff_exclusions (
        dataset_id INTEGER NOT NULL, importer VARCHAR NOT NULL, exporter VARCHAR NOT NULL,
        line VARCHAR NOT NULL, digits TINYINT NOT NULL, batch INTEGER, measure_id VARCHAR
      )`,
    ],
  },
  {
    version: 4,
    description:
      'datasets record whether their flows have one row per flow key after mapping codes to ISO3, and whether they hold aggregates (lets indicators read them without regrouping or filtering)',
    statements: [
      `ALTER TABLE datasets ADD COLUMN unique_keys BOOLEAN`,
      `ALTER TABLE datasets ADD COLUMN has_aggregates BOOLEAN`,
    ],
  },
  {
    version: 5,
    description:
      'flow exporters and importers as the enum economy_code (every three-letter code, plus ? for a code an import could not map): two bytes a row instead of a string, cheaper to write, group and join; datasets record their size in bytes',
    statements: [
      // All 17,576 codes AAA..ZZZ, so that any ISO 3166 alpha-3 code or documented aggregate fits without
      // changing the type (DuckDB enums cannot grow). '?' sorts before 'A', so the order is that of the text.
      `CREATE TYPE economy_code AS ENUM (
        SELECT code FROM (
          SELECT '?' AS code
          UNION ALL
          SELECT chr(CAST(65 + a AS INTEGER)) || chr(CAST(65 + b AS INTEGER)) || chr(CAST(65 + c AS INTEGER))
          FROM range(26) x(a), range(26) y(b), range(26) z(c))
        ORDER BY code)`,
      `ALTER TABLE flows ALTER exporter SET DATA TYPE economy_code`,
      `ALTER TABLE flows ALTER importer SET DATA TYPE economy_code`,
      `ALTER TABLE datasets ADD COLUMN bytes BIGINT`,
    ],
  },
  {
    version: 6,
    description:
      'flows becomes a view over flow_records (every source, every attribute per row) and reconciled_hs6_flows (BACI-style reconciled HS6 flows, FOB, quantities in metric tons: eight stored columns instead of seventeen, so a large file is written in about two thirds of the time)',
    statements: [
      `ALTER TABLE flows RENAME TO flow_records`,
      `CREATE TABLE reconciled_hs6_flows (
        dataset_id INTEGER NOT NULL,
        year SMALLINT NOT NULL,
        exporter economy_code NOT NULL,
        importer economy_code NOT NULL,
        classification flow_classification NOT NULL,
        product VARCHAR NOT NULL,         -- six digits
        value_usd DOUBLE NOT NULL,        -- FOB
        quantity DOUBLE                   -- metric tons
      )`,
      // Readers see one table with every attribute; the second branch supplies the constants of its layout.
      `CREATE VIEW flows AS
        SELECT dataset_id, year, month, exporter, importer, reporter_side, classification, product_level, product,
               value_usd, quantity, quantity_unit, valuation, cif_usd, fob_usd, duty_usd, flag
        FROM flow_records
        UNION ALL
        SELECT dataset_id, year, CAST(NULL AS TINYINT), exporter, importer, CAST('reconciled' AS flow_side), classification,
               CAST(6 AS TINYINT), product, value_usd, quantity, 't', CAST('FOB' AS flow_valuation),
               CAST(NULL AS DOUBLE), CAST(NULL AS DOUBLE), CAST(NULL AS DOUBLE), CAST(NULL AS VARCHAR)
        FROM reconciled_hs6_flows`,
    ],
  },
  {
    version: 7,
    description:
      'datasets record their state (loading until the rows and the dataset commit together, then complete) and a content hash of their parsed rows, so an interrupted import can be found and removed on the next open, and the same rows in other bytes recognised',
    statements: [
      `ALTER TABLE datasets ADD COLUMN status VARCHAR DEFAULT 'complete'`,
      `ALTER TABLE datasets ADD COLUMN content_hash VARCHAR`,
    ],
  },
  {
    version: 8,
    description:
      'the flows view gives values as exact decimals (US$ to the cent), so that every sum over flows is exact and the same whatever the order of the rows (import order, parallel scans); stored values stay doubles',
    statements: [
      `CREATE OR REPLACE VIEW flows AS
        SELECT dataset_id, year, month, exporter, importer, reporter_side, classification, product_level, product,
               CAST(value_usd AS DECIMAL(18, 2)) AS value_usd, quantity, quantity_unit, valuation,
               CAST(cif_usd AS DECIMAL(18, 2)) AS cif_usd, CAST(fob_usd AS DECIMAL(18, 2)) AS fob_usd, CAST(duty_usd AS DECIMAL(18, 2)) AS duty_usd, flag
        FROM flow_records
        UNION ALL
        SELECT dataset_id, year, CAST(NULL AS TINYINT), exporter, importer, CAST('reconciled' AS flow_side), classification,
               CAST(6 AS TINYINT), product, CAST(value_usd AS DECIMAL(18, 2)), quantity, 't', CAST('FOB' AS flow_valuation),
               CAST(NULL AS DECIMAL(18, 2)), CAST(NULL AS DECIMAL(18, 2)), CAST(NULL AS DECIMAL(18, 2)), CAST(NULL AS VARCHAR)
        FROM reconciled_hs6_flows`,
    ],
  },
  {
    version: 9,
    description:
      'the tariff stack: MFN (column 1 general) rates by tariff line and year from the USITC tariff database; exclusions and exemptions carry their dates and scope; registry tariff lists say whether they cover listed lines or all goods of the target, and whether they exclude',
    statements: [
      `CREATE TABLE mfn_rates (
        dataset_id INTEGER NOT NULL, importer VARCHAR NOT NULL, year SMALLINT NOT NULL, line VARCHAR NOT NULL,
        description VARCHAR, rate_text VARCHAR, rate_type VARCHAR,
        ad_valorem_pct DOUBLE,   -- the ad valorem part, percent
        specific_rate DOUBLE,    -- US$ per unit of quantity_unit; 0 when none
        other_rate DOUBLE,       -- the third component of compound rates; 0 when none
        quantity_unit VARCHAR, from_date DATE, to_date DATE
      )`,
      `ALTER TABLE tariff_exclusions ADD COLUMN from_date DATE`,
      `ALTER TABLE tariff_exclusions ADD COLUMN to_date DATE`,
      `ALTER TABLE tariff_exclusions ADD COLUMN scope VARCHAR`,
      `ALTER TABLE measure_tariff_lists ADD COLUMN scope VARCHAR`,
      `ALTER TABLE measure_tariff_lists ADD COLUMN exclusion BOOLEAN`,
    ],
  },
  {
    version: 10,
    description:
      "a measure's change can scale its own additional duties (China's halving of 14 February 2020), for rates given as totals by date",
    statements: [`ALTER TABLE measure_changes ADD COLUMN rate_factor DOUBLE`],
  },
  {
    version: 11,
    description: "a measure's product lines name where the line list comes from (export controls' HS lines)",
    statements: [`ALTER TABLE measure_products ADD COLUMN source VARCHAR`],
  },
  {
    version: 12,
    description:
      'Federal Register documents carry the entities they add, in all and in China, where a source file counts them, and how',
    statements: [
      `ALTER TABLE fr_documents ADD COLUMN entities_added INTEGER`,
      `ALTER TABLE fr_documents ADD COLUMN entities_added_chn INTEGER`,
      `ALTER TABLE fr_documents ADD COLUMN entity_count_basis VARCHAR`,
    ],
  },
  {
    version: 13,
    description:
      'what is new: each fetch is recorded with its arguments and the datasets it brought, so decouple update can repeat it; each update run records what changed (new datasets, revisions, new documents)',
    statements: [
      `CREATE TABLE fetch_requests (
        request_id INTEGER NOT NULL, command VARCHAR NOT NULL, args VARCHAR NOT NULL,
        first_run TIMESTAMP NOT NULL, last_run TIMESTAMP NOT NULL
      )`,
      `CREATE TABLE fetch_request_datasets (request_id INTEGER NOT NULL, dataset_id INTEGER NOT NULL)`,
      `CREATE TABLE update_runs (
        run_id INTEGER NOT NULL, started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP, requests INTEGER, failed INTEGER
      )`,
      `CREATE TABLE update_changes (
        run_id INTEGER NOT NULL, request_id INTEGER NOT NULL, change VARCHAR NOT NULL, source VARCHAR,
        new_dataset_id INTEGER, previous_dataset_id INTEGER,
        compared BIGINT, moved BIGINT, added BIGINT, dropped BIGINT, max_abs_change DOUBLE, largest VARCHAR, note VARCHAR
      )`,
    ],
  },
];

/** Returns the schema version this build of the program expects. */
export function latestSchemaVersion(): number {
  return MIGRATIONS[MIGRATIONS.length - 1].version;
}
