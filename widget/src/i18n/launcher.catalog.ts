/**
 * The launcher's strings by language: all the loader carries, so that the page's first download stays
 * small. A language whose script runs right to left says so in `dir`; a missing string falls back to English.
 */
export const launcherEn = {
  dir: 'ltr',
  openChat: 'Open chat',
  closeChat: 'Close chat',
  unread: 'New messages',
  unreachable: "We can't reach the chat right now.",
} as const;

export type LauncherStrings = { [K in keyof typeof launcherEn]: string };

const fr: Partial<LauncherStrings> = {
  openChat: 'Ouvrir le chat',
  closeChat: 'Fermer le chat',
  unread: 'Nouveaux messages',
  unreachable: 'Impossible de joindre le chat pour le moment.',
};

const es: Partial<LauncherStrings> = {
  openChat: 'Abrir el chat',
  closeChat: 'Cerrar el chat',
  unread: 'Mensajes nuevos',
  unreachable: 'No podemos conectar con el chat ahora.',
};

const ar: Partial<LauncherStrings> = {
  dir: 'rtl',
  openChat: 'فتح المحادثة',
  closeChat: 'إغلاق المحادثة',
  unread: 'رسائل جديدة',
  unreachable: 'تعذّر الوصول إلى المحادثة حاليًا.',
};

export const launcherCatalog: Record<string, Partial<LauncherStrings>> = { en: launcherEn, fr, es, ar };
