/**
 * Buying intent in a visitor's words, for deciding when to ask for contact details (the server) and how
 * much a lead is worth (the `lead.summarize` job). Pure and browser-safe: both processes judge the same
 * words the same way.
 */

/** `explicit`: the visitor says they want to act (buy, book a demo, get a quote); `mention`: a buying topic. */
export type IntentStrength = 'explicit' | 'mention';

export interface BuyingIntent {
  strength: IntentStrength;
  /** The words that showed it, as normalised (lower case, no accents), for the lead's score reasons. */
  phrase: string;
}

export interface IntentOptions {
  /** The bot's `appearance.language` (a tag such as `fr` or `pt-BR`); English is always understood too. */
  language: string;
  /** The bot's own `leadCapture.triggerWords`, each counting as a mention. */
  triggerWords?: readonly string[];
}

/** A list written as `a|b|c`, shorter to read than an array literal of many short strings. */
const words = (list: string) => list.split('|');

interface Vocabulary {
  /** Patterns (regular expression source, a space standing for any run of spaces) of a wish to act. */
  explicit: string[];
  /** Words and phrases of a buying topic. */
  mention: string[];
}

/**
 * Written without accents and in lower case, as the text is normalised before matching. Explicit patterns
 * need a verb of wanting or doing next to the object, so "what does the demo show?" stays a mention.
 * Words of existing customers' errands (an order's status, an invoice) are left out on purpose: asking
 * them for contact details would be noise.
 */
const vocabularies: Record<string, Vocabulary> = {
  en: {
    explicit: [
      '(want|wanna|like|love|ready|looking|plan|planning|going|keen) to (buy|purchase|order|subscribe|sign up|upgrade)',
      '(book|schedule|request|arrange|get|set up|want|need) (?:(a|an|the|your) )?(?:(live|product|free|quick) )?(demo|demonstration|trial|sales call)',
      '(get|request|need|want|send me) (?:(a|an|the|your) )?(?:price )?(quote|quotation|estimate|proposal)',
      '(talk|speak|chat|get in touch) (to|with) (sales|(?:(your|the) )?sales team|a sales rep|someone from sales)',
      'contact (sales|(?:(your|the) )?sales team)',
      '(start|begin|try) (?:(a|the|your) )?(?:free )?trial',
      'sign (me|us) up',
      "(i|we)('ll| will) (buy|take|order) (it|one|them)",
    ],
    mention: words(
      'price|prices|pricing|priced|how much|cost|costs|quote|quotes|quotation|demo|demos|trial|buy|buying|purchase|contact|sales|subscription|license|licence|discount|upgrade',
    ),
  },
  fr: {
    explicit: [
      "(veux|voudrais|voudrions|souhaite|souhaitons|souhaiterais|aimerais|vais|allons|pret a|prete a) (acheter|commander|souscrire|m'abonner|nous abonner|passer commande)",
      '(reserver|planifier|programmer|demander|obtenir|avoir|voir|organiser) (?:(une|la|votre) )?(demo|demonstration|essai)',
      '(demander|obtenir|recevoir|avoir|faire) (?:(un|le|votre) )?devis',
      "(parler|discuter) (a|avec) (un commercial|une commerciale|le service commercial|l'equipe commerciale|les ventes|vos commerciaux)",
      '(commencer|demarrer|essayer|lancer) (?:(un|votre) )?essai',
      'essai gratuit',
    ],
    mention: words(
      'prix|tarif|tarifs|tarification|cout|couts|coute|combien|devis|demo|demonstration|essai|acheter|achat|commander|contact|contacter|abonnement|commercial|licence|remise|offre',
    ),
  },
  es: {
    explicit: [
      '(quiero|quisiera|me gustaria|deseo|queremos|vamos a|voy a) (comprar|contratar|adquirir|suscribirme|suscribirnos|hacer un pedido)',
      '(reservar|agendar|programar|solicitar|pedir|ver|tener|concertar) (?:(una|la|su) )?(demo|demostracion|prueba)',
      '(solicitar|pedir|obtener|recibir|quiero|necesito) (?:(un|una|el|la|su) )?(presupuesto|cotizacion)',
      '(hablar|contactar) con (ventas|un vendedor|una vendedora|el equipo de ventas|un comercial|el departamento comercial)',
      '(empezar|comenzar|iniciar|probar) (?:(una|la) )?prueba',
      'prueba (gratis|gratuita)',
    ],
    mention: words(
      'precio|precios|coste|costo|costos|cuesta|cuanto|tarifa|tarifas|presupuesto|cotizacion|demo|demostracion|prueba|comprar|compra|contacto|contactar|ventas|suscripcion|licencia|descuento|oferta',
    ),
  },
  de: {
    explicit: [
      // German puts the verb last: "ich möchte das Paket für mein Team kaufen".
      '(mochte|mochten|will|wollen|wurde gerne|wurden gerne|werde|werden)(?: \\S+){0,5} (kaufen|bestellen|erwerben|abonnieren|buchen)',
      '(demo|vorfuhrung|produktdemo|beratungstermin) (buchen|vereinbaren|anfragen|anfordern)',
      'angebot (anfordern|anfragen|erhalten|einholen|bekommen)',
      '(mit|beim) (?:(dem|ihrem) )?(vertrieb|verkauf|vertriebsteam|verkaufsteam) (sprechen|reden)',
      '(kostenlos|gratis) (testen|ausprobieren)',
      'testversion (starten|anfordern|beginnen)',
    ],
    mention: words(
      'preis|preise|preisliste|kosten|kostet|wie viel|wieviel|angebot|demo|vorfuhrung|testversion|kaufen|kauf|kontakt|kontaktieren|vertrieb|abo|abonnement|lizenz|rabatt',
    ),
  },
};

