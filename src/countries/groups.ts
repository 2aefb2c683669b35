import { setting } from '../core/config.js';
import { existsSync } from 'node:fs';
import { listValue } from '../store/index.js';
import { z } from 'zod';
import type { Store } from '../store/store.js';
import { bulkInsert, columnSpec } from '../store/bulkInsert.js';
import { readFactFile } from '../util/factFile.js';
import { shippedDataPath } from '../util/paths.js';

const isoDate = z
  .union([z.date(), z.string().regex(/^\d{4}-\d{2}-\d{2}$/)])
  .transform((d) => (d instanceof Date ? d.toISOString().slice(0, 10) : d));

const GroupFileSchema = z.object({
  version: z.literal(1),
  groups: z.array(
    z
      .object({
        id: z.string().regex(/^[A-Za-z0-9_-]+$/),
        name_en: z.string().min(1),
        name_zh: z.string().min(1),
        kind: z.string().min(1),
        confidence: z.enum(['high', 'medium', 'low']).optional(),
        source: z.object({ title: z.string().min(1), url: z.string().min(1) }),
        note: z.string().optional(),
        members: z
          .array(
            z.object({
              iso3: z.string().regex(/^[A-Z]{3}$/),
              from: isoDate,
              to: isoDate.optional(),
              note: z.string().optional(),
            }),
          )
          .min(1),
      })
      .superRefine((g, ctx) => {
        g.members.forEach((m, i) => {
          if (m.to && m.to < m.from) {
            ctx.addIssue({
              code: 'custom',
              path: ['members', i, 'to'],
              message: `end date ${m.to} is before start ${m.from}`,
            });
          }
        });
      }),
  ),
});

export type GroupFile = z.infer<typeof GroupFileSchema>;

/** Returns the groups defined in a YAML file (the shipped one or a user's), validated. */
export function readGroupFile(path: string): GroupFile {
  return readFactFile(path, GroupFileSchema);
}

/** Returns the path of the user's custom group file ($DECOUPLE_GROUPS), if any. */
export function userGroupFile(): string | undefined {
  const p = setting('DECOUPLE_GROUPS');
  return p && existsSync(p) ? p : undefined;
}

/**
 * Loads the shipped groups and, when given, a user's group file into the store,
 * replacing earlier definitions of the same ids; returns the number of groups.
 */
export async function loadCountryGroups(store: Store, extraFile?: string): Promise<number> {
  const files: Array<[string, string]> = [[shippedDataPath('country-groups.yaml'), 'builtin']];
  if (extraFile) files.push([extraFile, extraFile]);
  let n = 0;
  for (const [path, origin] of files) {
    const file = readGroupFile(path);
    const ids = file.groups.map((g) => g.id);
    if (ids.length === 0) continue;
    await store.run(`DELETE FROM country_group_members WHERE group_id IN (SELECT unnest($1::VARCHAR[]))`, [
      listValue(ids),
    ]);
    await store.run(`DELETE FROM country_groups WHERE group_id IN (SELECT unnest($1::VARCHAR[]))`, [listValue(ids)]);
    await bulkInsert(
      store,
      'country_groups',
      columnSpec(['group_id', 'name_en', 'name_zh', 'kind', 'source_title', 'source_url', 'note', 'origin']),
      file.groups.map((g) => [
        g.id,
        g.name_en,
        g.name_zh,
        g.kind,
        g.source.title,
        g.source.url,
        g.note ?? (g.confidence ? `confidence: ${g.confidence}` : null),
        origin,
      ]),
    );
    await bulkInsert(
      store,
      'country_group_members',
      columnSpec(['group_id', 'iso3', 'from_date:DATE', 'to_date:DATE', 'note']),
      file.groups.flatMap((g) => g.members.map((m) => [g.id, m.iso3, m.from, m.to ?? null, m.note ?? null])),
    );
    n += file.groups.length;
  }
  return n;
}

/** Returns the ISO3 members of a group on a date (YYYY-MM-DD). */
export async function groupMembersOn(store: Store, groupId: string, date: string): Promise<string[]> {
  const rows = await store.all(
    `SELECT iso3 FROM country_group_members WHERE group_id = $1 AND from_date <= $2::DATE AND (to_date IS NULL OR to_date >= $2::DATE) ORDER BY iso3`,
    [groupId, date],
  );
  if (rows.length === 0) {
    const exists = await store.one('SELECT 1 AS x FROM country_groups WHERE group_id = $1', [groupId]);
    if (!exists) throw new Error(`unknown country group '${groupId}' (see \`decouple groups\`)`);
  }
  return rows.map((r) => String(r.iso3));
}
