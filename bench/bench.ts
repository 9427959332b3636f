/**
 * npm run bench — prints the engine's speed and memory on generated sheets, and (when the
 * add-on model is available) the modelled Apps Script cost of checking real workbooks.
 */
import { scoreGrid } from '../src/core/engine/score';
import { jsonReport, measuredWorkloads, printTable } from './report';
import { generatedGrid } from './grids';

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
  // installGlobals replaces console with the emulator's recorder, so lines are written directly.
  const print = (line: string) => process.stdout.write(`${line}\n`);
  if (process.argv.includes('--json')) {
    print(jsonReport(measuredWorkloads()));
    return;
  }
  console.log('Engine (scoreGrid) on generated sheets, in-process:');
  console.log('   rows | ms per sheet |   rows/s | extra heap (MiB) | findings');
  const results = [100, 1_000, 10_000, 100_000].map(measure);
  for (const r of results) {
    console.log(
      `${String(r.rows).padStart(7)} | ${r.ms.toFixed(2).padStart(12)} | ${String(r.rowsPerSecond).padStart(8)} | ` +
        `${r.peakMiB.toFixed(1).padStart(16)} | ${r.findings}`,
    );
  }
  const ratio = results[3].ms / results[2].ms;
  console.log(`Linearity: 100,000 rows take ${ratio.toFixed(1)}× the time of 10,000 rows (10× is linear).`);
  printTable(measuredWorkloads(), print);
}

main();
