/**
 * Generates the bundled example workbook examples/bieu-cham-diem-mau.xlsx:
 *   - "Cấu hình": the settings of Phước Chánh commune (units, milestones, official domain);
 *   - one score sheet per unit in the standard layout, each at a different stage of the work;
 *   - "Phụ lục 2024": the real 2024 appendix with every mistake it was published with.
 * Usage: npm run example [-- OUT.xlsx]
 */
import ExcelJS from 'exceljs';
import { defaultSettings, parseDay, settingsGrid, type Settings } from '../src/core/settings/settings';
import { STAGE_WIDTHS, STANDARD_WIDTHS, unitSheetGrid } from '../src/core/sheet/template';
import { SAMPLE_APPENDIX_HEADER, SAMPLE_APPENDIX_ROWS } from './sample-appendix';
import {
  COMMUNE,
  CRITERIA_SET,
  type ExampleRow,
  type ExampleUnit,
  MILESTONES,
  OFFICE_EMAIL,
  OFFICIAL_DOMAINS,
  UNITS,
  YEAR,
} from './example-data';

export const EXAMPLE_PATH = 'examples/bieu-cham-diem-mau.xlsx';

export function exampleSettings(): Settings {
  const s = defaultSettings(YEAR);
  s.commune = COMMUNE;
  s.officeEmail = OFFICE_EMAIL;
  s.officeFocal = 'Huỳnh Quốc Việt - 0987015592';
  s.domains = [OFFICIAL_DOMAINS];
  s.council = ['hoidong.phuocchanh@gialai.gov.vn'];
  s.units = UNITS.map((u) => ({ name: u.name, sheet: u.sheet, focal: u.focal, email: u.email, phone: u.phone, sensitive: u.sensitive }));
  s.milestones = MILESTONES.map(([date, content]) => ({ date: parseDay(date, YEAR) as string, content }));
  return s;
}

const isLeaf = (i: number) => !CRITERIA_SET[i + 1] || !CRITERIA_SET[i + 1][0].startsWith(`${CRITERIA_SET[i][0]}.`);

/** A unit's score sheet with its typed values. */
export function unitGrid(unit: ExampleUnit, settings: Settings): unknown[][] {
  const grid = unitSheetGrid(
    unit.name,
    settings,
    CRITERIA_SET.map(([outline, text, max]) => ({ outline, text, max })),
    unit.stages,
  );
  const firstRow = 5; // 0-based index of the first criterion row (after 4 title rows and the header)
  const set = (rowIndex: number, values: ExampleRow) => {
    const row = grid[rowIndex];
    if (values.self !== undefined) row[3] = values.self;
    if (values.explanation !== undefined) row[4] = values.explanation;
    if (values.evidence !== undefined) row[5] = values.evidence;
    if (values.appraisal !== undefined) row[6] = values.appraisal;
    if (values.reason !== undefined) row[7] = values.reason;
    if (values.request !== undefined) row[8] = values.request;
    (['check', 'appeal', 'extraEvidence', 'final', 'finalReason'] as const).forEach((key, k) => {
      if (values[key] !== undefined) row[9 + k] = values[key];
    });
  };
  CRITERIA_SET.forEach(([outline, , max], i) => {
    if (!isLeaf(i)) return;
    const slug = outline.replace(/\./g, '-');
    const base: ExampleRow =
      unit.base === 'full' ? { self: max, evidence: `https://drive.google.com/file/d/1${unit.sheet.length}${slug}MinhChung/view` } : {};
    if (unit.stages) base.check = 'Đạt';
    const merged = { ...base, ...(unit.rows[outline] ?? {}) };
    if (unit.appraise && merged.appraisal === undefined) merged.appraisal = merged.self;
    if (unit.appraise && merged.appraisal !== merged.self && merged.reason === undefined && outline !== '7.2')
      merged.reason = 'Đối chiếu minh chứng';
    set(firstRow + i, merged);
  });
  if (unit.bonus) set(firstRow + CRITERIA_SET.length, unit.bonus);
  if (unit.penalty) set(firstRow + CRITERIA_SET.length + 1, unit.penalty);
  return grid;
}

function addSheet(wb: ExcelJS.Workbook, name: string, grid: unknown[][], widths: number[], headerRow: number) {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: headerRow }] });
  grid.forEach((cells) => ws.addRow(cells.map((v) => (v === '' ? null : v))));
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = Math.round(w / 7)));
  const header = ws.getRow(headerRow);
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
  ws.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
  return ws;
}

export function buildExampleWorkbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Chấm điểm CCHC/CDS';
  wb.created = new Date(Date.UTC(YEAR, 10, 20));
  wb.modified = wb.created;
  const settings = exampleSettings();
  const cfg = addSheet(wb, 'Cấu hình', settingsGrid(settings), [260, 260, 180, 160, 260, 110, 80], 0);
  cfg.getRow(1).font = { bold: true, size: 13 };

  for (const unit of UNITS) {
    const ws = addSheet(wb, unit.sheet, unitGrid(unit, settings), unit.stages ? [...STANDARD_WIDTHS, ...STAGE_WIDTHS] : STANDARD_WIDTHS, 5);
    ws.getRow(2).font = { bold: true, size: 13 };
    CRITERIA_SET.forEach(([outline], i) => {
      if (!outline.includes('.') || !isLeaf(i)) ws.getRow(6 + i).font = { bold: true };
    });
  }

  const appendix: unknown[][] = [
    ['PHỤ LỤC'],
    ['Nhiệm vụ duy trì, giải pháp khắc phục những tồn tại, hạn chế việc đánh giá chấm điểm tiêu chí thành phần nhiệm vụ CCHC năm 2024'],
    ['(Kèm theo Kế hoạch số: /KH-UBND ngày 23 tháng 12 năm 2024 của UBND xã)'],
    [],
    SAMPLE_APPENDIX_HEADER,
    ...SAMPLE_APPENDIX_ROWS,
  ];
  addSheet(wb, 'Phụ lục 2024', appendix, [70, 420, 80, 80, 90, 100, 200, 300], 5);
  return wb;
}

async function main() {
  const out = process.argv[2] ?? EXAMPLE_PATH;
  await buildExampleWorkbook().xlsx.writeFile(out);
  console.log(`Đã tạo ${out}`);
}

if (require.main === module) void main();
