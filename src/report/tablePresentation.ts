import type { Row } from '../store/store.js';
import type { Lang, ReportTable } from './reportModel.js';

/**
 * How the report shows a table to a reader (the JSON and the workbook keep
 * the raw rows): column names in the reader's language with units, values
 * formatted for the language (亿美元 or US$ bn, %, pp), economies by name,
 * categories translated; in the main text only the informative columns and
 * the years a reader needs, the full table in the appendix.
 */

/** What a column holds, which decides how its values are written. */
/** `usd_small`: monthly amounts of single products, in 万美元 or US$ million. */
type Unit = 'usd' | 'usd_small' | 'pct' | 'pp' | 'count' | 'index' | 'year' | 'economy' | 'text' | 'flag' | 'date';

interface ColumnSpec {
  en: string;
  zh: string;
  unit: Unit;
}

const C = (en: string, zh: string, unit: Unit): ColumnSpec => ({ en, zh, unit });

/** Every column the report's tables carry, named for readers. */
const COLUMNS: Record<string, ColumnSpec> = {
  year: C('Year', '年份', 'year'),
  month: C('Month', '月份', 'date'),
  measures: C('Measures', '措施数', 'count'),
  countermeasures: C('Countermeasures', '反制措施数', 'count'),
  field: C('Field', '领域', 'text'),
  actor: C('Actor', '实施方', 'economy'),
  target: C('Target', '针对方', 'economy'),
  instrument: C('Instrument', '政策工具', 'text'),
  announced: C('Announced', '宣布日期', 'date'),
  effective: C('In effect from', '生效日期', 'date'),
  title: C('Measure', '措施', 'text'),
  size: C('Scope', '涉及范围', 'text'),
  id: C('Identifier', '编号', 'text'),
  reporter: C('Reporter', '报告方', 'economy'),
  partner: C('Partner', '伙伴方', 'economy'),
  economy: C('Economy', '经济体', 'economy'),
  flow: C('Flow', '流向', 'text'),
  channel: C('Goods or services', '货物/服务', 'text'),
  partner_value_usd: C('With the partner', '与伙伴方贸易额', 'usd'),
  world_value_usd: C('With the world', '与世界贸易额', 'usd'),
  share_pct: C('Share', '占比', 'pct'),
  basis: C('Basis', '口径', 'text'),
  valuation: C('Valuation', '计价', 'text'),
  series_break: C('Series break', '序列断点', 'flag'),
  source: C('Source', '来源', 'economy'),
  alternatives: C('Other datasets', '其他数据集', 'text'),
  group: C('Group', '分组', 'text'),
  group_label: C('Group', '分组', 'text'),
  group_zh: C('Group', '分组', 'text'),
  from_year: C('From', '起始年', 'year'),
  to_year: C('To', '对比年', 'year'),
  value_from_usd: C('Value, first year', '起始年金额', 'usd'),
  value_to_usd: C('Value, second year', '对比年金额', 'usd'),
  change_usd: C('Change', '变化额', 'usd'),
  share_from_pct: C('Share, first year', '起始年份额', 'pct'),
  share_to_pct: C('Share, second year', '对比年份额', 'pct'),
  share_change_pp: C('Change in share', '份额变化', 'pp'),
  gain_where_source_fell_usd: C('Gain where the source fell', '来源下降产品上的增量', 'usd'),
  products_to: C('Products', '产品数', 'count'),
  products: C('Products', '产品数', 'count'),
  partner_usd: C('Partner', '伙伴方金额', 'usd'),
  partner_imports_usd: C("Partner's imports", '伙伴方进口额', 'usd'),
  share_of_partner_imports_pct: C("Share of the partner's imports", '占伙伴方进口比重', 'pct'),
  partner_share_pct: C('Partner share', '伙伴方份额', 'pct'),
  all_goods_pct: C('Duties on all goods', '全部商品加征', 'pct'),
  tariffs_on: C('Tariffs in force on', '关税生效日期', 'date'),
  datasets: C('Datasets', '数据集', 'text'),
  outcome: C('Outcome', '结果变量', 'text'),
  estimate: C('Estimate', '估计值', 'index'),
  se: C('Standard error', '标准误', 'index'),
  ci95_low: C('95% CI, low', '95%置信区间下限', 'index'),
  ci95_high: C('95% CI, high', '95%置信区间上限', 'index'),
  obs: C('Observations', '观测数', 'count'),
  groups_treated: C('Treated products', '受影响产品数', 'count'),
  groups_control: C('Control products', '对照产品数', 'count'),
  clusters: C('Clusters', '聚类数', 'count'),
  df: C('Degrees of freedom', '自由度', 'count'),
  note: C('Note', '说明', 'text'),
  k: C('Months from the measure', '距措施月数', 'count'),
  share_pct_treated_mean: C('Share, treated (mean)', '受影响产品份额均值', 'pct'),
  share_pct_control_mean: C('Share, control (mean)', '对照产品份额均值', 'pct'),
  share_pct_effect: C('Effect on the share', '份额效应', 'pp'),
  share_pct_ci95_low: C('Effect, 95% CI low', '效应95%下限', 'pp'),
  share_pct_ci95_high: C('Effect, 95% CI high', '效应95%上限', 'pp'),
  log_value_treated_mean: C('Log value, treated (mean)', '受影响产品对数金额均值', 'index'),
  log_value_control_mean: C('Log value, control (mean)', '对照产品对数金额均值', 'index'),
  log_value_effect: C('Effect on the log value', '对数金额效应', 'index'),
  log_value_ci95_low: C('Effect, 95% CI low', '效应95%下限', 'index'),
  log_value_ci95_high: C('Effect, 95% CI high', '效应95%上限', 'index'),
  destination: C('Destination', '目的地', 'economy'),
  registry_count: C('Entities in the registry', '措施库实体数', 'count'),
  documents: C('Federal Register documents', '《联邦公报》文件', 'text'),
  fr_entities_added: C('Entities added (documents)', '文件新增实体数', 'count'),
  fr_entities_added_chn: C('Of which in China (documents)', '其中中国实体', 'count'),
  check: C('Check', '对照结果', 'text'),
  before_usd: C('Monthly mean, before', '事件前月均出口额', 'usd_small'),
  after_usd: C('Monthly mean, after', '事件后月均出口额', 'usd_small'),
  change_pct: C('Change', '变化率', 'pct'),
  before_quantity: C("Monthly quantity, before (file's unit)", '事件前月均数量（原文件单位）', 'count'),
  after_quantity: C("Monthly quantity, after (file's unit)", '事件后月均数量（原文件单位）', 'count'),
  quantity_change_pct: C('Change in quantity', '数量变化率', 'pct'),
  design: C('Comparison', '比较设计', 'text'),
  relative_change_pct: C('Relative change', '相对变化', 'pct'),
  destinations: C('Destinations', '目的地数', 'count'),
  rank: C('Rank', '排名', 'count'),
  hs6: C('HS6', 'HS6 编码', 'text'),
  description: C('Product', '产品', 'text'),
  chapter_zh: C('HS chapter', '所属章（本项目译名）', 'text'),
  category: C('Category', '风险等级', 'text'),
  score: C('Score', '得分', 'index'),
  supplier_share_pct: C("Supplier's share", '供应方份额', 'pct'),
  supplier_imports_usd: C('Imports from the supplier', '自供应方进口额', 'usd'),
  imports_usd: C('Imports', '进口额', 'usd'),
  import_hhi: C('Import concentration (HHI)', '进口集中度（HHI）', 'index'),
  sources_coverage_pct: C('Sources covered', '来源覆盖率', 'pct'),
  allied_share_pct: C('Allied share', '盟友份额', 'pct'),
  world_export_hhi: C('World export concentration (HHI)', '世界出口集中度（HHI）', 'index'),
  supplier_world_export_share_pct: C("Supplier's world export share", '供应方占世界出口比重', 'pct'),
  outside_world_export_share_pct: C('World export share outside the group', '集团外占世界出口比重', 'pct'),
  outside_exporters: C('Exporters outside the group', '集团外出口方数', 'count'),
  dependence_test: C('Dependence test', '依赖性检验', 'text'),
  own_exports_usd: C('Own exports', '本方出口额', 'usd'),
  import_export_ratio: C('Imports / (imports + exports)', '进口/（进口+出口）', 'index'),
  stage: C('BEC stage', 'BEC 用途', 'text'),
  hightech: C('High technology', '高技术类别', 'text'),
  tariff_pct: C('Additional tariff', '加征关税', 'pct'),
  duty_paid_pct: C('Duty paid', '实缴税率', 'pct'),
  export_controls: C('Export controls', '出口管制', 'text'),
  why: C('Why', '说明', 'text'),
  vintage: C('Vintage', '版本', 'text'),
  file_name: C('File', '文件', 'text'),
  rows: C('Rows', '行数', 'count'),
  year_min: C('First year', '起始年', 'year'),
  year_max: C('Last year', '截止年', 'year'),
  kind: C('Kind', '类型', 'text'),
  url: C('Address', '网址', 'text'),
  imported_at: C('Imported', '导入时间', 'date'),
  notes: C('Notes', '说明', 'text'),
  sha256: C('SHA-256', 'SHA-256', 'text'),
  dataset_id: C('Dataset', '数据集编号', 'count'),
  date: C('Date', '日期', 'date'),
  actions: C('What changed', '变动', 'text'),
  average_pct: C('Average tariff', '平均关税', 'pct'),
  mfn_pct: C('MFN', '最惠国税率', 'pct'),
  section301_pct: C('Section 301', '301条款', 'pp'),
  section232_pct: C('Section 232', '232条款', 'pp'),
  ieepa_fentanyl_pct: C('IEEPA (fentanyl)', 'IEEPA（芬太尼）', 'pp'),
  ieepa_reciprocal_pct: C('IEEPA (reciprocal)', 'IEEPA（对等关税）', 'pp'),
  section122_pct: C('Section 122', '122条款', 'pp'),
  applied_pct: C('Rate file, net of later cuts', '税率文件所载税率（扣除其后减税）', 'pct'),
  rate_cuts_pct: C('Later cuts (derived)', '其后减税（推算）', 'pp'),
  later_lines_pct: C('Later duties on listed lines', '其后按税目加征', 'pp'),
  later_all_goods_pct: C('Later duty on all goods', '其后对全部商品加征', 'pp'),
  covered_pct: C('Trade under an additional duty', '加征关税覆盖的贸易', 'pct'),
  published_pct: C('Published (PIIE)', 'PIIE公布值', 'pct'),
  bown_hs6_section301_pct: C("Section 301 from Bown's HS6 file", 'Bown HS6文件所载301条款', 'pp'),
  academic_year: C('Academic year', '学年', 'date'),
  students: C('Students', '留学生人数', 'count'),
  doctorates: C('Research doctorates', '研究型博士学位', 'count'),
  doctorates_science_engineering: C('Of which science and engineering', '其中科学与工程', 'count'),
  all_international_students: C('All international students', '国际学生总数', 'count'),
  us_intl_articles_with_partner_pct: C(
    "US international articles with the partner's co-authors",
    '美国国际合著论文中有对方合作者的比重',
    'pct',
  ),
  partner_intl_articles_with_us_pct: C(
    "Partner's international articles with US co-authors",
    '对方国际合著论文中有美国合作者的比重',
    'pct',
  ),
  holdings_usd: C('Holdings', '持有额', 'usd'),
  all_foreign_usd: C('All foreign holders', '外国持有总额', 'usd'),
  reporter_gdp_usd: C("Reporter's GDP", '报告方GDP', 'usd'),
  partner_gdp_usd: C("Partner's GDP", '伙伴方GDP', 'usd'),
  relative_gdp_pct: C("GDP relative to the partner's", '相当于伙伴方GDP', 'pct'),
  relative_gdp_ppp_pct: C('The same at PPP', '按购买力平价计', 'pct'),
  projection: C('IMF projection', '预测值', 'flag'),
  exporter: C('Exporter', '出口方', 'economy'),
  scenario: C('Scenario', '情景', 'text'),
  exports_change_pct: C('Exports, change', '出口变化', 'pct'),
  imports_change_pct: C('Imports, change', '进口变化', 'pct'),
  price_index_change_pct: C('Price index, change', '价格指数变化', 'pct'),
  real_income_change_pct: C('Real income, change', '实际收入变化', 'pct'),
  imports_base_usd: C('Imports, baseline', '基线进口额', 'usd'),
  imports_new_usd: C('Imports, scenario', '情景进口额', 'usd'),
  largest_third_gain: C('Third economy gaining most', '增量最大的第三方', 'economy'),
  largest_third_gain_usd: C('Its gain', '其增量', 'usd'),
  importer: C('Importer', '进口方', 'economy'),
  exporter_reported_usd: C("Exporter's figure", '出口方统计', 'usd'),
  importer_reported_usd: C("Importer's figure", '进口方统计', 'usd'),
  batis_usd: C('Balanced estimate (BaTIS)', '平衡估计值', 'usd'),
  exporter_gap_pct: C("Exporter's figure vs balanced", '出口方统计与平衡估计之差', 'pct'),
  importer_gap_pct: C("Importer's figure vs balanced", '进口方统计与平衡估计之差', 'pct'),
  gdp_growth_corr: C('Real GDP growth correlation (5 years)', '实际GDP增速相关系数（5年）', 'index'),
  equity_return_corr: C('Equity return correlation (36 months)', '股市收益率相关系数（36个月）', 'index'),
  industrial_production_corr: C('Industrial production correlation (36 months)', '工业生产相关系数（36个月）', 'index'),
  trade_intensity: C('Trade intensity', '贸易强度', 'pct'),
  treasury_share: C('Share of foreign holdings of US Treasuries', '占美国国债外国持有额比重', 'pct'),
  students_share: C('Share of international students in the US', '占在美国际学生比重', 'pct'),
  coauthor_share: C('Share of US international articles', '占美国国际合著论文比重', 'pct'),
  index_equal: C('Index, equal weights', '综合指数（等权重）', 'index'),
  index_pca: C('Index, principal-component weights', '综合指数（主成分权重）', 'index'),
};

