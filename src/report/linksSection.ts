import type { Row, Store } from '../store/store.js';
import type { Iso3 } from '../core/index.js';
import { findIndicator } from '../indicators/registry.js';
import { indicatorDefaults, round, type IndicatorResult } from '../indicators/params.js';
import { decouplingIndex } from '../indicators/decouplingIndex.js';
import { GDP_WINDOW_YEARS, MONTHLY_WINDOW } from '../indicators/cycleCorrelation.js';
import { linkSentence, pairLinkSeries } from './linkSeries.js';
import { storedSeries } from '../indicators/storedSeries.js';
import type { Lang, ReportChart, ReportSection } from './reportModel.js';
import { fixedNumber } from './localeNumber.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Sources as the report names them. */
const SOURCES: Record<string, { en: string; zh: string }> = {
  students: { en: 'IIE Open Doors', zh: '美国国际教育协会《门户开放报告》' },
  coauthorship: { en: 'NSF NCSES, Science and Engineering Indicators', zh: '美国国家科学基金会《科学与工程指标》' },
  treasury: {
    en: 'US Treasury, TIC Major Foreign Holders of Treasury Securities',
    zh: '美国财政部国际资本流动报告（主要外国持有者）',
  },
  weo: { en: 'IMF World Economic Outlook', zh: '国际货币基金组织《世界经济展望》' },
  batis: { en: 'OECD-WTO Balanced Trade in Services (BaTIS)', zh: '经合组织—世贸组织平衡服务贸易数据库' },
  bea: { en: 'BEA', zh: '美国经济分析局' },
  equity: { en: 'daily closing levels of the main equity indices', zh: '主要股指日收盘价' },
};

/** The dimensions of the decoupling index as the report names them. */
const DIMENSIONS: Record<string, { en: string; zh: string }> = {
  trade_intensity: { en: 'Trade intensity', zh: '贸易强度' },
  gdp_growth_corr: { en: 'GDP growth correlation', zh: 'GDP增速相关性' },
  equity_return_corr: { en: 'Equity return correlation', zh: '股市收益率相关性' },
  treasury_share: { en: 'Holdings of US Treasuries', zh: '美国国债持有' },
  students_share: { en: 'Students', zh: '留学生' },
  coauthor_share: { en: 'Co-authored articles', zh: '合著论文' },
};

/** Indicators the section reads itself; the generic list of loaded link series leaves them out. */
const OWN_SERIES =
  /^(students_in_us|us_doctorates_temporary_visa.*|us_intl_articles_coauthor_share|intl_articles_us_coauthor_share|batis_services_.*)$/;

const fmt = (lang: Lang, v: number, digits = 2) => fixedNumber(lang, v, digits);
/** Returns US$ as the reader reads it: 亿美元 or US$ bn. */
const usd = (lang: Lang, v: number) =>
  lang === 'zh' ? `${fmt(lang, v / 1e8, 0)}亿美元` : `US$${fmt(lang, v / 1e9, 1)} bn`;
const count = (lang: Lang, v: number) => fmt(lang, v, 0);
/** Returns a label for the middle of an English sentence: first letter lower-cased unless it starts an acronym. */
const inline = (x: string) => (/^[A-Z][a-z]/.test(x) ? x[0].toLowerCase() + x.slice(1) : x);

async function run(
  id: string,
  p: Partial<Parameters<typeof indicatorDefaults>[0]>,
  store: Store,
): Promise<IndicatorResult> {
  return findIndicator(id).compute(store, indicatorDefaults(p));
}

/** Returns a line chart of some columns of rows by a period field, one line per column, as a Vega-Lite spec. */
function lineChart(
  id: string,
  title: string,
  rows: Row[],
  x: string,
  series: Array<{ column: string; label: string }>,
  yTitle: string,
  lang: Lang,
): ReportChart {
  const zh = lang === 'zh';
  const xTitle = x === 'academic_year' ? (zh ? '学年' : 'Academic year') : zh ? '年份' : 'Year';
  const values = rows.flatMap((r) =>
    series
      .filter((s) => typeof r[s.column] === 'number')
      .map((s) => ({ x: r[x], value: r[s.column], series: s.label })),
  );
  return {
    id,
    title,
    spec: {
      $schema: SCHEMA,
      width: 480,
      height: 200,
      data: { values },
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'x', type: 'ordinal', title: xTitle },
        y: { field: 'value', type: 'quantitative', title: yTitle },
        color: { field: 'series', type: 'nominal', title: null },
      },
    },
  };
}

