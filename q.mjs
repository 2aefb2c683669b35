import { Store } from './dist/src/store/store.js';
import { tariffStack } from './dist/src/measures/tariffStack.js';
const store = await Store.open(process.env.DECOUPLE_DB);
for (const [d, lines] of [['2025-06-01', ['85171300','8517130000']], ['2024-10-01', ['87038000']], ['2025-06-01', ['87038000','72081000','84713001']], ['2018-01-01',['85076000']], ['2019-06-01',['85076000']], ['2025-04-12',['85076000','94036080']]]) {
  const r = await tariffStack(store, { importer: 'USA', exporter: 'CHN', date: d, lines });
  console.log(d, r.mfnYear); console.table(r.rows);
}