/** Chinese for the categories and states the tables carry (English cells stay as computed). */
const VALUES_ZH: Record<string, string> = {
  export: '出口',
  import: '进口',
  total: '贸易总额',
  goods: '货物',
  services: '服务',
  computed: '计算值',
  'computed (world row)': '计算值（世界合计）',
  "importer's imports": '进口方申报',
  "mirror (partners' exports)": '镜像（伙伴方出口申报）',
  'published (not computed)': '论文公布值',
  CIF: '到岸价',
  FOB: '离岸价',
  'CIF/FOB': '到岸价/离岸价',
  'balance-of-payments basis': '国际收支口径',
  'all products': '全部产品',
  critical: '极高',
  high: '高',
  watch: '关注',
  low: '低',
  'not rated': '未评级',
  'not computable': '无法计算',
  passed: '通过',
  failed: '未通过',
  capital: '资本品',
  consumption: '消费品',
  intermediate: '中间品',
  unassigned: '未归类',
  mixed: '多种用途',
  share_pct: '份额',
  log_value: '对数金额',
  log_quantity: '对数数量',
  products: '受管制子目对比对照子目',
  destination: '伙伴方对比其他目的地',
  'all destinations in the data': '数据所含全部目的地',
  'federal-register': '美国《联邦公报》',
  'same count': '一致',
  differs: '不一致',
  "outside the documents' dates": '不在文件日期范围内',
  'no counted document in the 14 days': '14天内无记有实体数的文件',
  "exporter's share of the importer's imports (%); b on Treated×Post":
    '出口方占进口方进口的份额（%）；系数为处理组×事件后',
  'log import value from the exporter; b on Treated×Post': '自出口方进口额的对数；系数为处理组×事件后',
  bea: '美国经济分析局',
  census: '美国人口普查局',
  comtrade: '联合国商品贸易数据库',
  dots: 'IMF 贸易方向统计',
  wits: 'WITS 贸易概要',
  baci: 'CEPII BACI',
  tariffs: '关税清单',
  'seed-figures': '论文公布数据',
  flows: '贸易流量',
  reference: '参考表',
  series: '时间序列',
  'pack:countries': '参考包：国家和地区',
  'pack:census-codes': '参考包：美国普查局国家代码',
  'pack:hs': '参考包：HS 编码',
  'pack:hs-bec': '参考包：HS–BEC 对照表',
  'pack:hs-vintages': '参考包：HS 版本转换表',
  'pack:hs-sitc': '参考包：HS–SITC 对照表',
  'pack:hs-isic': '参考包：HS–ISIC 对照表',
  'pack:census-atp': '参考包：先进技术产品（进口分类）',
  'pack:census-atp-exports': '参考包：先进技术产品（出口分类）',
  ALL: '全部',
  'section301-lists': '301条款清单',
  'usitc-headings': '美国国际贸易委员会第99章税号清单',
  'chapter99-codes': '第99章税号所列税目',
  'gta-scopes': '全球贸易预警（GTA）产品范围',
  'dated-hs6-rates': '按日期的HS6税率',
  'wide-line-rates': '按日期的税目税率',
  'action-changes': '逐项措施的HS6加征幅度（Bown）',
  'section301-exclusions': '301条款产品排除',
  'numbered-line-list': '编号税目清单',
  'equity-indices': '主要股指日收盘价',
  fred: '圣路易斯联储经济数据库',
  'iie-open-doors': '美国国际教育协会《门户开放报告》',
  'imf-weo': '国际货币基金组织《世界经济展望》',
  'ncses-sei': '美国国家科学基金会《科学与工程指标》',
  'oecd-wto-batis': '经合组织—世贸组织平衡服务贸易数据库',
  'us-treasury-tic': '美国财政部国际资本流动报告',
};

