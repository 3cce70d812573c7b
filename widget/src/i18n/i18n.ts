export interface Locale<S extends Record<string, string>> {
  /** The language tag the strings are in, for the window's `lang`. */
  lang: string;
  dir: 'ltr' | 'rtl';
  /** The string `key`, with `{name}` placeholders filled from `values`. */
  t(key: keyof S, values?: Record<string, string | number>): string;
}

/**
 * The first of `preferences` that `catalog` speaks (matched on the primary subtag: `fr-CA` gets French),
 * else English, whose strings fill any the language lacks. The caller orders the preferences: the page's
 * `lang` attribute, the bot's language, the browser's.
 */
export function pickLocale<S extends { dir: string } & Record<string, string>>(
  catalog: Record<string, Partial<S>>,
  preferences: readonly (string | null | undefined)[],
): Locale<S> {
  const lang =
    preferences
      .map((tag) => tag?.trim().toLowerCase().split(/[-_]/)[0])
      .find((primary): primary is string => Boolean(primary && Object.hasOwn(catalog, primary))) ?? 'en';
  const strings = { ...catalog.en, ...catalog[lang] } as unknown as S;
  return {
    lang,
    dir: strings.dir === 'rtl' ? 'rtl' : 'ltr',
    t: (key, values = {}) =>
      String(strings[key]).replace(/\{(\w+)\}/g, (whole, name: string) =>
        name in values ? String(values[name]) : whole,
      ),
  };
}
