import assert from 'node:assert/strict';
import { pickLocale } from './i18n';
import { launcherCatalog } from './launcher.catalog';
import { catalog } from './window.catalog';

/** The `{placeholders}` of a string, sorted, so two strings can be compared on them. */
function placeholdersOf(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!).sort();
}

/**
 * `dir` is not a string a visitor reads: it tells the window which way the script runs, and the
 * launcher catalogue documents that only a right-to-left language states it (English's 'ltr' is the
 * fallback). Every other key is text shown to the visitor and must be translated.
 */
const DIRECTION_KEY = 'dir';

const catalogues = [
  ['window catalog', catalog],
  ['launcher catalog', launcherCatalog],
] as const;

describe('pickLocale', () => {
  describe('choosing the language', () => {
    it('takes the first supported preference, in the order given', () => {
      assert.equal(pickLocale(catalog, [null, 'fr-CA', 'ar']).lang, 'fr');
      assert.equal(pickLocale(catalog, ['ar', 'fr-CA']).lang, 'ar');
      assert.equal(pickLocale(catalog, [undefined, 'es', 'fr']).lang, 'es');
    });

    it('matches on the primary subtag, whatever its case or separator', () => {
      assert.equal(pickLocale(catalog, ['AR-eg']).lang, 'ar');
      assert.equal(pickLocale(catalog, ['FR']).lang, 'fr');
      assert.equal(pickLocale(catalog, ['es_MX']).lang, 'es');
      assert.equal(pickLocale(catalog, ['  fr-BE  ']).lang, 'fr');
    });

    it('skips unsupported tags and falls to the next preference', () => {
      assert.equal(pickLocale(catalog, ['pt-BR', 'de', 'es-419']).lang, 'es');
      assert.equal(pickLocale(launcherCatalog, ['de-CH', 'ar']).lang, 'ar');
    });

    it('falls back to English when no preference is supported', () => {
      assert.equal(pickLocale(catalog, ['pt-BR', 'de']).lang, 'en');
      assert.equal(pickLocale(catalog, ['pt-BR', 'de']).t('send'), 'Send');
    });

    it('does not take what every object inherits for a language (a page may set lang="constructor")', () => {
      assert.equal(pickLocale(catalog, ['constructor', 'fr']).lang, 'fr');
      assert.equal(pickLocale(launcherCatalog, ['__proto__', 'toString']).lang, 'en');
    });

    it('falls back to English for empty, blank, null and undefined preferences', () => {
      assert.equal(pickLocale(catalog, []).lang, 'en');
      assert.equal(pickLocale(catalog, [null, undefined]).lang, 'en');
      assert.equal(pickLocale(catalog, ['', '   ', '-']).lang, 'en');
      assert.equal(pickLocale(launcherCatalog, []).lang, 'en');
    });
  });

  describe('direction', () => {
    it('gives Arabic lang "ar" and dir "rtl", in both catalogues', () => {
      for (const [, strings] of catalogues) {
        const locale = pickLocale(strings, ['ar-SA']);
        assert.equal(locale.lang, 'ar');
        assert.equal(locale.dir, 'rtl');
      }
    });

    it('gives every other language dir "ltr", in both catalogues', () => {
      for (const [name, strings] of catalogues) {
        for (const lang of Object.keys(strings).filter((lang) => lang !== 'ar')) {
          const locale = pickLocale(strings, [lang]);
          assert.equal(locale.lang, lang, `${name}: ${lang}`);
          assert.equal(locale.dir, 'ltr', `${name}: ${lang}`);
        }
      }
    });
  });

  describe('t()', () => {
    it('fills placeholders from the values', () => {
      const text = pickLocale(catalog, ['en']).t('agentJoined', { name: 'Dana' });
      assert.ok(text.includes('Dana'), text);
      assert.ok(!text.includes('{name}'), text);
      assert.equal(text, 'Dana joined the conversation');
    });

    it('fills placeholders in the chosen language, numbers included', () => {
      assert.equal(
        pickLocale(catalog, ['fr']).t('agentJoined', { name: 'Dana' }),
        'Dana a rejoint la conversation',
      );
      assert.equal(
        pickLocale(catalog, ['en']).t('tooMany', { seconds: 0 }),
        'Too many messages. Try again in 0 s.',
      );
      assert.equal(
        pickLocale(catalog, ['es']).t('tooLong', { max: 2000 }),
        'Un mensaje tiene como máximo 2000 caracteres.',
      );
    });

    it('leaves placeholders it has no value for as written', () => {
      const locale = pickLocale(catalog, ['en']);
      assert.equal(locale.t('agentJoined'), '{name} joined the conversation');
      assert.equal(locale.t('agentJoined', { other: 'x' }), '{name} joined the conversation');
    });

    it('returns a string without placeholders unchanged, whatever the values', () => {
      assert.equal(pickLocale(catalog, ['en']).t('send', { name: 'Dana' }), 'Send');
    });

    it('falls back to English for a key the chosen language lacks', () => {
      const handMade = {
        en: { dir: 'ltr', hello: 'Hello', bye: 'Goodbye, {name}' },
        fr: { hello: 'Bonjour' },
      };
      const locale = pickLocale<{ dir: string; hello: string; bye: string }>(handMade, ['fr-FR']);
      assert.equal(locale.lang, 'fr');
      assert.equal(locale.dir, 'ltr');
      assert.equal(locale.t('hello'), 'Bonjour');
      assert.equal(locale.t('bye', { name: 'Dana' }), 'Goodbye, Dana');
    });

    it('takes the direction from the chosen language over English', () => {
      const handMade = { en: { dir: 'ltr', hello: 'Hello' }, he: { dir: 'rtl', hello: 'שלום' } };
      const locale = pickLocale<{ dir: string; hello: string }>(handMade, ['he-IL']);
      assert.equal(locale.dir, 'rtl');
      assert.equal(locale.t('hello'), 'שלום');
    });
  });

  describe('catalogue completeness', () => {
    for (const [name, strings] of catalogues) {
      const english = strings.en as Record<string, string>;
      const languages = Object.keys(strings).filter((lang) => lang !== 'en');

      it(`${name}: has English and at least one other language`, () => {
        assert.ok(english && Object.keys(english).length > 1);
        assert.ok(languages.length > 0);
      });

      for (const lang of languages) {
        const translated = strings[lang] as Record<string, string>;

        it(`${name}: ${lang} translates every visible string English defines`, () => {
          const missing = Object.keys(english).filter((key) => key !== DIRECTION_KEY && !(key in translated));
          assert.deepEqual(missing, [], `${lang} would show these in English`);
        });

        it(`${name}: ${lang} defines no key English lacks`, () => {
          const extra = Object.keys(translated).filter((key) => !(key in english));
          assert.deepEqual(extra, [], `${lang} has keys English does not (misspelt?)`);
        });

        it(`${name}: ${lang} strings are non-empty and keep English's {placeholders}`, () => {
          for (const key of Object.keys(english)) {
            const text = translated[key];
            if (text === undefined) continue;
            assert.ok(text.trim().length > 0, `${lang}.${key} is empty`);
            assert.deepEqual(
              placeholdersOf(text),
              placeholdersOf(english[key]!),
              `${lang}.${key}: "${text}"`,
            );
          }
        });

        it(`${name}: ${lang} states dir only as 'ltr' or 'rtl'`, () => {
          const dir = translated[DIRECTION_KEY];
          assert.ok(dir === undefined || dir === 'ltr' || dir === 'rtl', `${lang}.dir is ${dir}`);
        });
      }
    }

    it('the window catalogue carries every launcher string, in every language', () => {
      assert.deepEqual(Object.keys(catalog).sort(), Object.keys(launcherCatalog).sort());
      for (const [lang, strings] of Object.entries(launcherCatalog)) {
        for (const [key, text] of Object.entries(strings)) {
          assert.equal(catalog[lang]?.[key as keyof typeof strings], text, `${lang}.${key}`);
        }
      }
    });
  });
});