/** Chinese names of the FRED series the program imports. */
const FRED_ZH: Record<string, string> = {
  INDPRO: '美国工业生产指数',
  SPASTT01USM661N: '美国股价指数（经合组织）',
};

/** Returns the Chinese edition of the vintage labels of the people, research and finance sources, or undefined. */
function linkVintageZh(text: string): string | undefined {
  let m = /^daily closes (\S+) – (\S+)$/.exec(text);
  if (m) return `日收盘价，${m[1]}至${m[2]}`;
  m = /^FRED (\w+) vintage (\S+), (\S+) – (\S+)$/.exec(text);
  if (m) return `${FRED_ZH[m[1]] ?? '序列'}（${m[2]}版），${m[3]}至${m[4]}`;
  m = /^IIE Open Doors (\S+)–(\S+)$/.exec(text);
  if (m) return `${m[1]}—${m[2]}学年`;
  m = /^WEO (\d{4})-(\d{2})$/.exec(text);
  if (m) return `${m[1]}年${Number(m[2])}月版`;
  m = /^NCSES table (\d+)/.exec(text);
  if (m) return `表${m[1]}`;
  m = /^BaTIS BPM6 (\d{4})–(\d{4})$/.exec(text);
  if (m) return `国际收支手册第六版口径，${m[1]}—${m[2]}年`;
  m = /^TIC MFH (\S+)–(\S+)$/.exec(text);
  if (m) return `月末持有额，${m[1]}至${m[2]}`;
  return undefined;
}

