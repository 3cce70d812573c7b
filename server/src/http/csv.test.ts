import assert from 'node:assert/strict';
import { csvCell, toCsv } from './csv';

describe('CSV (RFC 4180, formula-safe)', () => {
  it('quotes cells with commas, quotes and line breaks, doubling the quotes', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    assert.equal(csvCell('cr\rhere'), '"cr\rhere"');
  });

  it('writes numbers, booleans, dates and empty values as they are', () => {
    assert.equal(csvCell(0.25), '0.25');
    assert.equal(csvCell(-3), '-3');
    assert.equal(csvCell(true), 'true');
    assert.equal(csvCell(new Date('2026-12-01T10:00:00.000Z')), '2026-12-01T10:00:00.000Z');
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(undefined), '');
    assert.equal(csvCell(''), '');
  });

  it('prefixes text a spreadsheet would run as a formula with a single quote', () => {
    assert.equal(
      csvCell('=HYPERLINK("http://evil.example","x")'),
      `"'=HYPERLINK(""http://evil.example"",""x"")"`,
    );
    assert.equal(csvCell('+1 555 0100'), "'+1 555 0100");
    assert.equal(csvCell('-2+3'), "'-2+3");
    assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvCell('\tcmd'), "'\tcmd");
    assert.equal(csvCell('\rcmd'), `"'\rcmd"`);
    assert.equal(csvCell('a=b'), 'a=b');
  });

  it('ends every line, the last one too, with CRLF', () => {
    const csv = toCsv(
      ['name', 'count'],
      [
        ['Support, EU', 3],
        ['=1+1', null],
      ],
    );
    assert.equal(csv, `name,count\r\n"Support, EU",3\r\n'=1+1,\r\n`);
    assert.equal(toCsv(['only'], []), 'only\r\n');
  });
});
