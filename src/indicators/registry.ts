import { InvalidInputError } from '../core/index.js';
import type { Store } from '../store/store.js';
import { bilateralShare } from './bilateralShare.js';
import { connectors } from './connectors.js';
import { diversion } from './diversion.js';
import { importDependence } from './importDependence.js';
import { mirrorFlows, mirrorGapNotes } from './mirror.js';
import { need, type IndicatorParams, type IndicatorResult } from './params.js';
import { partnerHhi, partnerRank } from './partnerConcentration.js';
import { productGroupShare } from './productShare.js';
import { complementarity, exportSimilarity, grubelLloyd, rca, tradeIntensity } from './specialisation.js';
import { tariffExposure } from './tariffExposure.js';
import { averageTariff } from './averageTariff.js';
import { decouplingIndex } from './decouplingIndex.js';
import { studentsShare } from './studentsShare.js';
import { coauthorship } from './coauthorship.js';
import { treasuryHoldings } from './treasuryHoldings.js';
import { relativeGdp } from './relativeGdp.js';
import { servicesMirror } from './servicesMirror.js';
import { cycleCorrelation, GDP_WINDOW_YEARS, MONTHLY_MIN_PAIRS, MONTHLY_WINDOW } from './cycleCorrelation.js';

/** One indicator: what it is, how it is computed and read, and the code that computes it. */
export interface IndicatorDefinition {
  id: string;
  name: { en: string; zh: string };
  formula: string;
  unit: string;
  /** The data it needs. */
  needs: string;
  /** How to read it. */
  reading: { en: string; zh: string };
  reference: string;
  /** The column a change summary (--summary) describes by default. */
  headline: string;
  /** Parameters it reads (for help and validation). */
  params: string[];
  compute(store: Store, p: IndicatorParams): Promise<IndicatorResult>;
}

