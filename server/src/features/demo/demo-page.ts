import { idSchema } from '@chatbot/shared';
import { Chatbot, User, runAsSystem } from '@chatbot/shared/platform';
import type { MikroORM } from '@mikro-orm/core';
import { Router } from 'express';
import { DEMO_EMAIL } from './demo-seed';

/**
 * `/demo/:botId` (and `/demo` for the demo bot): the widget embedded by its one-line loader on a page
 * whose CSS is hostile on purpose: a 62.5% root font size, global resets, `!important` colours on every
 * button, input and div. If the widget looks right here, it looks right on a tenant's site.
 */
export function demoRoutes(orm: MikroORM): Router {
  const router = Router();
  // The page may show a bot's avatar from any https host; nothing else differs from helmet's policy.
  const csp =
    "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'";

  router.get('/demo', async (_req, res) => {
    const botId = await demoBotId(orm);
    if (!botId) return res.status(404).type('text').send('There is no demo bot on this platform.');
    res.redirect(302, `/demo/${botId}`);
  });
  router.get('/demo/:botId', (req, res) => {
    const botId = idSchema.safeParse(req.params.botId);
    if (!botId.success) return res.status(404).type('text').send('No such bot.');
    res.set('Content-Security-Policy', csp).type('html').send(demoPage(botId.data));
  });
  return router;
}

/** The first bot of the demo tenant (the one the first boot seeded), if there is one. */
function demoBotId(orm: MikroORM): Promise<string | null> {
  return runAsSystem('demo page', async () => {
    const em = orm.em.fork();
    const owner = await em.findOne(User, { email: DEMO_EMAIL });
    if (!owner) return null;
    const bot = await em.findOne(
      Chatbot,
      { tenant: owner.tenant, status: 'published' },
      { orderBy: { createdAt: 'asc' } },
    );
    return bot?.id ?? null;
  });
}

/** The page; `botId` is a validated UUID, so it needs no escaping. */
function demoPage(botId: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Chat widget demo</title>
<style>
  /* Hostile on purpose: none of this may reach the widget. */
  html { font-size: 62.5%; }
  * { margin: 0; padding: 0; box-sizing: content-box; font-family: "Comic Sans MS", cursive; line-height: 3; letter-spacing: 0.2em; }
  body { background: repeating-linear-gradient(45deg, #fde68a 0 20px, #fca5a5 20px 40px); color: #14532d; padding: 2rem; }
  div, section, header, form, p, span { border: 3px dashed #7c3aed !important; color: #be185d !important; text-transform: uppercase !important; }
  button, input, textarea { all: unset; background: #000 !important; color: #0f0 !important; font-size: 8px !important; }
  svg { display: none; width: 500px; }
  [role="dialog"], [role="log"] { display: none !important; }
  main { max-width: 60rem; background: #fff; padding: 2rem; }
  h1 { font-size: 3.2rem; }
  code { font-size: 1.4rem; }
</style>
</head>
<body>
<main>
  <h1>A page with hostile CSS</h1>
  <p>This page sets a 62.5% root font size, resets every element, hides dialogs and SVGs, and paints every
  button black. The chat in the corner should look exactly as it does anywhere else.</p>
  <p>Embedded with one line:</p>
  <code>&lt;script src="/widget/chat-bot.js" data-bot-id="${botId}" defer&gt;&lt;/script&gt;</code>
</main>
<script src="/widget/chat-bot.js" data-bot-id="${botId}" defer></script>
</body>
</html>
`;
}
