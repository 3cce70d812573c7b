import assert from 'node:assert/strict';
import { detectBuyingIntent, strongestBuyingIntent } from './buying-intent';

const en = { language: 'en' };

describe('detectBuyingIntent', () => {
  it('tells an explicit wish to act from the mention of a buying topic', () => {
    assert.deepEqual(detectBuyingIntent('I want to buy the Pro plan', en), {
      strength: 'explicit',
      phrase: 'want to buy',
    });
    assert.deepEqual(detectBuyingIntent('Could we book a demo next week?', en), {
      strength: 'explicit',
      phrase: 'book a demo',
    });
    assert.equal(detectBuyingIntent("I'd like to get a quote for 40 seats", en)?.strength, 'explicit');
    assert.equal(detectBuyingIntent('Can I talk to your sales team?', en)?.strength, 'explicit');
    assert.deepEqual(detectBuyingIntent('What is the price of the Pro plan?', en), {
      strength: 'mention',
      phrase: 'price',
    });
    assert.equal(detectBuyingIntent('What does the demo show?', en)?.strength, 'mention');
  });

  it('finds nothing in a support question, and matches whole words only', () => {
    assert.equal(detectBuyingIntent('How do I reset my password?', en), null);
    assert.equal(detectBuyingIntent('This advice is priceless', en), null);
    assert.equal(detectBuyingIntent('The demolition starts Monday', en), null);
    assert.equal(detectBuyingIntent('Where is my order?', en), null);
  });

  it('reads French, Spanish and German, whatever the case and accents, and English on every bot', () => {
    assert.equal(
      detectBuyingIntent('Je voudrais ACHETER la licence', { language: 'fr' })?.strength,
      'explicit',
    );
    assert.equal(
      detectBuyingIntent('Puis-je réserver une démo ?', { language: 'fr-CA' })?.strength,
      'explicit',
    );
    assert.deepEqual(detectBuyingIntent('Quel est le coût ?', { language: 'fr' }), {
      strength: 'mention',
      phrase: 'cout',
    });
    assert.equal(
      detectBuyingIntent('Quisiera solicitar una demostración', { language: 'es' })?.strength,
      'explicit',
    );
    assert.deepEqual(detectBuyingIntent('¿Cuál es el PRECIO?', { language: 'es' }), {
      strength: 'mention',
      phrase: 'precio',
    });
    assert.equal(
      detectBuyingIntent('Ich möchte das Paket für mein Team kaufen', { language: 'de' })?.strength,
      'explicit',
    );
    assert.deepEqual(detectBuyingIntent('Was kostet die Lizenz?', { language: 'de' }), {
      strength: 'mention',
      phrase: 'kostet',
    });
    assert.equal(detectBuyingIntent('I want to buy it', { language: 'de' })?.strength, 'explicit');
    // A language without a vocabulary of its own still has English.
    assert.equal(detectBuyingIntent('what is the pricing', { language: 'pt-BR' })?.strength, 'mention');
    assert.equal(detectBuyingIntent('Quanto custa?', { language: 'pt-BR' }), null);
  });

  it('counts the bot’s own trigger words, whole, ignoring case and accents', () => {
    const options = { language: 'en', triggerWords: ['Enterprise Plan', 'Écoles'] };
    assert.deepEqual(detectBuyingIntent('tell me about the enterprise   plan', options), {
      strength: 'mention',
      phrase: 'enterprise plan',
    });
    assert.equal(detectBuyingIntent('Is it free for ECOLES?', options)?.phrase, 'ecoles');
    assert.equal(
      detectBuyingIntent('enterprises are welcome', { ...options, triggerWords: ['enterprise'] }),
      null,
    );
    assert.equal(
      detectBuyingIntent('a (weird) [term]?', { ...options, triggerWords: ['[term]'] })?.phrase,
      '[term]',
    );
  });

  it('takes the strongest intent of a conversation', () => {
    const texts = ['hello', 'what does it cost?', 'ok, I want to purchase it', 'pricing?'];
    assert.equal(strongestBuyingIntent(texts, en)?.phrase, 'want to purchase');
    assert.equal(strongestBuyingIntent(['hello', 'pricing?', 'cost?'], en)?.phrase, 'pricing');
    assert.equal(strongestBuyingIntent(['hello'], en), null);
  });
});
