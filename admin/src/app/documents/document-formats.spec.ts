import { Limits } from '@chatbot/shared';
import { formatBytes, refusalOf, typeOf } from './document-formats';

const file = (name: string, size = 100, type = '') => ({ name, size, type });

describe('refusalOf', () => {
  it('lets through the formats the server reads, whatever the case of the extension', () => {
    for (const name of ['a.pdf', 'b.DOCX', 'c.html', 'd.htm', 'e.md', 'f.markdown', 'g.txt']) {
      expect(refusalOf(file(name)), name).toBeNull();
    }
  });

  it('lets through any text the browser names as such, whatever the extension', () => {
    expect(refusalOf(file('prices.csv', 100, 'text/csv'))).toBeNull();
  });

  it('refuses other kinds, saying which are accepted', () => {
    expect(refusalOf(file('photo.png', 100, 'image/png'))).toBe(
      ".png files can't be read. Upload PDF, Word (.docx), HTML, Markdown or plain text files.",
    );
    expect(refusalOf(file('old.doc', 100, 'application/msword'))).toMatch(/^\.doc files can't be read/);
    expect(refusalOf(file('README'))).toMatch(/^Files without an extension can't be read/);
  });

  it('refuses an empty file and one over the upload limit', () => {
    expect(refusalOf(file('empty.txt', 0))).toBe('The file is empty.');
    expect(refusalOf(file('big.txt', Limits.uploadBytes))).toBeNull();
    expect(refusalOf(file('big.txt', Limits.uploadBytes + 1))).toMatch(/^The file is too big/);
    expect(refusalOf(file('huge.pdf', 40.5 * 1024 * 1024))).toBe(
      'The file is too big: files can be at most 25 MB, this one is 41 MB.',
    );
  });
});

describe('typeOf', () => {
  it('names a document by its format, and an imported page as a web page', () => {
    expect(typeOf({ mimeType: 'application/pdf', sourceUrl: null })).toBe('PDF');
    expect(typeOf({ mimeType: 'text/plain', sourceUrl: null })).toBe('Plain text');
    expect(typeOf({ mimeType: 'text/html', sourceUrl: 'https://example.com/' })).toBe('Web page');
    expect(typeOf({ mimeType: 'application/x-unknown', sourceUrl: null })).toBe('Application/x-unknown');
  });
});

describe('formatBytes', () => {
  it('writes sizes the way people read them', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(25 * 1024 * 1024)).toBe('25 MB');
    expect(formatBytes(123 * 1024)).toBe('123 KB');
  });
});
