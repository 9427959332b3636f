/** The priced workloads as a table (npm run bench) or as the issue's JSON document (npm run bench -- --json). */
import { benchJson, MODEL, price, type Workload } from './cost-model';
import { FAILURES, runWorkloads, SIZES } from './workloads';

/** Every workload at both sizes; what failed on the way is written to stderr (the figures stay, marked there). */
export function measuredWorkloads(): Workload[] {
  const workloads = SIZES.flatMap((s) => runWorkloads(s.units, s.rows));
  for (const f of FAILURES) process.stderr.write(`FAILED: ${f}\n`);
  return workloads;
}

export function printTable(workloads: readonly Workload[], print: (line: string) => void): void {
  const m = MODEL;
  print('');
  print(
    `Add-on paths, priced by the cost model (ms; low/mid/high): read ${m.spreadsheetRead.low}/${m.spreadsheetRead.mid}/` +
      `${m.spreadsheetRead.high}, queued write ${m.queuedWrite.low}/${m.queuedWrite.mid}/${m.queuedWrite.high}, commit ` +
      `${m.commit.low}/${m.commit.mid}/${m.commit.high}, lookup ${m.lookup.low}/${m.lookup.mid}/${m.lookup.high}, Properties get ` +
      `${m.propertiesGet.low}/${m.propertiesGet.mid}/${m.propertiesGet.high} set ${m.propertiesSet.low}/${m.propertiesSet.mid}/` +
      `${m.propertiesSet.high}, Sheets API call ${m.apiCall.low}/${m.apiCall.mid}/${m.apiCall.high} + ${m.apiPerMB.low}/` +
      `${m.apiPerMB.mid}/${m.apiPerMB.high} per MB, mail ${m.mailMessage.low}/${m.mailMessage.mid}/${m.mailMessage.high}.`,
  );
  const head = `  ${'workload'.padEnd(20)} | ${'size'.padEnd(9)} | calls | API | API reads/writes |     bytes`;
  print(`${head} |  low s |  mid s | high s`);
  for (const w of workloads) {
    const p = price(w.calls);
    const names = w.calls.map((c) => (typeof c === 'string' ? c : c.name));
    const writes = names.filter((n) => n === 'Sheets.Spreadsheets.batchUpdate').length;
    const size = `${w.units}×${w.rows}`;
    const secs = [p.seconds.low, p.seconds.mid, p.seconds.high].map((v) => v.toFixed(1).padStart(6)).join(' | ');
    print(
      `  ${w.name.padEnd(20)} | ${size.padEnd(9)} | ${String(p.calls).padStart(5)} | ${String(p.apiCalls).padStart(3)} | ` +
        `${`${p.apiCalls - writes}/${writes}`.padStart(16)} | ${String(p.bytes).padStart(9)} | ${secs}`,
    );
  }
  const big = workloads.find((w) => w.name === 'check-all-first' && w.units === 100);
  if (big) {
    const names = big.calls.map((c) => (typeof c === 'string' ? c : c.name));
    const writes = names.filter((n) => n === 'Sheets.Spreadsheets.batchUpdate').length;
    const reads = names.filter((n) => n.startsWith('Sheets.')).length - writes;
    print(
      `A check-all of 100 units × 300 rows makes ${reads} Sheets API reads and ${writes} writes ` +
        `(quota: 60 reads and 60 writes a minute per user).`,
    );
  }
}

export function jsonReport(workloads: readonly Workload[]): string {
  return JSON.stringify(benchJson(workloads), null, 2);
}
