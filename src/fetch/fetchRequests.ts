import type { Row, Store } from '../store/store.js';

/** A fetch as `decouple update` repeats it: the fetch subcommand and its arguments. */
export interface FetchRequest {
  request_id: number;
  command: string;
  args: string[];
  last_run: string;
}

/** Returns the highest dataset id in the store (0 when there is none): datasets above it are newer. */
export async function lastDatasetId(store: Store): Promise<number> {
  const r = await store.one(`SELECT coalesce(max(dataset_id), 0) AS id FROM datasets`);
  return Number(r?.id ?? 0);
}

/**
 * Records a finished fetch (subcommand and arguments, never keys or mirrors) and links to it the datasets with
 * ids above `since` (those the fetch imported); returns the request's id. The same subcommand with the same
 * arguments is one request, run again.
 */
export async function recordFetchRequest(
  store: Store,
  command: string,
  args: string[],
  since: number,
): Promise<number> {
  const text = JSON.stringify(args);
  const known = await store.one(`SELECT request_id FROM fetch_requests WHERE command = $1 AND args = $2`, [
    command,
    text,
  ]);
  let id = Number(known?.request_id ?? 0);
  if (id) {
    await store.run(`UPDATE fetch_requests SET last_run = current_timestamp WHERE request_id = $1`, [id]);
  } else {
    const next = await store.one(`SELECT coalesce(max(request_id), 0) + 1 AS id FROM fetch_requests`);
    id = Number(next?.id);
    await store.run(`INSERT INTO fetch_requests VALUES ($1, $2, $3, current_timestamp, current_timestamp)`, [
      id,
      command,
      text,
    ]);
  }
  await store.run(
    `INSERT INTO fetch_request_datasets SELECT $1, dataset_id FROM datasets WHERE dataset_id > $2
       AND dataset_id NOT IN (SELECT dataset_id FROM fetch_request_datasets WHERE request_id = $1)`,
    [id, since],
  );
  return id;
}

/** Returns the recorded fetch requests, oldest first. */
export async function fetchRequests(store: Store): Promise<FetchRequest[]> {
  const rows = await store.all(
    `SELECT request_id, command, args, strftime(last_run, '%Y-%m-%d %H:%M:%S') AS last_run FROM fetch_requests ORDER BY request_id`,
  );
  return rows.map((r: Row) => ({
    request_id: Number(r.request_id),
    command: String(r.command),
    args: JSON.parse(String(r.args)) as string[],
    last_run: String(r.last_run),
  }));
}

/** Returns the datasets a request has brought (id, source, kind), oldest first. */
export async function requestDatasets(store: Store, requestId: number): Promise<Row[]> {
  return store.all(
    `SELECT d.dataset_id, d.source, d.kind, d.file_name FROM fetch_request_datasets r JOIN datasets d USING (dataset_id)
     WHERE r.request_id = $1 ORDER BY d.dataset_id`,
    [requestId],
  );
}
