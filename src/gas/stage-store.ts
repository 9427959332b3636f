/** Where a unit sheet's stage is recorded: a document property per sheet id (a renamed sheet keeps its stage). */
import { type SheetStage, stageOfName } from '../core/engine/stages';

export function stageProperty(sheetId: number): string {
  return `chamdiem.stage.${sheetId}`;
}

/** The recorded stage of each sheet id that has one, from one read of the document properties. */
export function recordedStages(ids: Iterable<number>): Map<number, SheetStage> {
  const all = PropertiesService.getDocumentProperties().getProperties();
  const out = new Map<number, SheetStage>();
  for (const id of ids) {
    const stage = stageOfName(all[stageProperty(id)]);
    if (stage) out.set(id, stage);
  }
  return out;
}
