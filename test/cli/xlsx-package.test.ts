/**
 * The package patcher on small hand-written packages: where new rows, cells and elements go, what it
 * refuses to break, styles, notes, and parts it creates. Results are read back with exceljs (a
 * second reader) and with the test's own XML reader.
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { XlsxPackage } from '../../src/cli/xlsx/package';
import { writeRules, writeValidations } from '../../src/cli/xlsx/sheet-rules';
import type { HighlightRule } from '../../src/core/sheet/highlights';
import { canon, descendants, kid, kids, local, parseXml, type XmlNode } from '../fixtures/xml-dom';

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_RELS = 'http://schemas.openxmlformats.org/package/2006/relationships';

const STYLES = `<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="${MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="0.000"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border><left style="thin"/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="1" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyFont="1" applyBorder="1" applyAlignment="1" applyProtection="1"><alignment horizontal="center" wrapText="1"/><protection locked="0"/></xf><xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

interface Spec {
  sheets: string[];
  styles?: string | null;
  sharedStrings?: string;
  calcChain?: boolean;
  extra?: Record<string, string>;
  sheetRels?: Record<number, string>;
}

/** A package with the given worksheets (XML texts) named S1, S2, … */
async function makePackage(spec: Spec): Promise<Uint8Array> {
  const zip = new JSZip();
  const overrides = spec.sheets.map(
    (_, i) =>
      `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
  );
  const rels = spec.sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${R}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`);
  if (spec.styles !== null) {
    zip.file('xl/styles.xml', spec.styles ?? STYLES);
    overrides.push(
      '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>',
    );
    rels.push(`<Relationship Id="rIdS" Type="${R}/styles" Target="styles.xml"/>`);
  }
  if (spec.sharedStrings) {
    zip.file('xl/sharedStrings.xml', spec.sharedStrings);
    overrides.push(
      '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>',
    );
    rels.push(`<Relationship Id="rIdT" Type="${R}/sharedStrings" Target="sharedStrings.xml"/>`);
  }
  if (spec.calcChain) {
    zip.file('xl/calcChain.xml', `<calcChain xmlns="${MAIN}"><c r="B1" i="1"/></calcChain>`);
    overrides.push(
      '<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/>',
    );
    rels.push(`<Relationship Id="rIdC" Type="${R}/calcChain" Target="calcChain.xml"/>`);
  }
  zip.file(
    '[Content_Types].xml',
    `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${overrides.join('')}</Types>`,
  );
  zip.file(
    '_rels/.rels',
    `<Relationships xmlns="${PKG_RELS}"><Relationship Id="rId1" Type="${R}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  );
  zip.file(
    'xl/workbook.xml',
    `<workbook xmlns="${MAIN}" xmlns:r="${R}"><sheets>${spec.sheets.map((_, i) => `<sheet name="S${i + 1}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
  );
  zip.file('xl/_rels/workbook.xml.rels', `<Relationships xmlns="${PKG_RELS}">${rels.join('')}</Relationships>`);
  spec.sheets.forEach((xml, i) => zip.file(`xl/worksheets/sheet${i + 1}.xml`, xml));
  for (const [i, xml] of Object.entries(spec.sheetRels ?? {})) zip.file(`xl/worksheets/_rels/sheet${i}.xml.rels`, xml);
  for (const [name, text] of Object.entries(spec.extra ?? {})) zip.file(name, text);
  return zip.generateAsync({ type: 'uint8array' });
}

const sheetXml = (body: string, ns = `xmlns="${MAIN}" xmlns:r="${R}"`) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<worksheet ${ns}>${body}</worksheet>`;

async function edit(
  bytes: Uint8Array,
  sheet: string,
  f: (s: NonNullable<Awaited<ReturnType<XlsxPackage['sheet']>>>) => void,
): Promise<Uint8Array> {
  const pkg = await XlsxPackage.open(bytes);
  const s = await pkg.sheet(sheet);
  if (!s) throw new Error(`no sheet ${sheet}`);
  f(s);
  return pkg.save();
}

async function part(bytes: Uint8Array, name: string): Promise<string | null> {
  const file = (await JSZip.loadAsync(bytes)).file(name);
  return file ? file.async('string') : null;
}

async function excel(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb;
}

const rowsOf = (xml: string) => kids(kid(parseXml(xml), 'sheetData')!, 'row');

describe('cells and rows', () => {
  it('puts new rows and cells in order, next to rows and cells written without a reference', async () => {
    const bytes = await makePackage({
      sheets: [
        sheetXml(
          '<dimension ref="B2:D5"/><sheetData><row r="2" spans="2:4"><c r="B2"><v>1</v></c><c r="D2"><v>3</v></c></row><row r="5"><c><v>5</v></c><c><v>6</v></c></row></sheetData>',
        ),
      ],
    });
    const out = await edit(bytes, 'S1', (s) => {
      s.setCell('C2', { number: 2 });
      s.setCell('A2', { number: 0.5 });
      s.setCell('F2', { number: 4 });
      s.setCell('A1', { number: 10 });
      s.setCell('B3', { number: 30 });
      s.setCell('C5', { number: 7 });
      s.setCell('A9', { number: 90 });
    });
    const xml = (await part(out, 'xl/worksheets/sheet1.xml'))!;
    const rows = rowsOf(xml);
    expect(rows.map((r) => r.attrs.r ?? '(none)')).toEqual(['1', '2', '3', '5', '9']);
    expect(kids(rows[1], 'c').map((c) => c.attrs.r)).toEqual(['A2', 'B2', 'C2', 'D2', 'F2']);
    expect(rows[1].attrs.spans).toBe('1:6');
    expect(kid(parseXml(xml), 'dimension')!.attrs.ref).toBe('A1:F9');
    // Cells of row 5 written without a reference stay A5 and B5 (exceljs cannot read those: positions by hand).
    const values: Record<string, number> = {};
    for (const row of rows) {
      let col = 0;
      for (const c of kids(row, 'c')) {
        col = c.attrs.r ? c.attrs.r.charCodeAt(0) - 64 : col + 1;
        values[`${String.fromCharCode(64 + col)}${row.attrs.r}`] = Number(kid(c, 'v')!.text);
      }
    }
    expect(values).toEqual({ A1: 10, A2: 0.5, B2: 1, C2: 2, D2: 3, F2: 4, B3: 30, A5: 5, B5: 6, C5: 7, A9: 90 });
  });

  it('reads cells as the file holds them: numbers, shared and inline strings, formulas, blanks', async () => {
    const bytes = await makePackage({
      sheets: [
        sheetXml(
          '<sheetData><row r="1"><c r="A1"><v>2.5</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c><c r="D1" s="2"/><c r="E1"><f>A1*2</f><v>5</v></c><c r="F1" t="s"><v>0</v></c><c r="G1" t="b"><v>1</v></c><c r="H1" t="e"><v>#REF!</v></c></row></sheetData>',
        ),
      ],
      sharedStrings: `<sst xmlns="${MAIN}" count="2" uniqueCount="2"><si><t>  </t></si><si><r><t>Điểm </t></r><r><t>tự chấm</t></r><rPh><t>x</t></rPh></si></sst>`,
    });
    const pkg = await XlsxPackage.open(bytes);
    const s = (await pkg.sheet('S1'))!;
    expect(['A1', 'B1', 'C1', 'D1', 'E1', 'F1', 'G1', 'H1', 'Z9'].map((r) => [s.cell(r).type, s.cell(r).value, s.cell(r).formula])).toEqual(
      [
        ['number', 2.5, false],
        ['string', 'Điểm tự chấm', false],
        ['string', 'inline', false],
        ['blank', null, false],
        ['number', 5, true],
        ['string', '  ', false],
        ['boolean', true, false],
        ['error', '#REF!', false],
        ['blank', null, false],
      ],
    );
    expect(s.cell('D1').style).toBe(2);
  });

  it('writes strings inline (the shared strings stay as they were) and formulas with their result', async () => {
    const sst = `<sst xmlns="${MAIN}" count="1" uniqueCount="1"><si><t>cũ</t></si></sst>`;
    const bytes = await makePackage({
      sheets: [sheetXml('<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>')],
      sharedStrings: sst,
    });
    const text = 'Tổng <điểm> & "hạng"\nmã _x0041_ giữ nguyên';
    const out = await edit(bytes, 'S1', (s) => {
      s.setCell('B1', { string: text });
      s.setCell('C1', { formula: '=SUM(D1:D2)', cached: 3 });
      s.setCell('E1', { formula: 'A1&"x"', cached: 'cũx' });
      s.setCell('D1', { number: 1 });
      s.setCell('D2', { number: 2 });
    });
    expect(await part(out, 'xl/sharedStrings.xml')).toBe(sst);
    const ws = (await excel(out)).getWorksheet('S1')!;
    expect(ws.getCell('A1').value).toBe('cũ');
    expect(ws.getCell('C1').value).toEqual({ formula: 'SUM(D1:D2)', result: 3 });
    expect(ws.getCell('E1').value).toEqual({ formula: 'A1&"x"', result: 'cũx' });
    // "_x0041_" would mean "A" in a spreadsheet string: its underscore is escaped.
    const b1 = descendants(parseXml((await part(out, 'xl/worksheets/sheet1.xml'))!), 'c').find((c) => c.attrs.r === 'B1')!;
    expect(b1.attrs.t).toBe('inlineStr');
    expect(descendants(b1, 't')[0].text).toBe('Tổng <điểm> & "hạng"\nmã _x005F_x0041_ giữ nguyên');
    const pkg = await XlsxPackage.open(out);
    expect((await pkg.sheet('S1'))!.cell('B1').value).toBe(text);
  });

  it("never breaks a shared formula's master cell or an array formula; a formula replaced by a value drops the calculation chain", async () => {
    const bytes = await makePackage({
      sheets: [
        sheetXml(
          '<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="B1"><f>A1+1</f><v>2</v></c><c r="C1"><f t="shared" ref="C1:C2" si="0">A1*3</f><v>3</v></c></row><row r="2"><c r="C2"><f t="shared" si="0"/><v>0</v></c><c r="D2"><f t="array" ref="D2:E3">A1:B2*2</f><v>2</v></c></row></sheetData>',
        ),
      ],
      calcChain: true,
    });
    const pkg = await XlsxPackage.open(bytes);
    const s = (await pkg.sheet('S1'))!;
    expect(() => s.setCell('C1', { number: 9 })).toThrow(/master cell of a shared formula/);
    expect(() => s.setCell('E3', { number: 9 })).toThrow(/array formula/);
    expect(s.cell('C1')).toMatchObject({ formula: true, value: 3 });
    s.setCell('C2', { number: 4 }); // a follower of the shared formula: the master is untouched
    s.setCell('B1', { number: 5 });
    const out = await pkg.save();
    const zip = await JSZip.loadAsync(out);
    expect(zip.file('xl/calcChain.xml')).toBeNull();
    expect(await zip.file('[Content_Types].xml')!.async('string')).not.toMatch(/calcChain/);
    expect(await zip.file('xl/_rels/workbook.xml.rels')!.async('string')).not.toMatch(/calcChain/);
    const ws = (await excel(out)).getWorksheet('S1')!;
    expect([ws.getCell('B1').value, ws.getCell('C2').value]).toEqual([5, 4]);
    expect(ws.getCell('C1').value).toMatchObject({ formula: 'A1*3', result: 3 });
  });

  it('a prefixed SpreadsheetML namespace and an empty sheetData', async () => {
    const ns = `xmlns:x="${MAIN}" xmlns:rel="${R}"`;
    const bytes = await makePackage({
      sheets: [
        `<x:worksheet ${ns}><x:sheetData/><x:pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></x:worksheet>`,
      ],
    });
    const out = await edit(bytes, 'S1', (s) => {
      s.setCell('B2', { number: 4 });
      s.setFill('B2', 'FFF4C7C3');
      s.setNote('B2', 'ghi chú');
    });
    const root = parseXml((await part(out, 'xl/worksheets/sheet1.xml'))!);
    expect(root.children.map((c) => c.name)).toEqual(['x:sheetData', 'x:pageMargins', 'x:legacyDrawing']);
    expect(canon(kid(root, 'sheetData')!)).toMatch(
      /^<x:sheetData><x:row r="2"><x:c r="B2" s="3"><x:v>4<\/x:v><\/x:c><\/x:row><\/x:sheetData>$/,
    );
    expect(Object.keys(kid(root, 'legacyDrawing')!.attrs)).toEqual(['rel:id']);
  });
});

describe('elements go where the schema puts them', () => {
  const full =
    '<sheetPr/><dimension ref="A1"/><sheetData/><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/><drawing r:id="rId1"/>' +
    '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="x14"><oleObjects><oleObject progId="x" shapeId="1025" r:id="rId2"/></oleObjects></mc:Choice></mc:AlternateContent><tableParts count="0"/><extLst/>';

  it.each([
    [
      'conditionalFormatting',
      '<conditionalFormatting sqref="A1"><cfRule type="expression" priority="1"><formula>A1&gt;0</formula></cfRule></conditionalFormatting>',
      'mergeCells',
      'pageMargins',
    ],
    [
      'dataValidations',
      '<dataValidations count="1"><dataValidation type="decimal" sqref="D8"><formula1>0</formula1><formula2>C8</formula2></dataValidation></dataValidations>',
      'mergeCells',
      'pageMargins',
    ],
    ['hyperlinks', '<hyperlinks/>', 'mergeCells', 'pageMargins'],
    ['cols', '<cols><col min="1" max="1" width="20" customWidth="1"/></cols>', 'dimension', 'sheetData'],
    ['legacyDrawing', '<legacyDrawing r:id="rId9"/>', 'drawing', 'AlternateContent'],
    ['sheetProtection', '<sheetProtection sheet="1"/>', 'sheetData', 'mergeCells'],
  ])('%s', async (localName, element, after, before) => {
    const pkg = await XlsxPackage.open(await makePackage({ sheets: [sheetXml(full)] }));
    const s = (await pkg.sheet('S1'))!;
    s.setCell('A1', { number: 1 });
    s.insert(localName, element);
    s.setCell('B2', { number: 2 }); // edits before and after an insertion both land
    const sheet = parseXml((await part(await pkg.save(), 'xl/worksheets/sheet1.xml'))!);
    expect(descendants(sheet, 'c').map((c) => [c.attrs.r, kid(c, 'v')!.text])).toEqual([
      ['A1', '1'],
      ['B2', '2'],
    ]);
    const names = sheet.children.map((c) => local(c.name));
    expect(names.slice(names.indexOf(localName) - 1, names.indexOf(localName) + 2)).toEqual([after, localName, before]);
  });
});

describe('highlights', () => {
  it('clone the cell format with only the fill changed, and reuse a format already made', async () => {
    const bytes = await makePackage({
      sheets: [
        sheetXml(
          '<cols><col min="3" max="3" width="9" style="2" customWidth="1"/></cols><sheetData><row r="1"><c r="A1" s="1"><v>1</v></c><c r="B1" s="1"><v>2</v></c></row><row r="2" s="1" customFormat="1"><c r="A2"><v>3</v></c></row></sheetData>',
        ),
      ],
    });
    const out = await edit(bytes, 'S1', (s) => {
      s.setFill('A1', 'FFF4C7C3');
      s.setFill('B1', 'FFF4C7C3');
      s.setFill('A2', 'FFFCE8B2'); // a cell without a format of its own: the default one, whatever its row
      s.setFill('B2', 'FFFCE8B2'); // no cell yet: the row's format
      s.setFill('C3', 'FFFCE8B2'); // no row yet: the column's format
    });
    const styles = parseXml((await part(out, 'xl/styles.xml'))!);
    const xfs = kids(kid(styles, 'cellXfs')!, 'xf');
    const fills = kids(kid(styles, 'fills')!, 'fill');
    expect(kid(styles, 'cellXfs')!.attrs.count).toBe(String(xfs.length));
    expect(kid(styles, 'fills')!.attrs.count).toBe(String(fills.length));
    const cells = new Map(
      descendants(parseXml((await part(out, 'xl/worksheets/sheet1.xml'))!), 'c').map((c) => [c.attrs.r, Number(c.attrs.s)]),
    );
    expect(cells.get('A1')).toBe(cells.get('B1'));
    const without = (n: XmlNode) =>
      canon({ ...n, attrs: Object.fromEntries(Object.entries(n.attrs).filter(([k]) => k !== 'fillId' && k !== 'applyFill')) });
    const original = kids(kid(parseXml(STYLES), 'cellXfs')!, 'xf');
    for (const [ref, base, colour] of [
      ['A1', 1, 'FFF4C7C3'],
      ['A2', 0, 'FFFCE8B2'],
      ['B2', 1, 'FFFCE8B2'],
      ['C3', 2, 'FFFCE8B2'],
    ] as const) {
      const xf = xfs[cells.get(ref)!];
      expect(without(xf)).toBe(without(original[base]));
      expect(xf.attrs.applyFill).toBe('1');
      expect(kid(kid(fills[Number(xf.attrs.fillId)], 'patternFill')!, 'fgColor')!.attrs.rgb).toBe(colour);
    }
    const ws = (await excel(out)).getWorksheet('S1')!;
    expect(ws.getCell('A1').numFmt).toBe('0.000');
    expect(ws.getCell('A1').font).toMatchObject({ bold: true });
    expect(ws.getCell('A1').alignment).toMatchObject({ horizontal: 'center', wrapText: true });
    expect((ws.getCell('A1').fill as ExcelJS.FillPattern).fgColor).toEqual({ argb: 'FFF4C7C3' });
    expect(ws.getCell('C3').numFmt).toBe('0.00%');
  });

  it('a package without a stylesheet gets one', async () => {
    const out = await edit(await makePackage({ sheets: [sheetXml('<sheetData/>')], styles: null }), 'S1', (s) =>
      s.setFill('A1', 'FFD2E3FC'),
    );
    const ws = (await excel(out)).getWorksheet('S1')!;
    expect((ws.getCell('A1').fill as ExcelJS.FillPattern).fgColor).toEqual({ argb: 'FFD2E3FC' });
    expect(await part(out, '[Content_Types].xml')).toMatch(/PartName="\/xl\/styles\.xml"/);
    expect(await part(out, 'xl/_rels/workbook.xml.rels')).toMatch(/relationships\/styles" Target="styles\.xml"/);
  });
});

describe('notes', () => {
  it('new notes on a sheet without any: comments, drawing, relationships and content types; shape ids apart from other sheets', async () => {
    const vml1 = `<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="1"/></o:shapelayout><v:shape id="_x0000_s1025" type="#_x0000_t202"><x:ClientData ObjectType="Note"><x:Row>0</x:Row><x:Column>0</x:Column></x:ClientData></v:shape></xml>`;
    const bytes = await makePackage({
      sheets: [
        sheetXml('<sheetData/><legacyDrawing r:id="rId1"/>'),
        sheetXml('<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>'),
      ],
      sheetRels: {
        1: `<Relationships xmlns="${PKG_RELS}"><Relationship Id="rId1" Type="${R}/vmlDrawing" Target="../drawings/vmlDrawing1.vml"/></Relationships>`,
      },
      extra: { 'xl/drawings/vmlDrawing1.vml': vml1 },
    });
    const text = 'Dòng 1\nDòng 2 <có> & "ngoặc"';
    const out = await edit(bytes, 'S2', (s) => {
      s.setNote('A1', text);
      s.setNote('C5', 'ô trống');
    });
    const ws = (await excel(out)).getWorksheet('S2')!;
    expect(ws.getCell('A1').note).toBe(text);
    const zip = await JSZip.loadAsync(out);
    const rels = parseXml(await zip.file('xl/worksheets/_rels/sheet2.xml.rels')!.async('string'));
    const targets = kids(rels, 'Relationship').map((r) => [r.attrs.Type.split('/').pop(), r.attrs.Target]);
    expect(targets).toEqual([
      ['comments', '../comments1.xml'],
      ['vmlDrawing', '../drawings/vmlDrawing2.vml'],
    ]);
    const vml = parseXml(await zip.file('xl/drawings/vmlDrawing2.vml')!.async('string'));
    expect(descendants(vml, 'idmap')[0].attrs.data).toBe('2');
    expect(
      kids(vml, 'shape').map((s) => [s.attrs.id, kid(kid(s, 'ClientData')!, 'Row')!.text, kid(kid(s, 'ClientData')!, 'Column')!.text]),
    ).toEqual([
      ['_x0000_s2049', '0', '0'],
      ['_x0000_s2050', '4', '2'],
    ]);
    expect(await zip.file('xl/drawings/vmlDrawing1.vml')!.async('string')).toBe(vml1);
    const types = await zip.file('[Content_Types].xml')!.async('string');
    expect(types).toMatch(
      /<Override PartName="\/xl\/comments1\.xml" ContentType="application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.comments\+xml"\/>/,
    );
    expect(types).toMatch(/<Default Extension="vml"/);
    const sheet = parseXml(await zip.file('xl/worksheets/sheet2.xml')!.async('string'));
    const rId = kid(sheet, 'legacyDrawing')!.attrs['r:id'];
    expect(kids(rels, 'Relationship').find((r) => r.attrs.Id === rId)!.attrs.Target).toBe('../drawings/vmlDrawing2.vml');
  });

  it('adds to existing notes, and replaces a note only where asked', async () => {
    const first = await edit(await makePackage({ sheets: [sheetXml('<sheetData/>')] }), 'S1', (s) => {
      s.setNote('A1', 'của người dùng');
      s.setNote('B1', 'cũ');
    });
    const pkg = await XlsxPackage.open(first);
    const s = (await pkg.sheet('S1'))!;
    expect([s.note('A1'), s.note('B1'), s.note('C1')]).toEqual(['của người dùng', 'cũ', null]);
    s.setNote('B1', 'mới');
    s.setNote('C1', 'thêm');
    const out = await pkg.save();
    const zip = await JSZip.loadAsync(out);
    // (exceljs drops notes of cells without a value: read the comments part.)
    const comments = descendants(parseXml(await zip.file('xl/comments1.xml')!.async('string')), 'comment');
    expect(comments.map((c) => [c.attrs.ref, descendants(c, 't')[0].text])).toEqual([
      ['A1', 'của người dùng'],
      ['B1', 'mới'],
      ['C1', 'thêm'],
    ]);
    const vml = parseXml(await zip.file('xl/drawings/vmlDrawing1.vml')!.async('string'));
    expect(kids(vml, 'shape')).toHaveLength(3);
    expect(Object.keys(zip.files).filter((f) => /comments|vml/.test(f))).toEqual(['xl/comments1.xml', 'xl/drawings/vmlDrawing1.vml']);
  });
});

it('a package opened and saved without edits keeps every part byte for byte', async () => {
  const bytes = await makePackage({ sheets: [sheetXml('<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>')] });
  const pkg = await XlsxPackage.open(bytes);
  await pkg.sheet('S1');
  const a = await JSZip.loadAsync(bytes);
  const b = await JSZip.loadAsync(await pkg.save());
  for (const name of Object.keys(a.files).filter((n) => !a.files[n].dir))
    expect([name, await b.file(name)?.async('string')]).toEqual([name, await a.file(name)!.async('string')]);
  expect(Object.keys(b.files).sort()).toEqual(Object.keys(a.files).sort());
});

describe("the add-on's highlight rules and score validation", () => {
  const ns = `xmlns:x="${MAIN}" xmlns:r="${R}"`;
  const MARK = 'N("Chấm điểm tự động")=0';
  // A person's rule and an old one of ours in one element; a person's validation of D5 and an old one of ours.
  const body =
    '<x:sheetData/>' +
    '<x:conditionalFormatting sqref="D3:D6">' +
    '<x:cfRule type="expression" dxfId="0" priority="4"><x:formula>D3&gt;C3</x:formula></x:cfRule>' +
    `<x:cfRule type="expression" dxfId="0" priority="7"><x:formula>AND(D3&lt;0,${MARK.replace(/"/g, '&quot;')})</x:formula></x:cfRule>` +
    '</x:conditionalFormatting>' +
    '<x:dataValidations count="2" disablePrompts="0">' +
    '<x:dataValidation type="whole" sqref="D5"><x:formula1>0</x:formula1></x:dataValidation>' +
    '<x:dataValidation type="decimal" operator="between" prompt="Nhập điểm là số từ 0 đến 9 (cũ)" sqref="D3:D9"><x:formula1>0</x:formula1><x:formula2>9</x:formula2></x:dataValidation>' +
    '</x:dataValidations>' +
    '<x:pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>';
  const rule: HighlightRule = {
    key: 'above-max',
    ranges: ['D3:D4', 'D6'],
    formula: `=AND(ISNUMBER(D3),D3>$C3,${MARK})`,
    background: '#f4c7c3',
    severity: 'error',
  };
  const apply = (s: NonNullable<Awaited<ReturnType<XlsxPackage['sheet']>>>) => {
    writeRules(s, [rule]);
    writeValidations(s, [{ max: 2, refs: ['D3', 'D4', 'D5', 'D6'] }]);
  };

  it("replace the add-on's own, keep a person's, in the sheet's namespace and schema order", async () => {
    const out = await edit(await makePackage({ sheets: [`<x:worksheet ${ns}>${body}</x:worksheet>`] }), 'S1', apply);
    const root = parseXml((await part(out, 'xl/worksheets/sheet1.xml'))!);
    expect(root.children.map((c) => c.name)).toEqual([
      'x:sheetData',
      'x:conditionalFormatting',
      'x:conditionalFormatting',
      'x:dataValidations',
      'x:pageMargins',
    ]);
    const [theirs, ours] = kids(root, 'conditionalFormatting');
    // The person's rule alone in its element, priority unchanged; ours after it.
    expect(kids(theirs, 'cfRule').map((r) => [r.attrs.priority, kid(r, 'formula')!.text])).toEqual([['4', 'D3>C3']]);
    expect(ours.attrs.sqref).toBe('D3:D4 D6');
    const cf = kid(ours, 'cfRule')!;
    expect([cf.attrs.type, cf.attrs.priority, kid(cf, 'formula')!.text]).toEqual(['expression', '5', rule.formula.slice(1)]);
    const dxf = kids(kid(parseXml((await part(out, 'xl/styles.xml'))!), 'dxfs')!, 'dxf')[Number(cf.attrs.dxfId)];
    expect(kid(kid(kid(dxf, 'fill')!, 'patternFill')!, 'bgColor')!.attrs.rgb).toBe('FFF4C7C3');
    // Validations: the person's kept (D5 stays theirs), the old one of ours replaced, the count updated.
    const list = kid(root, 'dataValidations')!;
    const dvs = kids(list, 'dataValidation');
    expect([list.attrs.count, list.attrs.disablePrompts]).toEqual(['2', '0']);
    expect(dvs.map((d) => d.attrs.sqref)).toEqual(['D5', 'D3:D4 D6']);
    expect(dvs[1].attrs).toMatchObject({ type: 'decimal', operator: 'between', allowBlank: '1', errorStyle: 'warning' });
    expect([kid(dvs[1], 'formula1')!.text, kid(dvs[1], 'formula2')!.text]).toEqual(['0', '2']);
    expect(dvs[1].attrs.prompt).toMatch(/^Nhập điểm là số từ 0 đến 2 .*"Chưa tính điểm"/);
  });

  it('written again, change nothing', async () => {
    const once = await edit(await makePackage({ sheets: [`<x:worksheet ${ns}>${body}</x:worksheet>`] }), 'S1', apply);
    const twice = await edit(once, 'S1', apply);
    expect(await part(twice, 'xl/worksheets/sheet1.xml')).toBe(await part(once, 'xl/worksheets/sheet1.xml'));
    expect(await part(twice, 'xl/styles.xml')).toBe(await part(once, 'xl/styles.xml'));
  });
});