/**
 * Returns the section on investment, people, research and financial links for a pair: economic size (WEO),
 * students (Open Doors), co-authorship (NCSES), holdings of US Treasuries (TIC), services from both sides (BEA,
 * BaTIS), business-cycle and market synchronisation, and any other link series loaded; each part says what to
 * import when its data are missing.
 */
export async function linksSection(
  store: Store,
  R: Iso3,
  P: Iso3,
  lang: Lang,
  title: string,
  years?: [number, number],
): Promise<ReportSection> {
  const sec: ReportSection = { id: 'links', title, findings: [], tables: [], charts: [], missing: [] };
  const zh = lang === 'zh';
  const other = R === 'USA' ? P : P === 'USA' ? R : undefined;
  const usa = 'USA' as Iso3;

  // Economic size.
  const size = await run('relative-gdp', { reporter: R, partner: P }, store);
  if (size.rows.length) {
    const actual = size.rows.filter((r) => !r.projection);
    const first = actual[0];
    const last = actual[actual.length - 1];
    const proj = size.rows[size.rows.length - 1];
    sec.tables.push({
      id: 'links-relative-gdp',
      title: zh ? `${R}与${P}的相对经济规模` : `Economic size of ${R} relative to ${P}`,
      rows: size.rows.map((r) => ({
        year: r.year,
        reporter_gdp_usd: r.reporter_gdp_usd,
        partner_gdp_usd: r.partner_gdp_usd,
        relative_gdp_pct: r.relative_gdp_pct,
        relative_gdp_ppp_pct: r.relative_gdp_ppp_pct,
        projection: r.projection,
      })),
      notes: [
        zh
          ? `来源：${SOURCES.weo.zh}（现价美元GDP与购买力平价GDP）；“预测值”为该版本中最后实际年份之后的国际货币基金组织预测。`
          : `Source: ${SOURCES.weo.en} (GDP at current US$ and at PPP); "IMF projection" marks years after the last actual year of this vintage.`,
      ],
    });
    sec.findings.push({
      table: 'links-relative-gdp',
      text: zh
        ? `按现价美元计，${last.year}年${R}的GDP相当于${P}的${fmt(lang, Number(last.relative_gdp_pct), 1)}%（${first.year}年为${fmt(lang, Number(first.relative_gdp_pct), 1)}%）${proj.projection ? `；国际货币基金组织预测${proj.year}年为${fmt(lang, Number(proj.relative_gdp_pct), 1)}%` : ''}。`
        : `At current US dollars, ${R}'s GDP was ${fmt(lang, Number(last.relative_gdp_pct), 1)}% of ${P}'s in ${last.year} (${fmt(lang, Number(first.relative_gdp_pct), 1)}% in ${first.year})${proj.projection ? `; the IMF projects ${fmt(lang, Number(proj.relative_gdp_pct), 1)}% for ${proj.year}` : ''}.`,
    });
    sec.charts.push(
      lineChart(
        'links-relative-gdp-chart',
        zh ? `${R}的GDP相当于${P}的百分比` : `${R}'s GDP as a percentage of ${P}'s`,
        size.rows,
        'year',
        [
          { column: 'relative_gdp_pct', label: zh ? '现价美元' : 'current US$' },
          { column: 'relative_gdp_ppp_pct', label: zh ? '购买力平价' : 'PPP' },
        ],
        '%',
        lang,
      ),
    );
  } else
    sec.missing.push(
      zh
        ? `相对经济规模无法计算：未导入国际货币基金组织《世界经济展望》（decouple import weo 文件路径）。`
        : `Economic size not computable: the IMF World Economic Outlook is not loaded (decouple import weo FILE).`,
    );

  if (other) {
    // Students.
    const st = await run('students', { reporter: other, partner: usa, years }, store);
    if (st.rows.length) {
      const last = st.rows[st.rows.length - 1];
      const peak = st.rows.reduce((a, b) => (Number(b.students) > Number(a.students) ? b : a));
      const share = (r: Row) => (typeof r.share_pct === 'number' ? fmt(lang, r.share_pct, 1) : undefined);
      sec.tables.push({
        id: 'links-students',
        title: zh ? `在美${other}留学生` : `Students from ${other} in the United States`,
        // The main text: the first year, 2012/13 and 2017/18, the peak and the last three.
        keyRows: [
          ...new Set([
            0,
            ...st.rows.flatMap((r, i) =>
              ['2012/13', '2017/18'].includes(String(r.academic_year)) || r === peak ? [i] : [],
            ),
            ...[3, 2, 1].map((k) => st.rows.length - k).filter((i) => i >= 0),
          ]),
        ].sort((x, y) => x - y),
        rows: st.rows.map((r) => ({
          academic_year: r.academic_year,
          students: r.students,
          all_international_students: r.all_international_students,
          share_pct: r.share_pct,
        })),
        notes: [
          zh
            ? `来源：${SOURCES.students.zh}；按学年统计（秋季至次年夏季），未折算为自然年；国际学生总数为文件所列全部来源地（含未注明地区和无国籍者）之和。`
            : `Source: ${SOURCES.students.en}; academic years (autumn to summer), not converted to calendar years; all international students = the sum over every place of origin in the file, unspecified regions and stateless included.`,
        ],
      });
      sec.findings.push({
        table: 'links-students',
        text: zh
          ? `${last.academic_year}学年在美${other}留学生${count(lang, Number(last.students))}人${share(last) ? `，占在美国际学生的${share(last)}%` : ''}；峰值为${peak.academic_year}学年的${count(lang, Number(peak.students))}人${share(peak) ? `（${share(peak)}%）` : ''}。`
          : `${count(lang, Number(last.students))} students from ${other} were in the United States in ${last.academic_year}${share(last) ? `, ${share(last)}% of all international students` : ''}; the peak was ${count(lang, Number(peak.students))} in ${peak.academic_year}${share(peak) ? ` (${share(peak)}%)` : ''}.`,
      });
      sec.charts.push(
        lineChart(
          'links-students-chart',
          zh
            ? `${other}留学生占在美国际学生的比重`
            : `Students from ${other}, share of international students in the US`,
          st.rows,
          'academic_year',
          [{ column: 'share_pct', label: zh ? '占比' : 'share' }],
          '%',
          lang,
        ),
      );
    } else
      sec.missing.push(
        zh
          ? `留学生无法计算：未导入${SOURCES.students.zh}（decouple import open-doors 文件路径）。`
          : `Students not computable: IIE Open Doors is not loaded (decouple import open-doors FILE).`,
      );

    // Research doctorates earned in the US by temporary visa holders (NCSES, Survey of Earned Doctorates).
    const doc = await storedSeries(store, { indicator: 'us_doctorates_temporary_visa', country: other, partner: usa });
    const se = await storedSeries(store, {
      indicator: 'us_doctorates_temporary_visa:science-and-engineering',
      country: other,
      partner: usa,
      datasetId: doc.dataset?.id,
    });
    if (doc.points.length) {
      const seBy = new Map(se.points.map((x) => [x.year, x.value]));
      const rows = doc.points
        .filter((x) => !years || (x.year >= years[0] && x.year <= years[1]))
        .map((x) => ({ year: x.year, doctorates: x.value, doctorates_science_engineering: seBy.get(x.year) ?? null }));
      if (rows.length) {
        const last = rows[rows.length - 1];
        const peak = rows.reduce((a, b) => (b.doctorates > a.doctorates ? b : a));
        sec.tables.push({
          id: 'links-doctorates',
          title: zh
            ? `${other}持临时签证者获得的美国研究型博士学位`
            : `US research doctorates earned by temporary visa holders from ${other}`,
          rows,
          notes: [
            zh
              ? `来源：${SOURCES.coauthorship.zh}（博士学位获得者调查）；仅使用最新一版表格，不同版本不拼接。`
              : `Source: ${SOURCES.coauthorship.en} (Survey of Earned Doctorates); the latest edition only, editions not spliced.`,
          ],
        });
        sec.findings.push({
          table: 'links-doctorates',
          text: zh
            ? `${last.year}年，${other}持临时签证者获得美国研究型博士学位${count(lang, last.doctorates)}个${peak !== last ? `（${peak.year}年为${count(lang, peak.doctorates)}个）` : ''}。`
            : `${count(lang, last.doctorates)} US research doctorates went to temporary visa holders from ${other} in ${last.year}${peak !== last ? ` (${count(lang, peak.doctorates)} in ${peak.year})` : ''}.`,
        });
      }
    }

    // Co-authorship.
    const co = await run('coauthorship', { reporter: usa, partner: other, years }, store);
    if (co.rows.length) {
      const last = co.rows[co.rows.length - 1];
      const peak = co.rows.reduce((a, b) =>
        Number(b.us_intl_articles_with_partner_pct ?? -1) > Number(a.us_intl_articles_with_partner_pct ?? -1) ? b : a,
      );
      sec.tables.push({
        id: 'links-coauthorship',
        title: zh ? `美国与${other}的国际合著论文` : `Internationally co-authored articles of the US and ${other}`,
        rows: co.rows.map((r) => ({
          year: r.year,
          us_intl_articles_with_partner_pct: r.us_intl_articles_with_partner_pct,
          partner_intl_articles_with_us_pct: r.partner_intl_articles_with_us_pct,
        })),
        notes: [
          zh
            ? `来源：${SOURCES.coauthorship.zh}（爱思唯尔文献数据库，按整数计数法，一篇论文计入每个合作方）；仅使用最新一版表格，不同版本不拼接。`
            : `Source: ${SOURCES.coauthorship.en} (Scopus, whole counts: an article counts for every collaborating economy); the latest edition only, editions not spliced.`,
        ],
      });
      const a = (r: Row) => fmt(lang, Number(r.us_intl_articles_with_partner_pct), 2);
      sec.findings.push({
        table: 'links-coauthorship',
        text: zh
          ? `${last.year}年，美国国际合著论文中有${other}合作者的占${a(last)}%${peak !== last ? `（${peak.year}年最高，为${a(peak)}%）` : ''}${typeof last.partner_intl_articles_with_us_pct === 'number' ? `；${other}国际合著论文中有美国合作者的占${fmt(lang, last.partner_intl_articles_with_us_pct, 2)}%` : ''}。`
          : `In ${last.year}, ${a(last)}% of US internationally co-authored articles had a co-author from ${other}${peak !== last ? ` (the highest, ${a(peak)}%, in ${peak.year})` : ''}${typeof last.partner_intl_articles_with_us_pct === 'number' ? `; ${fmt(lang, last.partner_intl_articles_with_us_pct, 2)}% of ${other}'s had a US co-author` : ''}.`,
      });
      sec.charts.push(
        lineChart(
          'links-coauthorship-chart',
          zh ? `美国与${other}的合著论文比重` : `Co-authored articles, US and ${other}`,
          co.rows,
          'year',
          [
            {
              column: 'us_intl_articles_with_partner_pct',
              label: zh ? `美国论文中有${other}合作者` : `US articles with ${other}`,
            },
            {
              column: 'partner_intl_articles_with_us_pct',
              label: zh ? `${other}论文中有美国合作者` : `${other} articles with the US`,
            },
          ],
          '%',
          lang,
        ),
      );
    } else
      sec.missing.push(
        zh
          ? `合著论文无法计算：未导入${SOURCES.coauthorship.zh}表10004和10005（decouple import ncses）。`
          : `Co-authorship not computable: NCSES tables 10004 and 10005 are not loaded (decouple import ncses).`,
      );

    // Holdings of US Treasuries.
    const th = await run('treasury-holdings', { reporter: other, partner: usa, years }, store);
    if (th.rows.length) {
      const last = th.rows[th.rows.length - 1];
      const peak = th.rows.reduce((a, b) => (Number(b.holdings_usd) > Number(a.holdings_usd) ? b : a));
      sec.tables.push({
        id: 'links-treasury',
        title: zh ? `${other}持有的美国国债（年末）` : `US Treasury securities held in ${other} (end of year)`,
        rows: th.rows.map((r) => ({
          year: r.year,
          holdings_usd: r.holdings_usd,
          all_foreign_usd: r.all_foreign_usd,
          share_pct: r.share_pct,
          series_break: r.series_break,
        })),
        notes: [
          zh
            ? `来源：${SOURCES.treasury.zh}；按托管地统计，经其他地区托管机构持有的部分计入托管地；基准调整月份采用新序列。`
            : `Source: ${SOURCES.treasury.en}; by country of the custodian (holdings through custodians elsewhere count there); new series at benchmark revisions.`,
        ],
      });
      const share = (r: Row) => (typeof r.share_pct === 'number' ? `${fmt(lang, r.share_pct, 2)}%` : '');
      sec.findings.push({
        table: 'links-treasury',
        text: zh
          ? `${last.year}年末${other}持有美国国债${usd(lang, Number(last.holdings_usd))}，占外国持有总额的${share(last)}；${peak.year}年末为${usd(lang, Number(peak.holdings_usd))}（${share(peak)}）。`
          : `Holdings of US Treasury securities in ${other} were ${usd(lang, Number(last.holdings_usd))} at the end of ${last.year}, ${share(last)} of all foreign holdings; ${usd(lang, Number(peak.holdings_usd))} (${share(peak)}) at the end of ${peak.year}.`,
      });
      sec.charts.push(
        lineChart(
          'links-treasury-chart',
          zh ? `${other}持有美国国债占外国持有总额的比重` : `${other}'s share of foreign holdings of US Treasuries`,
          th.rows,
          'year',
          [{ column: 'share_pct', label: zh ? '占比' : 'share' }],
          '%',
          lang,
        ),
      );
    } else
      sec.missing.push(
        zh
          ? `美国国债持有无法计算：未导入${SOURCES.treasury.zh}（decouple import tic-mfh 文件路径）。`
          : `Treasury holdings not computable: TIC Major Foreign Holders is not loaded (decouple import tic-mfh FILE).`,
      );
  }

  // Services from both sides.
  const sm = await run('services-mirror', { reporter: R, partner: P, years }, store);
  const withBatis = sm.rows.filter((r) => typeof r.batis_usd === 'number');
  if (withBatis.length) {
    sec.tables.push({
      id: 'links-services-mirror',
      title: zh
        ? `${R}与${P}的服务贸易：双方统计与平衡估计`
        : `Services trade of ${R} and ${P}: each side's figures and the balanced estimate`,
      rows: sm.rows.map((r) => ({
        year: r.year,
        exporter: r.exporter,
        importer: r.importer,
        exporter_reported_usd: r.exporter_reported_usd,
        importer_reported_usd: r.importer_reported_usd,
        batis_usd: r.batis_usd,
        exporter_gap_pct: r.exporter_gap_pct,
        importer_gap_pct: r.importer_gap_pct,
      })),
      notes: [
        zh
          ? `来源：${SOURCES.bea.zh}（美方统计）；${SOURCES.batis.zh}（平衡估计，调和双方进出口统计，非任何一方的官方数据）；差距 =（一方统计 − 平衡估计）÷ 平衡估计。`
          : `Sources: ${SOURCES.bea.en} (US figures); ${SOURCES.batis.en} (balanced estimates reconciling both sides, neither side's official figures); gap = (a side's figure − balanced estimate) ÷ balanced estimate.`,
      ],
    });
    const lastGap = [...withBatis]
      .reverse()
      .find((r) => typeof r.exporter_gap_pct === 'number' || typeof r.importer_gap_pct === 'number');
    if (lastGap) {
      const side = typeof lastGap.exporter_gap_pct === 'number' ? 'exporter' : 'importer';
      const reporter = String(side === 'exporter' ? lastGap.exporter : lastGap.importer);
      const gap = Number(lastGap[`${side}_gap_pct`]);
      const reported = Number(lastGap[`${side}_reported_usd`]);
      sec.findings.push({
        table: 'links-services-mirror',
        text: zh
          ? `${lastGap.year}年，${reporter}统计的${side === 'exporter' ? `对${lastGap.importer}服务出口` : `自${lastGap.exporter}服务进口`}为${usd(lang, reported)}，比平衡估计（${usd(lang, Number(lastGap.batis_usd))}）${gap < 0 ? '低' : '高'}${fmt(lang, Math.abs(gap), 1)}%。`
          : `In ${lastGap.year}, ${reporter}'s figure for its services ${side === 'exporter' ? `exports to ${lastGap.importer}` : `imports from ${lastGap.exporter}`} was ${usd(lang, reported)}, ${fmt(lang, Math.abs(gap), 1)}% ${gap < 0 ? 'below' : 'above'} the balanced estimate (${usd(lang, Number(lastGap.batis_usd))}).`,
      });
    }
  } else
    sec.missing.push(
      zh
        ? `服务贸易双边镜像无法计算：未导入${SOURCES.batis.zh}（decouple import batis 文件路径，以 --reporter 指明报告方）。`
        : `The services mirror view is not computable: OECD-WTO BaTIS is not loaded (decouple import batis --reporter ISO3 FILE).`,
    );

  // Business-cycle and market synchronisation.
  const cc = await run('cycle-correlation', { reporter: R, partner: P, years }, store);
  if (cc.rows.length) {
    const lastGdp = [...cc.rows].reverse().find((r) => typeof r.gdp_growth_corr === 'number');
    const eq = cc.rows.filter((r) => typeof r.equity_return_corr === 'number');
    const lastEq = eq[eq.length - 1];
    const peakEq = eq.length
      ? eq.reduce((a, b) => (Number(b.equity_return_corr) > Number(a.equity_return_corr) ? b : a))
      : undefined;
    sec.tables.push({
      id: 'links-cycle',
      title: zh ? `${R}与${P}的经济周期与市场同步性` : `Business-cycle and market synchronisation of ${R} and ${P}`,
      rows: cc.rows.map((r) => ({
        year: r.year,
        gdp_growth_corr: r.gdp_growth_corr,
        equity_return_corr: r.equity_return_corr,
        industrial_production_corr: r.industrial_production_corr,
      })),
      notes: [
        zh
          ? `来源：${SOURCES.weo.zh}（实际GDP增速，仅用实际值，${GDP_WINDOW_YEARS}年滚动相关）；${SOURCES.equity.zh}（月末收盘价的月度对数收益率，截至当年12月的${MONTHLY_WINDOW}个月，以本币计价）。`
          : `Sources: ${SOURCES.weo.en} (real GDP growth, actual years only, ${GDP_WINDOW_YEARS}-year rolling correlation); ${SOURCES.equity.en} (monthly log returns of month-end closes, ${MONTHLY_WINDOW} months to December, in local currency).`,
      ],
    });
    const parts: string[] = [];
    if (lastGdp)
      parts.push(
        zh
          ? `截至${lastGdp.year}年的${GDP_WINDOW_YEARS}年间，两国实际GDP增速的相关系数为${fmt(lang, Number(lastGdp.gdp_growth_corr), 2)}`
          : `over the ${GDP_WINDOW_YEARS} years to ${lastGdp.year}, the correlation of the two economies' real GDP growth was ${fmt(lang, Number(lastGdp.gdp_growth_corr), 2)}`,
      );
    if (lastEq && peakEq)
      parts.push(
        zh
          ? `截至${lastEq.year}年12月的${MONTHLY_WINDOW}个月，两国主要股指月度收益率的相关系数为${fmt(lang, Number(lastEq.equity_return_corr), 2)}（${peakEq.year}年最高，为${fmt(lang, Number(peakEq.equity_return_corr), 2)}）`
          : `over the ${MONTHLY_WINDOW} months to December ${lastEq.year}, the correlation of their main equity indices' monthly returns was ${fmt(lang, Number(lastEq.equity_return_corr), 2)} (the highest, ${fmt(lang, Number(peakEq.equity_return_corr), 2)}, in ${peakEq.year})`,
      );
    if (parts.length)
      sec.findings.push({
        table: 'links-cycle',
        text: zh ? `${parts.join('；')}。` : `${parts[0][0].toUpperCase()}${parts.join('; ').slice(1)}.`,
      });
    sec.charts.push(
      lineChart(
        'links-cycle-chart',
        zh ? `${R}与${P}的滚动相关系数` : `Rolling correlations, ${R} and ${P}`,
        cc.rows,
        'year',
        [
          {
            column: 'gdp_growth_corr',
            label: zh ? `实际GDP增速（${GDP_WINDOW_YEARS}年）` : `real GDP growth (${GDP_WINDOW_YEARS} years)`,
          },
          {
            column: 'equity_return_corr',
            label: zh ? `股市月度收益率（${MONTHLY_WINDOW}个月）` : `equity returns (${MONTHLY_WINDOW} months)`,
          },
        ],
        zh ? '相关系数' : 'correlation',
        lang,
      ),
    );
  } else
    sec.missing.push(
      zh
        ? `经济周期同步性无法计算：未导入两国的实际GDP增速（decouple import weo 文件路径）或股指（decouple import equity-indices 文件路径）。`
        : `Business-cycle synchronisation not computable: real GDP growth (decouple import weo FILE) or equity indices (decouple import equity-indices FILE) of both are not loaded.`,
    );

  // Any other link series loaded for the pair (FDI and the like, imported with decouple import csv).
  for (const ls of (await pairLinkSeries(store, R, P, years)).filter((s) => !OWN_SERIES.test(s.indicator))) {
    const id = `links-${ls.indicator}-${ls.country}-${ls.partner}`;
    sec.tables.push({
      id,
      title: `${ls.indicator} (${ls.country} → ${ls.partner}, ${ls.unit})`,
      rows: ls.rows,
      notes: [`kind: ${ls.kind}`],
    });
    sec.findings.push({ table: id, text: linkSentence(ls, lang) });
    if (ls.rows.length > 1)
      sec.charts.push(
        lineChart(
          `${id}-chart`,
          `${ls.indicator} (${ls.country} → ${ls.partner}, ${ls.unit})`,
          ls.rows,
          'year',
          [{ column: 'value', label: ls.indicator }],
          ls.unit,
          lang,
        ),
      );
  }
  return sec;
}

