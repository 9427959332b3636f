/** The add-on path of the benchmark: filled in with the Apps Script layer. */
export function addonBench(): void {}