/** Lower case, without accents (é → e, ö → o), with typographic apostrophes made plain. */
export function normalizeIntentText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .toLowerCase();
}

/** A pattern matched as whole words only: no letter or digit may touch either end. */
function wholeWords(source: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${source.replace(/ /g, '\\s+')})(?![\\p{L}\\p{N}])`, 'u');
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compiled once per language. */
const compiled = new Map<string, { explicit: RegExp[]; mention: RegExp[] }>();

function patternsOf(language: string) {
  let patterns = compiled.get(language);
  if (!patterns) {
    const vocabulary = vocabularies[language]!;
    patterns = {
      explicit: vocabulary.explicit.map(wholeWords),
      mention: vocabulary.mention.map((word) => wholeWords(escapeRegExp(word))),
    };
    compiled.set(language, patterns);
  }
  return patterns;
}

/** The languages whose words count: the bot's (by its primary subtag), and English. */
function languagesOf(tag: string): string[] {
  const primary = tag.toLowerCase().split('-')[0]!;
  return primary !== 'en' && primary in vocabularies ? [primary, 'en'] : ['en'];
}

/**
 * The strongest buying intent in `text`, or null: an explicit wish to act beats the mention of a buying
 * topic. Words match whole (so "price" is not found in "priceless"), ignoring case and accents.
 */
export function detectBuyingIntent(text: string, options: IntentOptions): BuyingIntent | null {
  const normalized = normalizeIntentText(text);
  const languages = languagesOf(options.language);
  for (const language of languages) {
    for (const pattern of patternsOf(language).explicit) {
      const found = pattern.exec(normalized);
      if (found) return { strength: 'explicit', phrase: found[0].replace(/\s+/g, ' ') };
    }
  }
  for (const word of options.triggerWords ?? []) {
    const term = normalizeIntentText(word).trim().replace(/\s+/g, ' ');
    if (term && wholeWords(escapeRegExp(term)).test(normalized)) {
      return { strength: 'mention', phrase: term };
    }
  }
  for (const language of languages) {
    for (const pattern of patternsOf(language).mention) {
      const found = pattern.exec(normalized);
      if (found) return { strength: 'mention', phrase: found[0].replace(/\s+/g, ' ') };
    }
  }
  return null;
}

/** The strongest intent over several messages (a conversation's), the earliest of equal strength. */
export function strongestBuyingIntent(texts: readonly string[], options: IntentOptions): BuyingIntent | null {
  let best: BuyingIntent | null = null;
  for (const text of texts) {
    const intent = detectBuyingIntent(text, options);
    if (intent?.strength === 'explicit') return intent;
    best ??= intent;
  }
  return best;
}
