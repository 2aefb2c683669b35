/**
 * The Chinese edition of the notes the indicators, the risk list and the
 * report write in English (coverage, data choices, what is not computable
 * and what to import). Each rule matches one note the code writes, with the
 * economies already named; a note without a rule stays as written.
 */

import { publisherName } from './tablePresentation.js';

type Rule = [RegExp, (m: RegExpExecArray) => string];

/** Product group sets by their Chinese names. */
const SET_ZH: Record<string, string> = {
  'bec-category': 'BEC类别',
  'bec-stage': 'BEC用途',
  manufacturing: '制成品',
  atp: '高技术产品',
  'hs-chapter': 'HS章',
};
const setName = (id: string) => SET_ZH[id] ?? id;

/** The risk list's components by their Chinese names. */
const COMPONENT_ZH: Record<string, string> = {
  supplier_share: '供应方份额',
  supplier_value: '进口额',
  import_hhi: '进口集中度',
  world_export_hhi: '世界出口集中度',
  allied_share: '盟友份额',
  low_substitutability: '低可替代性',
  import_export_ratio: '进出口比',
};

const flowWorld = (dir: string) => (dir === 'imports from' ? '自世界进口' : '对世界出口');
const trade = (x: string) => (x === 'imports' ? '进口' : '出口');