/** Returns the reader's name of a column (a humanised field name where the report has none). */
export function columnLabel(column: string, lang: Lang): string {
  const spec = COLUMNS[column];
  if (!spec) return column.replace(/_/g, ' ');
  const unit =
    spec.unit === 'usd'
      ? lang === 'zh'
        ? '（亿美元）'
        : ' (US$ bn)'
      : spec.unit === 'usd_small'
        ? lang === 'zh'
          ? '（万美元）'
          : ' (US$ million)'
        : spec.unit === 'pct'
          ? lang === 'zh'
            ? '（%）'
            : ' (%)'
          : spec.unit === 'pp'
            ? lang === 'zh'
              ? '（百分点）'
              : ' (pp)'
            : '';
  return `${spec[lang]}${unit}`;
}

/** Returns the reader's names of the columns of some rows, by column, for the dashboard's tables. */
export function columnLabels(rows: Row[], lang: Lang): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of rows) for (const c of Object.keys(r)) out[c] ??= columnLabel(c, lang);
  return out;
}

/**
 * Returns how the reader sees the text and yes/no cells of some rows, by column and value (economies by name,
 * categories in the language), for the dashboard's tables: only values shown otherwise than stored.
 */
export function cellLabels(
  rows: Row[],
  lang: Lang,
  names: Record<string, string>,
): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const r of rows)
    for (const [c, v] of Object.entries(r)) {
      if (typeof v !== 'string' && typeof v !== 'boolean') continue;
      const key = String(v);
      if (out[c]?.[key] !== undefined) continue;
      const shown = cellText(c, v, lang, names);
      if (shown !== key) (out[c] ??= {})[key] = shown;
    }
  return out;
}

