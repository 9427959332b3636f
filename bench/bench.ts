/**
 * npm run bench — prints the engine's speed and memory on generated sheets, and (when the
 * add-on model is available) the modelled Apps Script cost of checking real workbooks.
 */
import { scoreGrid } from '../src/core/score';
import { STANDARD_HEADERS } from '../src/core/template';
import { addonBench } from './addon';

/** A sheet of `rows` rows: sections of groups of 8 leaves, some typed as text, some unscored. */
export function generatedGrid(rows: number): unknown[][] {
  const grid: unknown[][] = [['BIỂU CHẤM ĐIỂM'], [...STANDARD_HEADERS]];
  let section = 0;
  while (grid.length < rows + 2) {
    section++;
    grid.push([String(section), `Mục ${section}`, '', '', '', '', '', '', '']);
    for (let g = 1; g <= 10 && grid.length < rows + 2; g++) {
      grid.push([`${section}.${g}`, `Nhóm ${section}.${g}`, '', '', '', '', '', '', '']);
      for (let l = 1; l <= 8 && grid.length < rows + 2; l++) {
        const i = grid.length;
        const self = i % 17 === 0 ? '' : i % 13 === 0 ? '0,5' : 1;
        grid.push([`${section}.${g}.${l}`, `Tiêu chí ${section}.${g}.${l}`, 1, self, i % 5 === 0 ? '' : 'giải trình', i % 7 === 0 ? '' : 'https://drive.google.com/x', 1, '', '']);
      }
    }
  }
  return grid;
}

function gc() {
  (globalThis as { gc?: () => void }).gc?.();
}

function measure(rows: number) {
  const grid = generatedGrid(rows);
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  let peak = heapBefore;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 1);
  const runs = rows <= 1000 ? 20 : rows <= 10000 ? 5 : 2;
  const start = process.hrtime.bigint();
  let findings = 0;
  for (let i = 0; i < runs; i++) {
    const r = scoreGrid(grid);
    if (!r.ok) throw new Error(r.reason);
    findings = r.findings.length;
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6 / runs;
  clearInterval(timer);
  return { rows, ms, rowsPerSecond: Math.round((rows / ms) * 1000), peakMiB: (peak - heapBefore) / 1048576, findings };
}

function main() {
  console.log('Engine (scoreGrid) on generated sheets, in-process:');
  console.log('   rows | ms per sheet |   rows/s | extra heap (MiB) | findings');
  const results = [100, 1_000, 10_000, 100_000].map(measure);
  for (const r of results) {
    console.log(`${String(r.rows).padStart(7)} | ${r.ms.toFixed(2).padStart(12)} | ${String(r.rowsPerSecond).padStart(8)} | ${r.peakMiB.toFixed(1).padStart(16)} | ${r.findings}`);
  }
  const ratio = results[3].ms / results[2].ms;
  console.log(`Linearity: 100,000 rows take ${ratio.toFixed(1)}× the time of 10,000 rows (10× is linear).`);
  addonBench();
}

main();