/** Pieces that occur inside notes (a reason after a colon, a list item). */
const INNER: Rule[] = [
  [/(\S+) has no supplier left in this scenario/, (m) => `${m[1]}在该情景下已无任何进口来源`],
  [
    /the product groups '([^']+)' needs the '([^']+)' reference pack, which is not installed: run `decouple setup` \(or `decouple setup --from DIR` with a local mirror\)/,
    (m) =>
      `产品分组“${setName(m[1])}”需要参考包“${m[2]}”，尚未安装：请运行 decouple setup（或使用本地镜像：decouple setup --from DIR）`,
  ],
  [
    /(\d{4}(?:–\d{4})?): the product data hold ([\d.]+(?:–[\d.]+)?)% of (.+?)'s (imports from|exports to) the world \((\d+) partners?\)/,
    (m) => `${m[1]}年的产品数据仅覆盖${m[3]}${flowWorld(m[4])}的${m[2]}%（${m[5]}个伙伴）`,
  ],
  [
    /(\d{4}(?:–\d{4})?): the product data hold (.+?)'s (imports|exports) with (\d+) partners? and no loaded source reports (.+?)'s (imports from|exports to) the world/,
    (m) =>
      `${m[1]}年的产品数据仅含${m[2]}与${m[4]}个伙伴的${trade(m[3])}，且已导入的来源均未报告其${flowWorld(m[6])}总额`,
  ],
  [
    /a share needs (.+?)'s trade with all partners\. Import (.+?)'s own product data by partner \(UN Comtrade with (.+?) as reporter: decouple fetch comtrade\) or world product data \(CEPII BACI: decouple fetch baci\)/,
    (m) =>
      `计算份额需要${m[1]}与全部伙伴的贸易数据。请导入${m[2]}按伙伴分列的产品数据（以${m[3]}为报告方的联合国商品贸易数据：decouple fetch comtrade）或全球产品数据（CEPII BACI：decouple fetch baci）`,
  ],
  [/ ?\(values and changes in US\$ are given; shares are not\)/, () => '（表中给出金额及其变化，不给出份额）'],
  [
    /(\d{4}) \(the loaded data give (.+?)'s value but only a sum over (\d+) partners, and no world total is reported\)/,
    (m) => `${m[1]}年（已导入数据有${m[2]}的数值，但只有${m[3]}个伙伴的合计，且未报告世界总额）`,
  ],
  [
    /no world total of (.+?) that the data support\. Import a file with (.+?)'s trade with the world \(IMF DOTS\/IMTS: decouple fetch dots; UN Comtrade with (.+?) as reporter and partner World; for the US, BEA: decouple import bea\), or give --world-from-partners to accept the sum over the loaded partners/,
    (m) =>
      `现有数据无法给出${m[1]}的世界总额。请导入${m[2]}与世界的贸易数据（IMF 贸易方向统计：decouple fetch dots；以${m[3]}为报告方、伙伴为世界的联合国商品贸易数据；美国可用经济分析局数据：decouple import bea），或使用 --world-from-partners，以已导入伙伴的合计代替`,
  ],
  [
    /the data loaded covers (\d+) exporting and (\d+) importing economies: "world" totals below are sums over these only, not world trade \(load BACI or multi-reporter Comtrade data for world measures\)/,
    (m) =>
      `已导入数据覆盖${m[1]}个出口方和${m[2]}个进口方：下文的“世界”合计仅为这些经济体之和，并非世界贸易（世界层面的指标需导入 BACI 或多报告方的联合国商品贸易数据）`,
  ],
  [/products at HS(\d+)/, (m) => `产品按HS${m[1]}位`],
  [
    /(?:diversion|connectors) needs product data for two different years \(--from, --to\); loaded: (.*)$/,
    (m) => `需要两个不同年份的产品数据（--from、--to）；已导入：${m[1] === 'none' ? '无' : `${m[1]}年`}`,
  ],
  [
    /the supplier share, import HHI and allied share are left empty and products are ranked on the other components/,
    () => '供应方份额、进口集中度和盟友份额留空，产品按其余指标排序',
  ],
  [
    /the slope says how many dollars of exports to (.+?) grew per dollar of imports from (.+?), across products/,
    (m) => `斜率表示在各产品上，自${m[2]}进口每增加1美元，对${m[1]}出口增加多少美元`,
  ],
  [
    /(\d{4}): (\S+) has HS(\d+) codes, summed to HS(\d+)/,
    (m) => `${m[1]}年：${m[2]}为HS${m[3]}位编码，已加总至HS${m[4]}位`,
  ],
  [
    /the changes from (\d{4}) to (\d{4}), since \d{4} comes from (.+?) \((.+?)\) and \d{4} from (.+?) \((.+?)\); one series needs both years from one source: choose --from and --to within one source's years, or import that source for the other year/,
    (m) =>
      `${m[1]}年至${m[2]}年的变化：${m[1]}年的数据来自${publisher(m[3])}（${m[4]}），${m[2]}年来自${publisher(m[5])}（${m[6]}）；同一序列须两年取自同一来源：请在同一来源覆盖的年份内选择 --from 和 --to，或为另一年份导入该来源的数据`,
  ],
];

/** The country groups diversion reports by default, as a Chinese page names them. */
const GROUP_ZH: Record<string, string> = { ASEAN: '东盟', EU: '欧盟' };

/** The publishers of a `, `-separated list of dataset sources, as a Chinese page names them. */
const publisher = (list: string) =>
  list
    .split(', ')
    .map((s) => publisherName(s, 'zh'))
    .join('、');

/** Whole notes. */
/** "US$ 525.8 bn" as 亿美元. */
const hundredMillions = (bn: string) => `${(Number(bn) * 10).toFixed(0)}亿美元`;

const RULES: Rule[] = [
  [
    /^counts of entities added as the imported file gives them \(parsed from each document's abstract\); (\d+) counted documents(?: from (\S+) to (\S+))?: the file is incomplete, so sums are over the documents it holds, not totals$/,
    (m) =>
      `实体数为所导入文件给出的新增实体数（由文件发布方从各文件摘要中解析）；共${m[1]}份记有实体数的文件${m[2] ? `（${m[2]}至${m[3]}）` : ''}：该文件并不完整，合计仅为其所含文件之和，并非总数。`,
  ],
  [
    /^a registry entry is matched with the counted documents published from its announcement to (\d+) days after it; 'same count' when the registry's count equals the documents' sum in all or in China$/,
    (m) =>
      `措施库条目与其宣布日起${m[1]}天内发布、记有实体数的文件对照；措施库实体数等于这些文件的新增实体合计（全部或中国）时记为“一致”。`,
  ],
  [
    /^data: (.+?), (\S+)'s exports by HS6 line, destination and month, (\S+) to (\S+) \((\d+) months before, (\d+) from the event month (\S+) on\), (\d+) destinations; controlled lines: (.+?); comparison lines \(no export control of (\S+) by (\S+)\): (.+)$/,
    (m) =>
      `数据：${m[1]}，${m[2]}按HS6子目、目的地和月份的出口，${m[3]}至${m[4]}（事件前${m[5]}个月，事件月份${m[7]}起${m[6]}个月），共${m[8]}个目的地；受管制子目：${m[9].split(', ').join('、')}；对照子目（截至${m[11]}未受${m[10]}出口管制）：${m[12] === 'none in the data' ? '数据中没有' : m[12].split(', ').join('、')}。`,
  ],
  [
    /^"all destinations in the data" is the sum over the destinations the file holds; it is (\S+)'s world total only if the file holds every destination$/,
    (m) => `“数据所含全部目的地”为文件所列目的地之和；只有文件包含全部目的地时，它才等于${m[1]}对世界的出口总额。`,
  ],
  [
    /^window ended (\d+) months after the event month, before another export control of (\S+) \(from (\S+)\) covers a comparison line$/,
    (m) => `窗口截至事件月份后第${m[1]}个月：自${m[3]}起，${m[2]}的另一项出口管制覆盖了对照子目。`,
  ],
  [/^the data end in (\S+)$/, (m) => `数据截至${m[1]}。`],
  [
    /^announced (\S+), in effect from (\S+): the months from the announcement to the event month are in the window before it and may hold exports brought forward$/,
    (m) => `该措施于${m[1]}宣布、${m[2]}生效：宣布至生效之间的月份计入事件前窗口，其中可能包含提前出口。`,
  ],
  [/^lines of (\S+): .*$/, (m) => `${m[1]}所列HS6子目的范围宽于受管制物项（各子目说明及税目对照来源见措施登记条目）。`],
  [
    /^products: controlled lines against comparison lines, .*?clustered by destination( \(not estimated: no comparison line in the data\))?; destination: on the controlled lines, (\S+) against the other destinations, .*?; relative change = exp\(b\) − 1; destination-months with no exports are not in the log outcomes(?: \((\d+) records with a zero value left out\))?$/,
    (m) =>
      `产品设计：受管制子目对比对照子目，对数(y) = a(目的地, 子目) + m(月份) + b·受管制×事件后，标准误按目的地聚类${m[1] ? '（数据中没有对照子目，未估计）' : ''}；目的地设计：在受管制子目中比较${m[2]}与其他目的地，仅一个处理目的地，不给出标准误（Conley 和 Taber，2011）；相对变化 = e^b − 1；无出口的目的地月份不进入对数结果变量${m[3] ? `（剔除${m[3]}条金额为零的记录）` : ''}。`,
  ],
  [
    /^no monthly export data by HS6 line and destination for (.+?): import the actor's monthly exports by HS6 and partner \((.+)\)$/,
    (m) =>
      `${m[1].split(', ').join('、')}：没有按HS6子目和目的地的月度出口数据。请导入实施方按HS6和伙伴方的月度出口（${m[2].replace(', or ', '，或 ').replace(' with a mapping file, e.g. ', ' 并附映射文件，如 ')}）。`,
  ],
  [
    /^weights: (.+?)'s imports from (.+?) in (\d{4}) at HS(\d+) \((.+?), US\$ ([\d.]+) bn\)(; each HS6.*|; HTS10 lines.*)?$/,
    (m) =>
      `权重：${m[1]}${m[3]}年自${m[2]}的进口，HS${m[4]}位（${m[5]}，${hundredMillions(m[6])}）` +
      (m[7]?.startsWith('; each HS6')
        ? '；每个HS6产品取其所含HTS8税目的简单平均，同一产品内贸易额小的税目与贸易额大的税目权重相同。'
        : m[7]
          ? '；HTS10税目采用其所属HTS8税目的税率和HTS10层面列明的清单。'
          : '。'),
  ],
  [
    /^weights: (.+?)'s exports to (.+?) \(mirror: .+?\) in (\d{4}) at HS(\d+) \((.+?), US\$ ([\d.]+) bn\)(; each HS6.*)?$/,
    (m) =>
      `权重：${m[1]}${m[3]}年对${m[2]}的出口，HS${m[4]}位（镜像数据：未导入${m[2]}本方按产品的进口；${m[5]}，${hundredMillions(m[6])}）。`,
  ],
  [
    /^schedules of another HS vintage than the weights matched through the HS concordance: (.+)$/,
    (m) =>
      `税则HS版本与权重不同的年份已通过HS转换表对应：${m[1].replace(/(\d{4}) \((HS\d+) to (HS\d+)\)/g, '$1年（$2对应$3）').replace(/, /g, '、')}。`,
  ],
  [
    /^mfn_specific_ave_pct: specific rates .*?\((?:unit values from (.+?)|no quantities loaded)\), included in mfn_pct; on (\S+) lines with specific or compound rates carry ([\d.]+)% of the weights, ([\d.]+)% converted, ([\d.]+)% at their ad valorem part only .*$/,
    (m) =>
      `从量税的从价等值：每单位税额×数量÷权重年份该税目所属HS6产品的进口额${m[1] ? `（单价取自${m[1].replace(/ \((\d{4})\)/g, '（$1年）')}）` : '（未导入数量数据）'}，已计入最惠国税率；${m[2]}，适用从量或复合税率的税目占权重的${m[3]}%，其中${m[4]}%已折算，${m[5]}%仅计其从价部分（贸易数据未提供该计量单位）；复合税率的第二个从量部分未折算。`,
  ],
  [
    /^Section 232 derivatives \(duty on their steel or aluminium content, which the data do not give\) are left out: on (\S+) their lines carry ([\d.]+)% of the weights and would add at most ([\d.]+) pp on their full value$/,
    (m) =>
      `232条款衍生产品（按其所含钢铝价值征税，数据未提供该含量）未计入：${m[1]}，这些税目占权重的${m[2]}%，若按全部货值征税，最多增加${m[3]}个百分点。`,
  ],
  [
    /^bown_hs6_section301_pct: .*; empty from the first Section 301 action after the file's last \((\S+)\)$/,
    (m) =>
      `Bown HS6文件所载301条款：按Bown逐项措施HS6文件（每个HS6产品取其HTS8税目加征幅度的平均值），以同一权重汇总至HS6计算，与按税目计算的301条款并列；代码按原样对应；该文件最后一项措施为${m[1]}，其后首个301条款措施起不再列示。`,
  ],
  [
    /^(.+?) \(from (\S+)\) has no line list in the data: left out of the average and the coverage(?:; Bown's per-action HS6 file puts it at ([\d.]+) pp of the average at its largest \((\S+)\), on these weights summed to HS6)?$/,
    (m) =>
      `${m[1]}（自${m[2]}起实施）在数据中没有税目清单，未计入平均关税和覆盖率` +
      (m[3] ? `；按Bown逐项措施HS6文件、以同一权重汇总至HS6计算，其贡献最高为${m[3]}个百分点（${m[4]}）。` : '。'),
  ],
  [
    /^(\d+) dates from (\S+) to (\S+): each date on which a layer changes .*$/,
    (m) =>
      `${m[2]}至${m[3]}共${m[1]}个日期，即任一层关税发生变动的日期（301条款清单及排除、232条款范围、IEEPA税率、新年度最惠国税则）。`,
  ],
  [
    /^published_pct: the figure Bown \(PIIE\) gives for the same period.*$/,
    () => 'PIIE公布值：Bown（PIIE）对同一时期给出的数值，由PIIE按其自身的权重和范围计算，并非本系统的计算结果。',
  ],
  [
    /^the registry and the loaded lines end on (\S+); later dates carry that state$/,
    (m) => `措施库和已导入税目截至${m[1]}；其后日期沿用该日状态。`,
  ],
  [
    /^rates: total applied rates by HS6 from the tariff files to (\S+) \(MFN included; the MFN and the duties in force by then are not separated: (.+?)'s MFN schedule by line is not in the data\); later actions from the measures registry stacked on them$/,
    (m) =>
      `税率：${m[1]}及以前取自关税文件的HS6位实际适用总税率（含最惠国税率；最惠国税率与届时已实施的加征关税未作区分：数据中没有${m[2]}按税目的最惠国税则）；其后的措施取自措施库，叠加其上。`,
  ],
  [
    /^rate_cuts_pct \(derived\): from (\S+) the duties of (.+?) are multiplied by (\S+); what it added to each line is the rise of the file's rate on (\S+) over the date before$/,
    (m) =>
      `其后减税（推算）：自${m[1]}起，${m[2]}的加征税率乘以${m[3]}；该措施对各税目的加征幅度，按税率文件中${m[4]}的税率较前一日期的升幅推算。`,
  ],
  [
    /^later_lines_pct: (.+?), (\d+) lines of 8 digits; an HS6 counts at the highest rate of its listed lines \(an upper bound where not every line under it is listed\)$/,
    (m) =>
      `其后按税目加征：${m[1]}，共${m[2]}个8位税目；每个HS6位产品按其所列税目中的最高税率计（该产品下的税目未全部列入时为上限）。`,
  ],
  [
    /^(.+?) has no lines loaded \(import its line lists with decouple import tariffs FILE --list NAME\): left out$/,
    (m) => `${m[1]}尚未导入税目清单（请用 decouple import tariffs FILE --list NAME 导入），未计入。`,
  ],
  [
    /^(.+?) \(from (\S+)\) has no line list in the registry or the data: left out, so the average is a lower bound from that date$/,
    (m) => `${m[1]}（自${m[2]}起实施）在措施库和数据中均无税目清单，未计入，因此自该日起的平均关税为下限。`,
  ],
  [
    /^the rate files and the registry end on (\S+); later dates carry that state$/,
    (m) => `税率文件和措施库截至${m[1]}；其后日期沿用该日状态。`,
  ],
  [
    /^average tariff of (.+?) on (.+?): average-tariff needs the MFN base: import the USITC tariff database \((.+)\)$/,
    (m) =>
      `${m[1]}对${m[2]}的平均关税：需要最惠国税率基准，请用 decouple import tariffs 导入美国国际贸易委员会的年度关税数据库文件。`,
  ],
  [
    /^average tariff of (.+?) on (.+?): average-tariff needs the layers of (.+?)'s tariff on (.+?): .*$/,
    (m) =>
      `${m[1]}对${m[2]}的平均关税：需要${m[3]}对${m[4]}关税的分层数据；措施库只掌握美国对华关税的逐层结构，其他方向请用 decouple import tariffs 导入按HS6位和日期的实际适用总税率文件，并注明税率为含最惠国税率的总税率。`,
  ],
  [
    /^average tariff of (.+?) on (.+?): average-tariff needs (.+?)'s imports from (.+?) in (\d{4}) by product .*$/,
    (m) =>
      `${m[1]}对${m[2]}的平均关税：需要${m[3]}${m[5]}年自${m[4]}按产品（HS6位或更细）的进口作为权重，或${m[4]}对${m[3]}的出口；请导入联合国商品贸易数据库或美国人口普查局数据。`,
  ],
  [
    /^no HS(\d) \(or finer\) product data loaded for these years$/,
    (m) => `这些年份没有HS${m[1]}位（或更细）的产品数据。`,
  ],
  [/^diversion of (.+?)'s imports from (.+?): (.*)$/s, (m) => `${m[1]}自${m[2]}进口的贸易转移：${inner(m[3])}。`],
  [
    /^(.+?) from (.+?): no product-level \(HS6 or finer\) flows of (.+?)'s imports from (.+?) in the store$/,
    (m) => `${m[1]}自${m[2]}：数据库中没有${m[3]}自${m[4]}进口的产品层面（HS6位或更细）流量。`,
  ],
  [
    /^series breaks \(another source, valuation or a gap\) at (.+): compare years within one source; the column alternatives gives the other sources' shares$/,
    (m) =>
      `序列在${m[1]}年出现断点（数据来源或计价方式变化，或年份缺失）：请只在同一来源内比较各年；“其他数据集”一栏列出其他来源的份额。`,
  ],
  [
    /^(\d+) year\(s\) are published figures from the embedded paper tables, not computations: import data \(see README\) to compute them$/,
    (m) => `其中${m[1]}个年份为论文公布值，并非本系统计算；导入原始数据（见使用说明）即可计算。`,
  ],
  [
    /^(\d{4})'s HS(\d{4}) codes converted to HS(\d{4}) with the HS conversion table \(a code mapped to several is split equally\)(?:; (\d+) codes? ha(?:s|ve) no conversion and (?:is|are) kept as (?:it is|they are))?$/,
    (m) =>
      `${m[1]}年的HS${m[2]}编码已按HS版本转换表转换为HS${m[3]}（一对多的编码平均分配）${m[4] ? `；${m[4]}个编码无对应转换，保持原样` : ''}。`,
  ],
  [
    /^(.+)'s imports by source, (\d{4}) against (\d{4}), HS(\d+); country groups as of (\S+)$/,
    (m) => `${m[1]}进口按来源比较：${m[3]}年对${m[2]}年，HS${m[4]}位；国家集团成员以${m[5]}为准。`,
  ],
  [/^not computable: (.*)$/s, (m) => `无法计算：${inner(m[1])}。`],
  [
    /^(\d+) dut(?:y|ies) on all goods from (.+?) also in force on (\S+), ([\d.]+)% together \(.+\), are not in these groups, which count the line lists only: every group pays them on top \(all_goods_pct; average-tariff stacks every layer, with exemptions\)$/,
    (m) =>
      `${m[3]}当日另有${m[1]}项对${m[2]}全部商品加征的关税有效，合计${m[4]}%；上表各档只计税目清单，不含这些关税，各档商品均须另行缴纳（见“全部商品加征”一栏；平均关税表逐层计入各项关税及其豁免）。`,
  ],
  [
    /^series break: (.+) \(the datasets column names the files\): compare years within one source$/,
    (m) =>
      `序列断点：${m[1]
        .split('; ')
        .map((part) =>
          part.replace(
            /^(.+) from (.+)$/,
            (_, ys: string, src: string) => `${ys.replace(/, /g, '、')}年来自${publisher(src)}`,
          ),
        )
        .join('；')}（“数据集”一栏列出文件）：请只在同一来源内比较各年。`,
  ],
  [
    /^not in the (\d{4}) data: imports from (.+) \(no flow at all\), so their values are not given$/,
    (m) =>
      `${m[1]}年的数据不含自${m[2].replace(/, /g, '、').replace('rest of world', '其他经济体')}的进口（无任何流量），故不给出其金额。`,
  ],
  [
    /^(.+) in (\d{4}): (\d+) of its (\d+) members (?:is|are) in the data \((.+)\); its figures are theirs alone$/,
    (m) =>
      `${m[2]}年${GROUP_ZH[m[1]] ?? m[1]}的${m[4]}个成员中，数据只含${m[3]}个（${m[5].replace(/, /g, '、')}）：其数值仅为这些成员之和。`,
  ],
  [
    /^([\d.]+)% of the traded value has no group in '(.+)' \(codes missing from the correspondence\)$/,
    (m) => `贸易额中有${m[1]}%的产品在“${setName(m[2])}”分组中没有对应类别（对照表中缺少这些编码）。`,
  ],
  [
    /^(.+)'s world totals by stage of processing are loaded \(WITS Trade Summary\) but rest on WITS's own product correspondence, not on the BEC Rev\.4 groups used here: a share of the partner's report over them would mix two definitions, so they are not used$/,
    (m) =>
      `已导入${m[1]}按加工阶段分列的世界总额（WITS 贸易概要），但其依据 WITS 自有的产品对照，而非本报告采用的 BEC 第4版分组：以之为分母计算伙伴方份额会混用两种口径，故未采用。`,
  ],
  [
    /^groups: BEC Rev\.4 categories used in the papers/,
    () =>
      '分组：论文采用的 BEC 第4版类别，由 HS6 对应至 BEC 第4版：工业用食品和饮料（111、121）、工业用品（21、22）、燃料和润滑剂（31、322）、零部件（42、53）、资本品（41、521）、消费品（112、122、522、61–63）。来源：联合国统计司《按大类经济类别分类》第4版（M/53/Rev.4）；联合国 HS–BEC 对照表（参考包 hs-bec）。',
  ],
  [
    /^groups: Manufactured goods — SITC sections 5–8 less division 68/,
    () =>
      '分组：制成品为 SITC 第5–8类，不含第68章（有色金属），经同一 HS 版本的联合国 HS–SITC 对照表（HS2017、HS2022）或 WITS 的 HS–SITC 第4版对照表（较早版本）对应；联合国贸发会议统计另剔除第667组（珍珠、宝石），本报告保留。来源：SITC 第4版（M/34/Rev.4）；联合国 HS–SITC 对照表和 WITS 对照表（参考包 hs-sitc）。',
  ],
  [
    /^no allies given \(--allies\): the allied share is left out, since it would repeat the supplier share$/,
    () => '未指定盟友（--allies）：盟友份额与供应方份额相同，故不计入。',
  ],
  [
    /^scenario "(.+)": its baseline is the (\S+) data of (\d{4}), which the store does not hold: import IMF DOTS \(decouple fetch dots\)$/,
    (m) =>
      `“${m[1]}”情景：其基线为${m[3]}年的${m[2] === 'dots' ? 'IMF 贸易方向统计' : m[2]}数据，库中尚无；请导入 IMF 贸易方向统计（decouple fetch dots）。`,
  ],
  [
    /^scenario "(.+)": the baseline data of (\d{4}) hold the reports of only (\d+) economies, not world trade: import IMF DOTS with all reporters \(decouple fetch dots\)$/,
    (m) =>
      `“${m[1]}”情景：${m[2]}年的基线数据只有${m[3]}个经济体的申报，不构成世界贸易；请导入含全部报告方的 IMF 贸易方向统计（decouple fetch dots）。`,
  ],
  [/^scenario "(.+)": (.+)$/, (m) => `“${m[1]}”情景无法求解：${inner(m[2])}。`],
  [
    /^groups: Advanced technology products \(US Census ATP groups\)/,
    () =>
      '分组：高技术产品采用美国普查局先进技术产品（ATP）分类，共十类，其中第01–08类即论文所用的八类高技术产品。10位编码直接取其所属类别；HS6子目按其所含 HTS10 税目在美国自全球进口中的金额占比分摊至各类别（已导入此类数据时取最新年份），否则按税目数分摊；其他 HS 版本的编码取其对应编码的平均分摊比例（联合国版本转换表）。仅安装美国《出口商品分类表》（附表B，2019年版，参考包 census-atp-exports）时，各编码按其 HS6 子目下出口税目在各类别中的数目分摊：对美国出口即出口分类本身，对进口则为近似。局限：ATP 标记的是美国税目，HS6 层面的份额假定各伙伴的税目构成与权重相同；其他经济体的高技术产品目录（如中国《高新技术产品目录》）口径不同。来源：美国普查局对外贸易司先进技术产品代码表（参考包 census-atp 或 census-atp-exports）。',
  ],
  [
    /^published figures from the embedded paper tables, not computations: import product-level data \(and for high technology the census-atp pack\) to compute them$/,
    () => '以上为论文公布值，并非本系统计算；导入产品层面的数据（高技术产品另需 census-atp 参考包）即可计算。',
  ],
  [
    /^additional tariffs in force on (\S+) \(the latest change in the tariff files; set another date with --on\); products at (\d+) digits take the highest rate on their lines; lines absent from the tariff files count as untariffed$/,
    (m) =>
      `加征关税按${m[1]}有效的税率计（关税文件中最近一次变动；可用 --on 指定其他日期）；${m[2]}位产品取其所含税目的最高税率；关税文件未列出的税目视为未加征。`,
  ],
  [
    /^(.+)'s imports from sources other than (.+) are not in the data: partner_share_pct is not computable$/,
    (m) => `数据中没有${m[1]}自${m[2]}以外来源的进口，无法计算伙伴方份额。`,
  ],
  [
    /^(\d+) product totals are sums over the sources loaded \(no world row\): partner shares are among those sources only$/,
    (m) => `${m[1]}个产品的合计为已导入来源之和（无世界合计行）：伙伴方份额仅指这些来源之间的份额。`,
  ],
  [
    /^chapters 98 and 99 \(national special provisions, unspecified goods\) are left out$/,
    () => '未计入第98、99章（各国特殊规定、未列明货物）。',
  ],
  [
    /^the EU is one source where the data gives the bloc \(its members are then not counted separately\)$/,
    () => '数据以欧盟整体列示时，欧盟作为一个来源（其成员国不再单独计算）。',
  ],
  [
    /^(.+)'s own exports are not in the data( \(only to some partners\))?: the import\/export ratio and the "imports above exports" test are left empty$/,
    (m) => `数据中没有${m[1]}自身的出口${m[2] ? '（仅有对部分伙伴的出口）' : ''}：进出口比和“进口大于出口”检验留空。`,
  ],
  [
    /^mirror-based: (.+)'s imports are read from its partners' export reports \(FOB, as the exporters record them\), not from (.+)'s own import statistics$/,
    (m) => `镜像数据：${m[1]}的进口取自伙伴方的出口申报（按出口方记录的离岸价），而非${m[2]}自身的进口统计。`,
  ],
  [
    /^world exports cannot be computed from this data \(the (\d{4}) flows reach (\d+) importer\(s\)\): world export HHI, the supplier group's world share, substitutability and the dependence test are left empty; load multi-country data \(BACI, Comtrade with many reporters\)$/,
    (m) =>
      `现有数据无法计算世界出口（${m[1]}年的流量只涉及${m[2]}个进口方）：世界出口集中度、供应方集团的世界份额、可替代性和依赖性检验留空；请导入多国数据（BACI，或含多个报告方的联合国商品贸易数据）。`,
  ],
  [/^high-tech \(ATP\) group not shown: (.*)$/, (m) => `未显示高技术（ATP）类别：${inner(m[1])}。`],
  [/^BEC stage not shown: (.*)$/, (m) => `未显示 BEC 用途：${inner(m[1])}。`],
  [
    /^no (.+) tariff lines on (.+) are loaded: tariff_pct is empty \(decouple import tariffs\)$/,
    (m) => `未导入${m[1]}对${m[2]}的关税税目：加征关税一栏留空（decouple import tariffs）。`,
  ],
  [
    /^year (\d{4}): the latest year whose product data hold all of (.+)'s imports \((.+): only part of them\)$/,
    (m) => `采用${m[1]}年：产品数据覆盖${m[2]}全部进口的最近年份（${m[3]}年仅覆盖部分）。`,
  ],
  [
    /^(.+)'s imports: only (.+) is loaded as a source, so there is no diversion to measure$/,
    (m) => `${m[1]}的进口：仅导入了来自${m[2]}的数据，无从衡量贸易转移。`,
  ],
  [
    /^the eight high-technology categories, (exports|imports): (.*)$/,
    (m) => `八类高技术产品（${trade(m[1])}）：${inner(m[2])}。`,
  ],
  [
    /^connector economies between (.+?) and (.+?): (.*)$/s,
    (m) => `${m[1]}与${m[2]}之间的间接关联经济体：${inner(m[3])}。`,
  ],
  [
    /^(.+) on (.+): tariff-exposure needs (.+)'s additional tariffs on (.+): import them with decouple import tariffs$/,
    (m) => `${m[1]}对${m[2]}：计算加征关税覆盖需要${m[3]}对${m[4]}的加征关税数据，请用 decouple import tariffs 导入。`,
  ],
  [
    /^data: (.+?), HS(\d) monthly, (\S+) to (\S+); event month (\S+) \(k = 0\); treated: HS2 groups with at least (\d+)% of their HS6 codes on (.+)'s lists \((\d+) with data\); control: groups with no HS6 code on any (.+) tariff list on (.+) in force by (\S+) \((\d+) with data: ([\d ]+)\); (\d+) partly treated groups left out; standard errors clustered by product group$/,
    (m) =>
      `数据：${m[1]}，HS${m[2]}位月度数据，${m[3]}至${m[4]}；事件月份为${m[5]}（k = 0）；处理组：至少${m[6]}%的HS6编码列入${m[7]}清单的HS2类（${m[8]}类有数据）；对照组：截至${m[11]}没有任何HS6编码列入${m[9]}对${m[10]}关税清单的类别（${m[12]}类有数据：${m[13].trim().split(' ').join('、')}）；剔除部分受影响的类别${m[14]}个；标准误按产品类别聚类。`,
  ],
  [
    /^settings: year (\d{4}); allies: (.+?); weights used: (.+?) \(rescaled to sum to 1\); thresholds critical ([\d.]+), high ([\d.]+), watch ([\d.]+); dependence test: HHI > ([\d.]+) in imports and world exports and imports > exports in (\d+) of (\d{4})–(\d{4}); products with imports from (.+?) ≥ US\$([\d,]+)$/,
    (m) =>
      `设定：${m[1]}年；盟友：${m[2] === 'none' ? '无' : m[2]}；所用权重：${m[3].replace(/([a-z_]+) ([\d.]+)/g, (_, c: string, w: string) => `${COMPONENT_ZH[c] ?? c} ${w}`).replace(/, /g, '、')}（重新归一化）；等级阈值：极高${m[4]}、高${m[5]}、关注${m[6]}；依赖性检验：${m[9]}—${m[10]}年中有${m[8]}年进口与世界出口的HHI均大于${m[7]}且进口大于出口；仅列自${m[11]}进口不低于${m[12]}美元的产品。`,
  ],
];

/** Returns a reason or list in Chinese: each known piece rewritten wherever it occurs, then the punctuation. */
function inner(text: string): string {
  let out = text;
  for (const [re, write] of INNER) {
    const global = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
    out = out.replace(global, (...args) => write(args.slice(0, -2) as unknown as RegExpExecArray));
  }
  return out.replace(/; /g, '；').replace(/: (?=\S)/g, '：');
}

/** Returns the Chinese edition of a note the code writes in English, or the note unchanged when no rule matches. */
export function noteInChinese(text: string): string {
  for (const [re, write] of RULES) {
    const m = re.exec(text);
    if (m) return write(m);
  }
  return inner(text);
}
