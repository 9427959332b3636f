/** Where a unit sheet's stage is recorded: a document property per sheet id (a renamed sheet keeps its stage). */
import { documentProperties } from './env';
import { type SheetStage, stageOfName } from '../core/engine/stages';

export function stageProperty(sheetId: number): string {
  return `chamdiem.stage.${sheetId}`;
}

/** The stage name recorded for each sheet id that has one, as written, from one read of the document properties. */
export function recordedStageNames(ids: Iterable<number>): Map<number, string> {
  const all = documentProperties().getProperties();
  const out = new Map<number, string>();
  for (const id of ids) {
    const name = all[stageProperty(id)];
    if (name) out.set(id, name);
  }
  return out;
}

/** The recorded stage of each sheet id that has one (one read). */
export function recordedStages(ids: Iterable<number>): Map<number, SheetStage> {
  const out = new Map<number, SheetStage>();
  for (const [id, name] of recordedStageNames(ids)) {
    const stage = stageOfName(name);
    if (stage) out.set(id, stage);
  }
  return out;
}