const numberFormat = (lang: Lang, digits: number) =>
  new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });

/**
 * Returns a value as the reader sees it in a column: scaled and rounded by unit, economies by name, categories
 * in the language.
 */
export function cellText(column: string, value: unknown, lang: Lang, names: Record<string, string>): string {
  if (value === null || value === undefined || value === '') return '—';
  const unit = COLUMNS[column]?.unit ?? (typeof value === 'number' ? 'index' : 'text');
  if (typeof value === 'boolean' || unit === 'flag') {
    const yes = value === true || value === 'true';
    return lang === 'zh' ? (yes ? '是' : '否') : yes ? 'yes' : 'no';
  }
  if (typeof value === 'number') {
    if (unit === 'year' || unit === 'date') return String(value);
    if (unit === 'usd') return numberFormat(lang, 1).format(value / (lang === 'zh' ? 1e8 : 1e9));
    if (unit === 'usd_small')
      return lang === 'zh' ? numberFormat(lang, 1).format(value / 1e4) : numberFormat(lang, 2).format(value / 1e6);
    if (unit === 'pct' || unit === 'pp') return numberFormat(lang, 2).format(value);
    if (unit === 'count')
      return Number.isInteger(value) ? numberFormat(lang, 0).format(value) : numberFormat(lang, 2).format(value);
    return numberFormat(lang, Math.abs(value) >= 100 ? 1 : 3).format(value);
  }
  const text = String(value);
  if (unit === 'economy' && names[text]) return names[text];
  // A list of economies (a measure's targets): each by name.
  if (unit === 'economy' && /^[A-Z]{3}(,[A-Z]{3})+$/.test(text))
    return text
      .split(',')
      .map((c) => names[c] ?? c)
      .join(lang === 'zh' ? '、' : ', ');
  if (lang === 'zh') {
    if (column === 'group' && text === 'none') return '未加征';
    if (VALUES_ZH[text]) return VALUES_ZH[text];
    const paper = (t: string) =>
      t.replace(
        /^Zhao & Liu \(2025\)(?:, paper (.*))?$/,
        (_, table?: string) => `赵春磊、刘子林（2025）${table ? `，${table}` : ''}`,
      );
    const published = /^published \(not computed\)(?::\s*(.*))?$/.exec(text);
    if (published) return published[1] ? `论文公布值：${paper(published[1])}` : '论文公布值';
    if (text.startsWith('Zhao & Liu (2025)')) return paper(text);
    const vintage = /^(DOTS|BEA|WITS Trade Summary) (?:to (\d{4})|(\d{4})-(\d{4}))$/.exec(text);
    if (vintage) {
      const label = { DOTS: 'IMF 贸易方向统计', BEA: '美国经济分析局', 'WITS Trade Summary': 'WITS 贸易概要' }[
        vintage[1]
      ];
      return vintage[2] ? `${label}（截至${vintage[2]}年）` : `${label}（${vintage[3]}—${vintage[4]}年）`;
    }
    const consumption = /^imports for consumption (\d{4})(?:-(\d{4}))? (annual|monthly)$/.exec(text);
    if (consumption)
      return `消费进口，${consumption[2] ? `${consumption[1]}—${consumption[2]}年` : `${consumption[1]}年`}，${consumption[3] === 'annual' ? '年度' : '月度'}`;
    const linkVintage = linkVintageZh(text);
    if (linkVintage) return linkVintage;
    const mfn = /^USITC tariff database (\d{4})$/.exec(text);
    if (mfn) return `美国国际贸易委员会关税数据库（${mfn[1]}年）`;
    const sourced = /^(bea|census|comtrade|dots|wits|baci): (.*)$/.exec(text);
    if (sourced) return `${VALUES_ZH[sourced[1]] ?? sourced[1]}：${sourced[2]}`;
    // A table read with a mapping file (decouple import csv --map): the mapping's name and hash.
    const mapped = /^csv:(.+)@([0-9a-f]+)$/.exec(text);
    if (mapped) return `按映射文件导入的表格（${mapped[1]}）`;
  }
  if (lang === 'en') {
    if (VALUES_EN[text]) return VALUES_EN[text];
    const mapped = /^csv:(.+)@([0-9a-f]+)$/.exec(text);
    if (mapped) return `table read with a mapping file (${mapped[1]})`;
    // A dataset by its publisher's name; the paper's tables as an English page cites them.
    const sourced = /^(bea|census|comtrade|dots|wits|baci): (.*)$/.exec(text);
    if (sourced) return `${SOURCES_EN[sourced[1]]}: ${sourced[2]}`;
    const paper = /^Zhao & Liu \(2025\), paper 表(\d+)$/.exec(text);
    if (paper) return `Zhao and Liu (2025), table ${paper[1]}`;
  }
  return text;
}