/**
 * Returns the section on the composite decoupling index for a pair: the table of its dimensions and the two
 * composites, a chart of each dimension's contribution (z / D) with the equal-weight index, and the weights.
 */
export async function decouplingIndexSection(
  store: Store,
  R: Iso3,
  P: Iso3,
  lang: Lang,
  title: string,
): Promise<ReportSection> {
  const sec: ReportSection = { id: 'index', title, findings: [], tables: [], charts: [], missing: [] };
  const zh = lang === 'zh';
  const res = await decouplingIndex(
    store,
    indicatorDefaults({ reporter: R, partner: P }),
    findIndicator('bilateral-share').compute,
  );
  if (!res.rows.length) {
    sec.missing.push(
      zh
        ? '综合脱钩指数无法计算：至少需要两个维度在三个以上相同年份有数据（贸易、周期、金融、人员、科研各维度的数据导入方法见上一节）。'
        : 'The composite decoupling index is not computable: it needs at least two dimensions with three or more common years (see the previous section for what to import).',
    );
    return sec;
  }
  const dims = Object.keys(res.rows[0])
    .filter((k) => k.endsWith('_z'))
    .map((k) => k.slice(0, -2));
  const label = (d: string) => DIMENSIONS[d]?.[lang] ?? d;
  const pc = res.components;
  const weightOf = new Map(pc?.dimensions.map((x) => [x.id, { w: round(x.weight, 4), l: round(x.loading, 4) }]));
  const years = res.rows.map((r) => Number(r.year));
  const withUs = R === 'USA' || P === 'USA';
  const left = Object.keys(DIMENSIONS).filter(
    (d) => !dims.includes(d) && (withUs || !['treasury_share', 'students_share', 'coauthor_share'].includes(d)),
  );
  sec.tables.push({
    id: 'index-decoupling',
    title: zh ? `${R}与${P}的综合脱钩指数` : `Composite decoupling index of ${R} and ${P}`,
    rows: res.rows.map((r) => {
      const out: Row = { year: r.year };
      for (const d of dims) out[d] = r[d];
      out.index_equal = r.index_equal;
      out.index_pca = r.index_pca;
      return out;
    }),
    notes: [
      zh
        ? `方法：各维度在${years[0]}—${years[years.length - 1]}年（各维度均有数据的${years.length}个年份）上标准化为z值（减去均值、除以标准差），0表示该时期平均水平，低于0表示联系弱于平均；等权重指数为各维度z值的平均，主成分指数以第一主成分载荷的平方为权重（经合组织与欧盟联合研究中心《综合指标构建手册》，2008）。`
        : `Method: each dimension is standardised to z-scores on ${years[0]}–${years[years.length - 1]} (the ${years.length} years every dimension has); 0 is the pair's average over these years, below 0 weaker links; the equal-weight index averages the z-scores, the principal-component index weights them by the squared loadings of the first principal component (OECD/JRC, Handbook on Constructing Composite Indicators, 2008).`,
      ...(pc
        ? [
            zh
              ? `主成分权重：${dims.map((d) => `${label(d)} ${weightOf.get(d)?.w}（载荷${weightOf.get(d)?.l}）`).join('，')}；第一主成分解释了${round(100 * pc.explained, 2)}%的方差。载荷符号相反的维度在这些年份中与其他维度反向变动。`
              : `Principal-component weights: ${dims.map((d) => `${label(d)} ${weightOf.get(d)?.w} (loading ${weightOf.get(d)?.l})`).join(', ')}; the first component explains ${round(100 * pc.explained, 2)}% of the variance. A loading of opposite sign means that dimension moved against the others over these years.`,
          ]
        : []),
      zh
        ? `维度：${dims.map(label).join('、')}${left.length ? `；未纳入（无数据，或纳入后共同年份过少）：${left.map(label).join('、')}` : ''}。`
        : `Dimensions: ${dims.map(label).join(', ')}${left.length ? `; left out (no data, or too few common years with it): ${left.map(label).join(', ')}` : ''}.`,
    ],
  });
  const first = res.rows[0];
  const last = res.rows[res.rows.length - 1];
  const moves = dims
    .map((d) => ({ d, change: Number(last[`${d}_z`]) - Number(first[`${d}_z`]) }))
    .sort((a, b) => a.change - b.change);
  const down = moves[0];
  const up = moves[moves.length - 1];
  sec.findings.push({
    table: 'index-decoupling',
    text: zh
      ? `以${years[0]}—${years[years.length - 1]}年平均为0，${last.year}年等权重综合指数为${fmt(lang, Number(last.index_equal), 2)}（${first.year}年为${fmt(lang, Number(first.index_equal), 2)}），主成分权重指数为${fmt(lang, Number(last.index_pca), 2)}；${first.year}至${last.year}年降幅最大的维度是${label(down.d)}（${fmt(lang, down.change, 2)}个标准差），升幅最大的是${label(up.d)}（${fmt(lang, up.change, 2)}个标准差）。`
      : `With the ${years[0]}–${years[years.length - 1]} average at 0, the equal-weight index was ${fmt(lang, Number(last.index_equal), 2)} in ${last.year} (${fmt(lang, Number(first.index_equal), 2)} in ${first.year}) and the principal-component index ${fmt(lang, Number(last.index_pca), 2)}; from ${first.year} to ${last.year} the largest fall was in ${inline(label(down.d))} (${fmt(lang, down.change, 2)} standard deviations) and the largest rise in ${inline(label(up.d))} (${fmt(lang, up.change, 2)}).`,
  });
  const D = dims.length;
  const bars = res.rows.flatMap((r) =>
    dims.map((d) => ({ year: r.year, dimension: label(d), contribution: Number(r[`${d}_z`]) / D })),
  );
  const line = res.rows.map((r) => ({ year: r.year, index: r.index_equal }));
  sec.charts.push({
    id: 'index-decoupling-chart',
    title: zh
      ? `综合脱钩指数（等权重）及各维度贡献`
      : 'Composite decoupling index (equal weights) and the contribution of each dimension',
    spec: {
      $schema: SCHEMA,
      width: 520,
      height: 240,
      layer: [
        {
          data: { values: bars },
          mark: { type: 'bar' },
          encoding: {
            x: { field: 'year', type: 'ordinal', title: zh ? '年份' : 'Year' },
            y: {
              field: 'contribution',
              type: 'quantitative',
              stack: 'zero',
              title: zh ? '标准差' : 'standard deviations',
            },
            color: { field: 'dimension', type: 'nominal', title: zh ? '维度' : 'dimension' },
          },
        },
        {
          data: { values: line },
          mark: { type: 'line', point: true, color: 'black' },
          encoding: { x: { field: 'year', type: 'ordinal' }, y: { field: 'index', type: 'quantitative' } },
        },
      ],
    },
  });
  return sec;
}
