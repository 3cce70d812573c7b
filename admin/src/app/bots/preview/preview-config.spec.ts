import { fromBot } from '../edit/bot-form-model';
import { botView } from '../bots-testing';
import { previewConfig } from './preview-config';

describe('previewConfig', () => {
  it('shows the settings as typed, with the saved avatar', () => {
    const bot = botView({ appearance: { ...botView().appearance, avatarUrl: 'https://x.example/a.png' } });
    const model = fromBot(bot);
    model.welcomeMessage = 'Typed just now';
    model.appearance.primaryColor = '#ff0000';
    model.appearance.position = 'bottom-left';
    model.leadCapture.enabled = false;
    const config = previewConfig(model, bot);
    expect(config.welcomeMessage).toBe('Typed just now');
    expect(config.appearance).toMatchObject({
      primaryColor: '#ff0000',
      position: 'bottom-left',
      avatarUrl: 'https://x.example/a.png',
    });
    expect(config.leadCapture.enabled).toBe(false);
  });

  it('keeps the saved value of a setting that is not valid yet', () => {
    const bot = botView();
    const model = fromBot(bot);
    model.appearance.primaryColor = '#ff00';
    model.appearance.botName = '   ';
    model.appearance.language = 'not a language';
    const { appearance } = previewConfig(model, bot);
    expect(appearance.primaryColor).toBe(bot.appearance.primaryColor);
    expect(appearance.botName).toBe(bot.appearance.botName);
    expect(appearance.language).toBe('en');
  });

  it('previews a bot being created with the defaults', () => {
    const config = previewConfig(fromBot(null), null);
    expect(config.id).toBe('');
    expect(config.name).toBe('New chatbot');
    expect(config.appearance.avatarUrl).toBeNull();
  });
});