/**
 * Columns that hold official English text (HS descriptions; datasets' provenance notes as recorded), which a
 * Chinese page keeps and marks as English.
 */
const ENGLISH_COLUMNS = new Set(['description', 'notes']);

/** Category ids the estimates' tables carry, as an English page writes them. */
const VALUES_EN: Record<string, string> = {
  share_pct: 'share (%)',
  log_value: 'log value',
  log_quantity: 'log quantity',
  products: 'controlled vs comparison lines',
  destination: 'partner vs other destinations',
  'federal-register': 'Federal Register',
};

/** The datasets' publishers as an English page names them. */
const SOURCES_EN: Record<string, string> = {
  bea: 'BEA',
  census: 'US Census Bureau',
  comtrade: 'UN Comtrade',
  dots: 'IMF DOTS',
  wits: 'WITS Trade Summary',
  baci: 'CEPII BACI',
};

/** Returns a dataset source id (comtrade, census, …) as the page's language names its publisher; others as given. */
export function publisherName(source: string, lang: Lang): string {
  return (lang === 'zh' ? VALUES_ZH[source] : SOURCES_EN[source]) ?? source;
}

/** Columns of identifiers a reader copies as they are: set as code. */
const CODE_COLUMNS = new Set(['sha256', 'file_name', 'url', 'file']);