/** Every indicator the system computes, in the order of the papers' assessment. */
export const INDICATORS: IndicatorDefinition[] = [
  {
    id: 'bilateral-share',
    name: { en: 'Bilateral share', zh: '双边贸易占比' },
    formula:
      'share_pct = 100 × X(reporter↔partner) / X(reporter↔world); by group: Σ_{k∈g} w_k X_k(partner) / Σ_{k∈g} w_k X_k(world)',
    unit: "percent of the reporter's trade",
    needs:
      "flows with the reporter's world total (DOTS, Comtrade, Census) or all partners (BACI); services from BEA series; --group needs HS6 data",
    reading: {
      en: "How much the partner weighs in the reporter's exports, imports or total trade; a falling share with a stable total is a shift away from the partner.",
      zh: '伙伴在报告方出口、进口或贸易总额中的比重；总额稳定而占比下降，说明贸易正转离该伙伴。',
    },
    reference: 'WITS, "Partner share"; papers\' tables 1, 3–7',
    headline: 'share_pct',
    params: ['reporter', 'partner', 'flow', 'channel', 'years', 'group', 'dataset', 'monthly', 'world-from-partners'],
    async compute(store, p) {
      if (p.group) return productGroupShare(store, p);
      return bilateralShare(store, {
        reporter: need(p.reporter, '--reporter', 'bilateral-share'),
        partner: need(p.partner, '--partner', 'bilateral-share'),
        flow: p.flow,
        channel: p.channel,
        years: p.years,
        datasetId: p.datasets?.[0],
        worldFromPartners: p.worldFromPartners,
      });
    },
  },
  {
    id: 'partner-rank',
    name: { en: 'Partner rank', zh: '贸易伙伴排名' },
    formula:
      "rank of X(reporter↔partner) among the reporter's partners (1 = largest); share_pct = 100 × X_partner / Σ_j X_j",
    unit: 'rank; percent',
    needs: "the reporter's trade by partner (DOTS, Comtrade, BACI)",
    reading: {
      en: "Where the partner stands among the reporter's partners; without --partner, the top N partners.",
      zh: '伙伴在报告方所有贸易伙伴中的位次；不指定伙伴时列出前N位。',
    },
    reference: 'papers: "ASEAN overtook the US as China\'s largest trading partner"',
    headline: 'rank',
    params: ['reporter', 'partner', 'flow', 'years', 'top', 'sources', 'dataset'],
    compute: partnerRank,
  },
  {
    id: 'partner-hhi',
    name: { en: 'Partner concentration (HHI)', zh: '贸易伙伴集中度（赫芬达尔指数）' },
    formula:
      'HHI = Σ_j s_j², s_j = X_j / Σ X; ×10,000 scale; normalised (HHI − 1/N)/(1 − 1/N); equivalent partners 1/HHI',
    unit: 'index 0–1 (and 0–10,000)',
    needs: "the reporter's trade by partner",
    reading: {
      en: "How concentrated the reporter's trade is on few partners; a falling HHI is diversification.",
      zh: '报告方贸易在少数伙伴上的集中程度；指数下降意味着伙伴多元化。',
    },
    reference: 'Hirschman (1945); WITS "Hirschman Herfindahl index"',
    headline: 'hhi',
    params: ['reporter', 'flow', 'years', 'dataset'],
    compute: partnerHhi,
  },
  {
    id: 'trade-intensity',
    name: { en: 'Trade intensity index', zh: '贸易强度指数' },
    formula: 'TII = (x_ij / X_i) / (M_j / M_w); net form (x_ij / X_i) / (M_j / (M_w − M_i))',
    unit: 'index (1 = neutral)',
    needs: 'multi-country flows (BACI, Comtrade with many reporters)',
    reading: {
      en: "Above 1, the reporter sends the partner more than the partner's weight in world imports suggests.",
      zh: '大于1表示报告方对伙伴的出口高于伙伴在世界进口中的权重所对应的水平。',
    },
    reference: 'Brown (1949); Kojima (1964); WITS "Trade intensity"',
    headline: 'trade_intensity',
    params: ['reporter', 'partner', 'years', 'level', 'dataset'],
    compute: tradeIntensity,
  },
  {
    id: 'rca',
    name: { en: 'Revealed comparative advantage (Balassa)', zh: '显示性比较优势指数' },
    formula: 'RCA_ik = (x_ik / X_i) / (x_wk / X_w); RSCA = (RCA − 1)/(RCA + 1)',
    unit: 'index (1 = neutral)',
    needs: 'multi-country product flows (BACI)',
    reading: {
      en: "Above 1, product k weighs more in the reporter's exports than in world exports.",
      zh: '大于1表示该产品在报告方出口中的比重高于其在世界出口中的比重。',
    },
    reference: 'Balassa (1965); WITS "Revealed comparative advantage"',
    headline: 'rca',
    params: ['reporter', 'years', 'level', 'group', 'top', 'dataset'],
    compute: rca,
  },
  {
    id: 'complementarity',
    name: { en: 'Trade complementarity index', zh: '贸易互补性指数' },
    formula:
      "TC = 100 × (1 − Σ_k |m_jk − x_ik| / 2); x_ik share of k in the reporter's exports, m_jk in the partner's imports",
    unit: 'index 0–100',
    needs: "product flows with the reporter's exports and the partner's imports",
    reading: {
      en: '100 when the reporter exports exactly what the partner imports; 0 when nothing matches.',
      zh: '报告方出口结构与伙伴进口结构完全吻合时为100，毫无重合时为0。',
    },
    reference: 'Michaely (1996); WITS "Trade complementarity"',
    headline: 'complementarity',
    params: ['reporter', 'partner', 'years', 'level', 'group', 'dataset'],
    compute: complementarity,
  },
  {
    id: 'grubel-lloyd',
    name: { en: 'Grubel–Lloyd intra-industry trade', zh: '产业内贸易指数（G-L）' },
    formula: 'GL = Σ_k (X_k + M_k − |X_k − M_k|) / Σ_k (X_k + M_k); marginal A = Σ(|ΔX|+|ΔM|−|ΔX−ΔM|)/Σ(|ΔX|+|ΔM|)',
    unit: 'index 0–1',
    needs: 'bilateral product flows in both directions',
    reading: {
      en: 'Near 1, the two economies trade the same products both ways (production sharing); near 0, one-way trade.',
      zh: '接近1表示双方在同类产品上双向贸易（生产分工），接近0表示单向贸易。',
    },
    reference: 'Grubel and Lloyd (1975); Brülhart (1994) for the marginal index',
    headline: 'grubel_lloyd',
    params: ['reporter', 'partner', 'years', 'level', 'group', 'from', 'to', 'dataset'],
    compute: grubelLloyd,
  },
  {
    id: 'export-similarity',
    name: { en: 'Export similarity index (Finger–Kreinin)', zh: '出口相似度指数' },
    formula:
      "ESI = 100 × Σ_k min(s_ak, s_bk); s the product shares of each exporter's exports (to the world or --market)",
    unit: 'index 0–100',
    needs: 'product flows of both exporters',
    reading: {
      en: 'How far the two exporters sell the same products (to one market): competition and substitutability.',
      zh: '两个出口方（在同一市场上）出口结构的重合程度，反映竞争与可替代性。',
    },
    reference: 'Finger and Kreinin (1979)',
    headline: 'export_similarity',
    params: ['reporter', 'partner', 'market', 'years', 'level', 'group', 'dataset'],
    compute: exportSimilarity,
  },
  {
    id: 'import-dependence',
    name: { en: 'Import dependence', zh: '进口依赖度' },
    formula: 's_k = 100 × M_k(partner) / M_k(all sources); products and import value with s_k ≥ 50, 70, 90%',
    unit: 'percent; counts',
    needs: "the importer's product imports by source (Census, Comtrade, BACI)",
    reading: {
      en: 'How many products, and how much of the import bill, come mostly from the partner.',
      zh: '有多少产品、多大比例的进口额主要来自该伙伴。',
    },
    reference: 'European Commission (2021), SWD(2021) 352',
    headline: 'partner_share_pct',
    params: ['reporter', 'partner', 'years', 'level', 'dataset'],
    compute: importDependence,
  },
  {
    id: 'tariff-exposure',
    name: { en: 'Tariff exposure', zh: '加征关税覆盖' },
    formula:
      'group g by the additional tariff in force on the date; s_g = 100 × M_g(partner) / M(partner); m_g = 100 × M_g(partner) / M_g(all sources)',
    unit: 'US$; percent',
    needs:
      "the importer's product imports by source (HS10/HS8 exact, HS6 by the highest rate on its lines) and its tariff lines on the partner (decouple import tariffs)",
    reading: {
      en: "How much of the imports from the partner faces each tariff rate, and how the partner's share moved in tariffed and untariffed goods.",
      zh: '自伙伴进口中有多少面临各档加征关税，以及伙伴在加税与未加税商品中的份额如何变化。',
    },
    reference: 'Bown (2023), PIIE tariff chart; paper 001 (25% / 7.5% / none groups)',
    headline: 'partner_share_pct',
    params: ['reporter', 'partner', 'on', 'sources', 'years', 'monthly', 'dataset'],
    compute: tariffExposure,
  },
  {
    id: 'average-tariff',
    name: { en: 'Average tariff', zh: '平均关税' },
    formula:
      "T(d) = Σ_p w_p · t_p(d) / Σ_p w_p; the US on China: t_p(d) = MFN_p(d) + τ_301 + τ_232 + τ_IEEPA-fentanyl + τ_IEEPA-reciprocal + τ_122; from total applied rates by HS6 (China on the US): t_p(d) = file_p(d) − Σ_m (1 − f_m)·added_m,p + max τ_later lines + τ_later all goods; w_p = imports from the partner in the weights year (one year, or the year of each date with --weights current), at the finest HS level loaded (6, 8 or 10) or the one asked for with --level, finer codes summed to it; at HS6 each product takes the simple mean of its HTS8 lines; a specific MFN rate counts as its ad valorem equivalent, rate per unit × quantity ÷ value of the line's HS6 from the weights year's trade data",
    unit: 'percent',
    needs:
      "the importer's MFN schedule (USITC tariff database), the chapter 99 line lists and scopes (decouple import tariffs) and its imports from the partner by product in the weights year",
    reading: {
      en: 'The tariff the average dollar of imports from the partner (at the weights year) faces on each date, and how much each layer adds.',
      zh: '按权重年份的进口结构计算，自伙伴进口的每一美元在各日期平均面临的关税，以及各层关税的贡献。',
    },
    reference: 'Bown (PIIE), US-China Trade War Tariffs: An Up-to-Date Chart (2017 import weights)',
    headline: 'average_pct',
    params: ['reporter', 'partner', 'from', 'to', 'years', 'weights', 'level'],
    compute: averageTariff,
  },
  {
    id: 'diversion',
    name: { en: 'Trade diversion by source', zh: '贸易转移（按来源）' },
    formula: 'Δshare_b = share_b,to − share_b,from; gain_b = Σ_{k: M_Sk fell} ΔM_bk',
    unit: 'US$; percentage points',
    needs: "the importer's product imports by source in two years",
    reading: {
      en: "Which sources took the place of the partner in the importer's imports, in value and share.",
      zh: '在进口方的进口中，哪些来源替代了该伙伴，以金额和份额计。',
    },
    reference: 'in the spirit of Fajgelbaum et al. (2024); Freund et al. (2023)',
    headline: 'share_change_pp',
    params: ['reporter', 'partner', 'from', 'to', 'years', 'level', 'group', 'sources', 'dataset'],
    compute: diversion,
  },
  {
    id: 'connectors',
    name: { en: 'Connector economies', zh: '间接关联经济体' },
    formula:
      'per product Δm = ΔM(origin→C), Δx = ΔX(C→destination); r(Δm, Δx); OLS slope with 95% CI; connected growth Σ min(Δm⁺, Δx⁺)',
    unit: 'US$; correlation; slope',
    needs: 'multi-country product flows in two years (BACI, Comtrade with many reporters)',
    reading: {
      en: 'Economies whose imports from the origin and exports to the destination grew in the same products: the indirect link.',
      zh: '自起点经济体进口与对终点经济体出口在同类产品上同步增长的经济体，即间接联系。',
    },
    reference: 'Freund et al. (2023), World Bank WPS 10593, simplified',
    headline: 'connected_growth_usd',
    params: ['reporter', 'partner', 'economy', 'from', 'to', 'years', 'level', 'top', 'dataset'],
    compute: connectors,
  },
  {
    id: 'mirror-gap',
    name: { en: 'Mirror gap', zh: '镜像数据差异' },
    formula: "gap = importer's report − exporter's report; gap_pct = 100 × gap / exporter's report",
    unit: 'US$; percent',
    needs: "both sides' reports of the same flow (DOTS, Comtrade)",
    reading: {
      en: 'A CIF/FOB gap of a few percent is normal; larger gaps point to re-exports, timing or valuation.',
      zh: '几个百分点的到岸价/离岸价差异属正常；更大的差异可能源于转口、时间或估值。',
    },
    reference: 'WITS, "Mirror data"',
    headline: 'gap_pct',
    params: ['reporter', 'partner', 'years'],
    async compute(store, p) {
      const [reporter, partner] = [
        need(p.reporter, '--reporter', 'mirror-gap'),
        need(p.partner, '--partner', 'mirror-gap'),
      ];
      const rows = await mirrorFlows(store, reporter, partner, p.years);
      return { rows, notes: await mirrorGapNotes(store, rows, reporter, partner) };
    },
  },
  {
    id: 'students',
    name: { en: 'Students in the partner economy', zh: '在对方国家的留学生' },
    formula: 'share_pct = 100 × students(reporter → partner) / Σ_all places students(· → partner), by academic year',
    unit: 'persons; percent of international students',
    needs: 'IIE Open Doors by place of origin (decouple import open-doors); the share needs the layout with regions',
    reading: {
      en: "How many of the reporter's students study in the partner's universities, and what share of all international students they are; people links of paper 000 §3.3.",
      zh: '报告方在对方高校就读的学生人数及其占全部国际学生的比重，对应人员交流维度（论文000第3.3节）。',
    },
    reference: 'IIE Open Doors, International Students by Place of Origin (https://opendoorsdata.org/)',
    headline: 'students',
    params: ['reporter', 'partner', 'years'],
    compute: studentsShare,
  },
  {
    id: 'coauthorship',
    name: { en: 'Co-authored articles', zh: '国际合著论文' },
    formula:
      'us_intl_articles_with_partner_pct = 100 × articles(US, with partner co-author) / international articles(US); partner_intl_articles_with_us_pct likewise from the partner',
    unit: 'percent of international articles',
    needs: 'NSF NCSES tables 10004 and 10005 (or the 2022 editions 4906 and 4905): decouple import ncses',
    reading: {
      en: "The weight of each side in the other's international research collaboration; whole counts, so shares of one country's articles sum to more than 100.",
      zh: '双方在彼此国际科研合作中的比重；按整数计数法，一国各合作方份额之和超过100%。',
    },
    reference: 'NSF NCSES, Science and Engineering Indicators 2024, Publications Output (tables SPBS-36, SPBS-37)',
    headline: 'us_intl_articles_with_partner_pct',
    params: ['reporter', 'partner', 'years'],
    compute: coauthorship,
  },
  {
    id: 'treasury-holdings',
    name: { en: 'Holdings of US Treasury securities', zh: '持有美国国债' },
    formula: 'share_pct = 100 × holdings(reporter) / holdings(all foreign holders), end of year or month',
    unit: 'US$; percent of foreign holdings',
    needs: 'US Treasury TIC Major Foreign Holders (decouple import tic-mfh)',
    reading: {
      en: "A financial link: how much of the partner's (US) public debt held abroad the reporter holds; custodial location, not ultimate ownership.",
      zh: '金融联系：报告方持有的美国国债占外国持有总额的比重；按托管地统计，而非最终持有人。',
    },
    reference:
      'US Treasury, Treasury International Capital System, Major Foreign Holders of Treasury Securities (mfhhis01)',
    headline: 'holdings_usd',
    params: ['reporter', 'partner', 'years', 'monthly'],
    compute: treasuryHoldings,
  },
  {
    id: 'relative-gdp',
    name: { en: 'Relative economic size', zh: '相对经济规模' },
    formula: 'relative_gdp_pct = 100 × GDP(reporter) / GDP(partner), current US$ (NGDPD) and PPP (PPPGDP)',
    unit: "percent of the partner's GDP",
    needs: 'IMF World Economic Outlook (decouple import weo)',
    reading: {
      en: "The reporter's economy as a share of the partner's; IMF projections are marked.",
      zh: '报告方经济规模相当于对方的百分比；国际货币基金组织的预测值单独标注。',
    },
    reference: 'IMF, World Economic Outlook database (NGDPD, PPPGDP)',
    headline: 'relative_gdp_pct',
    params: ['reporter', 'partner', 'years'],
    compute: relativeGdp,
  },
  {
    id: 'services-mirror',
    name: { en: 'Services trade from both sides', zh: '服务贸易双边镜像' },
    formula: 'gap_pct = 100 × (reported − BaTIS) / BaTIS, for the exporter’s and the importer’s reported values',
    unit: 'US$; percent',
    needs: 'BEA services by partner (decouple import bea) and OECD-WTO BaTIS (decouple import batis --reporter)',
    reading: {
      en: 'How far each side’s reported services trade sits from the reconciled (balanced) estimate of the same flow.',
      zh: '双方各自统计的服务贸易额与经平衡调整的估计值之间的差距。',
    },
    reference: 'OECD-WTO Balanced Trade in Services (BaTIS), BPM6; BEA International Transactions by area',
    headline: 'exporter_gap_pct',
    params: ['reporter', 'partner', 'years'],
    compute: servicesMirror,
  },
  {
    id: 'cycle-correlation',
    name: { en: 'Business-cycle and market synchronisation', zh: '经济周期与市场同步性' },
    formula: `r_t = Pearson correlation of real GDP growth over the ${GDP_WINDOW_YEARS} years to t; of monthly log equity returns (and industrial production changes) over the ${MONTHLY_WINDOW} months to December of t, at least ${MONTHLY_MIN_PAIRS} pairs`,
    unit: 'correlation (−1 to 1)',
    needs: 'IMF WEO (NGDP_RPCH); daily equity indices of both economies; monthly industrial production of both',
    reading: {
      en: 'Higher: the two economies (or markets) move together; a falling correlation is a decoupling of cycles in paper 002’s sense.',
      zh: '数值越高，两国经济（或市场）同步性越强；相关性下降即论文002所说的周期脱钩。',
    },
    reference: 'paper 002 (business-cycle synchronisation as a dimension of decoupling); Frankel and Rose (1998)',
    headline: 'gdp_growth_corr',
    params: ['reporter', 'partner', 'years'],
    compute: cycleCorrelation,
  },
  {
    id: 'decoupling-index',
    name: { en: 'Composite decoupling index', zh: '综合脱钩指数' },
    formula:
      'z_d,t = (v_d,t − mean_T v_d) / sd_T v_d over the common years T; index_equal_t = Σ_d z_d,t / D; index_pca_t = Σ_d w_d z_d,t, w_d = squared loadings of the first principal component of corr(z)',
    unit: 'standard deviations from the pair’s average over the common years',
    needs:
      'goods trade of both sides with the world (DOTS); IMF WEO; daily equity indices; TIC holdings; IIE Open Doors; NCSES co-authorship',
    reading: {
      en: "Below 0: the pair's links (trade intensity, cycle and market co-movement, holdings, students, co-authorship) are weaker than on average over the years used; the breakdown shows which dimension moved.",
      zh: '低于0表示双方联系（贸易强度、周期与市场联动、国债持有、留学生、合著论文）弱于所用年份的平均水平；分项显示是哪一维度变化。',
    },
    reference:
      'paper 002, citing Li and Pei (2015) (trade intensity, business-cycle synchronisation and financial linkage as the measurable state of decoupling); OECD/JRC (2008), Handbook on Constructing Composite Indicators, §5.1 (standardisation) and §6.1 (weights from principal components)',
    headline: 'index_equal',
    params: ['reporter', 'partner', 'years'],
    compute: (store, p) => decouplingIndex(store, p, findIndicator('bilateral-share').compute),
  },
];

/** Returns the indicator with this id, or throws listing the known ids. */
export function findIndicator(id: string): IndicatorDefinition {
  const d = INDICATORS.find((i) => i.id === id);
  if (!d)
    throw new InvalidInputError(
      `unknown indicator '${id}' (known: ${INDICATORS.map((i) => i.id).join(', ')}; see decouple indicators)`,
    );
  return d;
}
