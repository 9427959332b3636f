/** Generated score sheets for the benchmark. */
import { STANDARD_HEADERS } from '../src/core/sheet/template';

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
        grid.push([
          `${section}.${g}.${l}`,
          `Tiêu chí ${section}.${g}.${l}`,
          1,
          self,
          i % 5 === 0 ? '' : 'giải trình',
          i % 7 === 0 ? '' : 'https://drive.google.com/x',
          1,
          '',
          '',
        ]);
      }
    }
  }
  return grid;
}