/** Columns left out of the main text: provenance details the appendix and the data notes carry. */
const APPENDIX_ONLY = new Set(['alternatives', 'sha256', 'dataset_id', 'datasets']);

/**
 * Returns the years a reader needs from a yearly table: the first, 2012 and
 * 2017 (before and at the start of the measures), the peak of the headline
 * column, and the latest three; every year when there are twelve or fewer.
 */
export function keyYears(rows: Row[], headline?: string): Set<number> | undefined {
  const years = [...new Set(rows.map((r) => Number(r.year)).filter(Number.isFinite))].sort((a, b) => a - b);
  if (years.length <= 12) return undefined;
  const keep = new Set<number>([years[0], ...years.slice(-3)]);
  for (const y of [2012, 2017]) if (years.includes(y)) keep.add(y);
  if (headline && rows.some((r) => typeof r[headline] === 'number')) {
    const peak = rows.reduce((best, r) => (Number(r[headline]) > Number(best[headline]) ? r : best));
    keep.add(Number(peak.year));
  }
  return keep;
}

/** Returns the year columns of a wide table: every year up to seven, else the first, 2012, 2017 and the last three. */
function pivotYears(years: number[]): number[] {
  if (years.length <= 7) return years;
  const keep = new Set<number>([years[0], ...years.slice(-3)]);
  for (const y of [2012, 2017]) if (years.includes(y)) keep.add(y);
  return [...keep].sort((a, b) => a - b);
}

/** Returns the main-text form of a table with a `pivot`: a row per key, a column per key year. */
function pivotTable(t: ReportTable, lang: Lang, names: Record<string, string>): PresentedTable | undefined {
  const pivot = t.pivot!;
  const value = pivot.values.find((v) => t.rows.some((r) => typeof r[v] === 'number'));
  if (!value) return undefined;
  // The Chinese edition names groups in Chinese; a key the same in every row goes (the title says it).
  const keys = pivot.keys
    .map((k) => (lang === 'zh' && k === 'group_label' ? 'group_zh' : k))
    .filter((k) => t.rows.some((r) => r[k] !== undefined))
    .filter((k) => new Set(t.rows.map((r) => String(r[k]))).size > 1 || pivot.keys.length === 1);
  const all = [...new Set(t.rows.map((r) => Number(r.year)).filter(Number.isFinite))].sort((a, b) => a - b);
  const years = pivotYears(all);
  const byKey = new Map<string, Row[]>();
  for (const r of t.rows) {
    const k = JSON.stringify(keys.map((c) => r[c] ?? null));
    byKey.set(k, [...(byKey.get(k) ?? []), r]);
  }
  const cells = [...byKey.values()].map((rows) => [
    ...keys.map((c) => cellText(c, rows[0][c], lang, names)),
    ...years.map((y) => cellText(value, rows.find((r) => Number(r.year) === y)?.[value], lang, names)),
  ]);
  const unit = columnLabel(value, lang);
  const list = years.join(lang === 'zh' ? '、' : ', ');
  return {
    headers: [...keys.map((c) => columnLabel(c, lang)), ...years.map(String)],
    cells,
    numeric: [...keys.map(() => false), ...years.map(() => true)],
    shortened:
      lang === 'zh'
        ? `表中数值为${unit}${years.length < all.length ? `，正文列出${list}年` : ''}；逐年数据见附录和工作簿。`
        : `Values: ${unit}${years.length < all.length ? `; the main text shows ${list}` : ''}; every year is in the appendix and the workbook.`,
  };
}

