import type { Store } from '../store/store.js';
import { registryEntityCheck, RULE_PUBLICATION_DAYS } from '../measures/entityCounts.js';
import type { Lang, ReportSection } from './reportModel.js';

/**
 * Adds to the report's measures section, where Federal Register documents with entity counts are loaded and
 * one of the pair is the United States, the registry's Entity List counts beside those documents, and a finding
 * saying how many agree; returns nothing (the section is changed in place).
 */
export async function addEntityCheck(
  store: Store,
  R: string,
  P: string,
  lang: Lang,
  sec: ReportSection,
): Promise<void> {
  if (R !== 'USA' && P !== 'USA') return;
  const counted = await store.one(
    `SELECT count(*) AS n FROM fr_documents WHERE entities_added IS NOT NULL OR entities_added_chn IS NOT NULL`,
  );
  if (!Number(counted?.n)) return;
  const rows = await registryEntityCheck(store);
  if (!rows.length) return;
  const titles = await store.all(`SELECT measure_id, title_en, title_zh FROM measures`);
  const title = new Map(titles.map((t) => [String(t.measure_id), String(lang === 'zh' ? t.title_zh : t.title_en)]));
  const id = 'entity-list-check';
  sec.tables.push({
    id,
    title:
      lang === 'zh'
        ? '措施库实体清单条目的实体数与《联邦公报》文件的对照'
        : "The registry's Entity List counts beside the Federal Register documents",
    rows: rows.map(({ measure_id, ...r }) => ({ title: title.get(String(measure_id)) ?? measure_id, ...r })),
    notes: [
      `counts of entities added as the imported file gives them (parsed from each document's abstract); ${counted?.n} counted documents: the file is incomplete, so sums are over the documents it holds, not totals`,
      `a registry entry is matched with the counted documents published from its announcement to ${RULE_PUBLICATION_DAYS} days after it; 'same count' when the registry's count equals the documents' sum in all or in China`,
    ],
  });
  const same = rows.filter((r) => r.check === 'same count').length;
  const differs = rows.filter((r) => r.check === 'differs').length;
  const checked = same + differs;
  sec.findings.push({
    table: id,
    text:
      lang === 'zh'
        ? `措施库中有${rows.length}项美国实体清单条目记有实体数，其中${checked}项可与已导入的《联邦公报》文件对照：${same}项一致，${differs}项不一致；其余${rows.length - checked}项在已导入文件中找不到对应文件。`
        : `Of the registry's ${rows.length} US Entity List entries with an entity count, ${checked} can be checked against the Federal Register documents loaded: ${same} agree and ${differs} differ; the other ${rows.length - checked} have no matching document in the file.`,
  });
}
