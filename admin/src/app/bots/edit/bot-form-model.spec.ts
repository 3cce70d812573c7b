import { provideZonelessChangeDetection, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { form } from '@angular/forms/signals';
import { botView } from '../bots-testing';
import {
  type BotFormModel,
  changesBetween,
  fromBot,
  problemAt,
  toInput,
  validateBotForm,
} from './bot-form-model';

describe('the bot form model', () => {
  beforeEach(() => TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] }));
  const treeOf = (model: BotFormModel) => TestBed.runInInjectionContext(() => form(signal(model)));

  it('edits lists as text and turns them back into lists, without blank items', () => {
    const model = fromBot(botView({ allowedOrigins: ['https://a.example', 'https://b.example'] }));
    expect(model.allowedOrigins).toBe('https://a.example\nhttps://b.example');
    expect(model.leadCapture.triggerWords).toBe('price, pricing, demo, contact, buy, quote');
    const input = toInput({
      ...model,
      allowedOrigins: ' https://a.example \n\n https://c.example',
      leadCapture: { enabled: true, triggerWords: 'price,, demo ,\ntrial' },
    });
    expect(input.allowedOrigins).toEqual(['https://a.example', 'https://c.example']);
    expect(input.leadCapture).toEqual({ enabled: true, triggerWords: ['price', 'demo', 'trial'] });
  });

  it('sends the key only when one was typed', () => {
    const model = fromBot(botView({ openaiApiKeyLast4: 'WXYZ' }));
    expect(model.openaiApiKey).toBe('');
    expect('openaiApiKey' in toInput(model)).toBe(false);
    expect(toInput({ ...model, openaiApiKey: ' sk-new-key ' }).openaiApiKey).toBe('sk-new-key');
  });

  it('puts only what changed in a PATCH, and of nested settings only the changed keys', () => {
    const before = fromBot(botView());
    const after: BotFormModel = {
      ...before,
      name: 'Sales',
      appearance: { ...before.appearance, primaryColor: '#ff0000' },
      allowedOrigins: 'https://shop.example',
    };
    expect(changesBetween(before, after)).toEqual({
      name: 'Sales',
      appearance: { primaryColor: '#ff0000' },
      allowedOrigins: ['https://shop.example'],
    });
    expect(changesBetween(before, structuredClone(before))).toEqual({});
  });

  it('validates with the server schema and puts each error on its field', () => {
    const model = fromBot(botView());
    const broken: BotFormModel = {
      ...model,
      temperature: 3,
      appearance: { ...model.appearance, primaryColor: 'red' },
      allowedOrigins: 'https://ok.example\njavascript:alert(1)',
    };
    const tree = treeOf(broken);
    const problems = validateBotForm(tree, broken);
    const on = (field: unknown) =>
      problems.filter((problem) => problem.fieldTree === field).map((p) => p.message);
    expect(on(tree.appearance.primaryColor)).toEqual(['must be a colour such as #2563eb']);
    expect(on(tree.allowedOrigins)).toEqual(['Origin 2: must be an origin such as https://example.com']);
    expect(on(tree.temperature)).toHaveLength(1);
    expect(validateBotForm(tree, model)).toEqual([]);
  });

  it('puts a server error on the field its path names, and an unknown path on the form', () => {
    const tree = treeOf(fromBot(botView()));
    expect(problemAt(tree, 'retrieval.chunkMaxTokens', 'too small').fieldTree).toBe(
      tree.retrieval.chunkMaxTokens,
    );
    expect(problemAt(tree, 'retrieval', 'overlap too big').fieldTree).toBe(tree.retrieval);
    expect(problemAt(tree, 'leadCapture.triggerWords.0', 'too long').message).toBe(
      'Trigger word 1: too long',
    );
    const unknown = problemAt(tree, 'bogus', 'unknown field', 'server');
    expect(unknown.fieldTree).toBe(tree);
    expect(unknown.kind).toBe('server');
  });
});