/** A table ready to print: headers, cells, which columns are numeric, and a note on what the main text left out. */
export interface PresentedTable {
  headers: string[];
  cells: string[][];
  numeric: boolean[];
  /** Columns in official English on a Chinese page (HS descriptions, kept as published, with their code). */
  english?: boolean[];
  /** Columns of identifiers (file names, addresses, checksums), set as code. */
  code?: boolean[];
  shortened?: string;
}

/**
 * Returns a report table as the reader sees it. `main`: without columns that
 * are the same in every row (the title says them) or that only the appendix
 * needs, and only the key years of a long yearly table, saying what was left
 * out; `full`: every column and row.
 */
export function presentTable(
  t: ReportTable,
  lang: Lang,
  names: Record<string, string>,
  mode: 'main' | 'full',
): PresentedTable {
  if (mode === 'main' && t.pivot && t.rows.length) {
    const wide = pivotTable(t, lang, names);
    if (wide) return wide;
  }
  const all = t.rows.length ? Object.keys(t.rows[0]) : [];
  let columns = all;
  let rows = t.rows;
  let shortened: string | undefined;
  if (mode === 'main') {
    // A group's id where the table also gives its label (the English label too in the Chinese edition).
    const labelled = all.includes('group_label') || all.includes('group_zh');
    const informative = (c: string) => !APPENDIX_ONLY.has(c) && !(labelled && c === 'group');
    if (rows.length > 1)
      columns = all.filter((c) => informative(c) && new Set(rows.map((r) => JSON.stringify(r[c] ?? null))).size > 1);

    if (!columns.length) columns = all.filter(informative);
    const headline = all.find((c) => c === 'share_pct') ?? all.find((c) => c.endsWith('_pct'));
    const years = all.includes('year') && !all.includes('month') ? keyYears(rows, headline) : undefined;
    if (t.keyRows && t.keyRows.length < rows.length) {
      const kept = t.keyRows.map((i) => rows[i]);
      const dated = all.includes('date');
      shortened =
        lang === 'zh'
          ? `正文列出${dated ? `变动较大的${kept.length}个日期` : `首末、峰值等${kept.length}行`}，共${rows.length}行的完整表格见附录和工作簿。`
          : `The main text shows ${dated ? `the ${kept.length} dates with the larger changes` : `${kept.length} rows (first, peak, latest)`}; the full table (${rows.length} rows) is in the appendix and the workbook.`;
      rows = kept;
    } else if (years) {
      const kept = rows.filter((r) => years.has(Number(r.year)));
      const list = [...years].sort((a, b) => a - b).join(lang === 'zh' ? '、' : ', ');
      shortened =
        lang === 'zh'
          ? `正文列出${list}年，共${rows.length}行的完整表格见附录和工作簿。`
          : `The main text shows ${list}; the full table (${rows.length} rows) is in the appendix and the workbook.`;
      rows = kept;
    } else if (rows.length > 20) {
      shortened =
        lang === 'zh'
          ? `正文列出前20行，共${rows.length}行的完整表格见附录和工作簿。`
          : `The main text shows the first 20 rows; the full table (${rows.length} rows) is in the appendix and the workbook.`;
      rows = rows.slice(0, 20);
    }
  }
  // The Chinese edition names groups in Chinese where the table has them (English labels and ids: the workbook).
  if (lang === 'zh' && all.includes('group_zh')) columns = columns.filter((c) => c !== 'group_label' && c !== 'group');
  return {
    headers: columns.map((c) => columnLabel(c, lang)),
    cells: rows.map((r) => columns.map((c) => cellText(c, r[c], lang, names))),
    numeric: columns.map((c) => rows.some((r) => typeof r[c] === 'number') && COLUMNS[c]?.unit !== 'year'),
    ...(lang === 'zh' ? { english: columns.map((c) => ENGLISH_COLUMNS.has(c)) } : {}),
    code: columns.map((c) => CODE_COLUMNS.has(c)),
    shortened,
  };
}
