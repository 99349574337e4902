import { buildDataset, findHeaders, loadCincRecords } from './src-main/ml/dataset.ts';
import { STANDARD_LEADS } from './src-shared/record.ts';
const hs = findHeaders('/work/shared/data/cinc/chapman-ningbo/WFDBRecords/01/010').slice(0, 10);
let t0 = performance.now(); const { records } = await loadCincRecords(hs); console.log('read', (performance.now()-t0).toFixed(0));
for (const bp of [null, { lowHz: 0.5, highHz: 40 }]) {
t0 = performance.now(); buildDataset(records, { samplingRate: 100, samples: 1000, leads: [...STANDARD_LEADS], bandpass: bp }, ['a']); console.log('build', bp, (performance.now()-t0).toFixed(0));
}
