import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { WIDGET_SCRIPT, WidgetLoader } from './widget-loader';

describe('WidgetLoader', () => {
  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] });
    // Another spec of this run may have defined a stand-in <chat-bot>: here the page has none yet.
    vi.spyOn(customElements, 'get').mockReturnValue(undefined);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    document.querySelectorAll(`script[src="${WIDGET_SCRIPT}"]`).forEach((s) => s.remove());
  });
  const scripts = () => document.querySelectorAll(`script[src="${WIDGET_SCRIPT}"]`);

  it("adds the platform's widget script once, however many previews ask", () => {
    const loader = TestBed.inject(WidgetLoader);
    void loader.load();
    void loader.load();
    expect(scripts()).toHaveLength(1);
  });

  it('fails with a sentence when the script cannot load, and tries again next time', async () => {
    const loader = TestBed.inject(WidgetLoader);
    const first = loader.load();
    scripts()[0]!.dispatchEvent(new Event('error'));
    await expect(first).rejects.toThrow('The chat widget could not be loaded.');
    expect(scripts()).toHaveLength(0);
    void loader.load();
    expect(scripts()).toHaveLength(1);
  });
});
