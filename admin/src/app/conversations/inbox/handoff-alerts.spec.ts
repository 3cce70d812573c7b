import { DestroyRef, Injector, provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Title } from '@angular/platform-browser';
import { provideRouter } from '@angular/router';
import { AdminSocket } from '../../core/socket/admin-socket';
import { FakeAdminSocket } from '../testing/fake-admin-socket';
import { summary } from '../testing/fixtures';
import { HandoffAlerts } from './handoff-alerts';

describe('HandoffAlerts', () => {
  let socket: FakeAdminSocket;
  let title: Title;
  let oscillators: number;

  /** A stand-in for Web Audio that counts the notes played. */
  class FakeAudioContext {
    currentTime = 0;
    destination = {};
    resume = () => Promise.resolve();
    createGain = () => ({
      gain: { setValueAtTime: () => undefined, exponentialRampToValueAtTime: () => undefined },
      connect: (target: unknown) => target,
    });
    createOscillator = () => ({
      type: 'sine',
      frequency: { value: 0 },
      connect: (target: unknown) => target,
      start: () => oscillators++,
      stop: () => undefined,
    });
  }

  function start(): HandoffAlerts {
    const alerts = TestBed.inject(HandoffAlerts);
    alerts.start(TestBed.inject(Injector).get(DestroyRef));
    return alerts;
  }

  beforeEach(() => {
    oscillators = 0;
    localStorage.clear();
    vi.stubGlobal('AudioContext', FakeAudioContext);
    socket = new FakeAdminSocket();
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([]),
        { provide: AdminSocket, useValue: socket },
      ],
    });
    title = TestBed.inject(Title);
    title.setTitle('Live inbox');
  });
  afterEach(() => vi.unstubAllGlobals());

  it('plays a tone and counts unseen requests in the title until each is seen or answered', () => {
    const alerts = start();
    socket.emit('handoff:requested', { conversationId: 'c1', botId: 'b1' });
    socket.emit('handoff:requested', { conversationId: 'c2', botId: 'b1' });
    TestBed.tick();
    expect(title.getTitle()).toBe('(2) Live inbox');
    expect(oscillators).toBe(4);

    alerts.seen('c1');
    TestBed.tick();
    expect(title.getTitle()).toBe('(1) Live inbox');
    // Still waiting: not seen yet. Taken over by someone: no longer waiting.
    socket.emit(
      'conversation:updated',
      summary({ id: 'c2', handoffRequestedAt: '2026-03-02T10:00:00.000Z' }),
    );
    TestBed.tick();
    expect(title.getTitle()).toBe('(1) Live inbox');
    socket.emit('conversation:updated', summary({ id: 'c2', mode: 'human' }));
    TestBed.tick();
    expect(title.getTitle()).toBe('Live inbox');
  });

  it('stays silent when muted, keeps the choice in localStorage, and still shows the badge', () => {
    const alerts = start();
    alerts.toggleMute();
    expect(localStorage.getItem('chatbot-admin:inbox-muted')).toBe('true');
    socket.emit('handoff:requested', { conversationId: 'c1', botId: 'b1' });
    TestBed.tick();
    expect(oscillators).toBe(0);
    expect(title.getTitle()).toBe('(1) Live inbox');

    TestBed.resetTestingModule();
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([]),
        { provide: AdminSocket, useValue: socket },
      ],
    });
    expect(TestBed.inject(HandoffAlerts).muted()).toBe(true);
  });

  it('listens once however many views start it', () => {
    const alerts = start();
    alerts.start(TestBed.inject(Injector).get(DestroyRef));
    expect(socket.listening('handoff:requested')).toBe(1);
  });
});
