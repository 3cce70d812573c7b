import type { AssistantDone } from '@chatbot/shared';
import { finishTurn, mergeDelta, newTurn } from './assistant-turns';

describe('assistant turns', () => {
  const streamed = (...pieces: [number, string][]) =>
    pieces.reduce(
      (turn, [offset, delta]) => mergeDelta(turn, { offset, delta }),
      newTurn('How many leads?', 'c-1'),
    );

  it('appends pieces that arrive in order and starts streaming', () => {
    const turn = streamed([0, 'You have'], [8, ' 3'], [10, ' leads.']);
    expect(turn.content).toBe('You have 3 leads.');
    expect(turn.state).toBe('streaming');
    expect(turn.ahead).toEqual([]);
  });

  it('holds a piece that came ahead of a missing one until the gap is filled', () => {
    const waiting = streamed([0, 'You have'], [10, ' leads.']);
    expect(waiting.content).toBe('You have');
    expect(waiting.ahead).toEqual([{ offset: 10, delta: ' leads.' }]);
    const filled = mergeDelta(waiting, { offset: 8, delta: ' 3' });
    expect(filled.content).toBe('You have 3 leads.');
    expect(filled.ahead).toEqual([]);
  });

  it('writes a repeated piece over itself instead of doubling it', () => {
    expect(streamed([0, 'You have'], [8, ' 3'], [8, ' 3'], [10, ' leads.']).content).toBe(
      'You have 3 leads.',
    );
  });

  it('replaces the pieces with the whole answer when it is done, and ignores pieces after it', () => {
    const done: AssistantDone = {
      messageId: 'm-1',
      content: 'You have 3 leads this month.',
      sources: [],
      toolCalls: [{ name: 'leads_this_month', result: { total: 3 } }],
      state: 'complete',
    };
    const finished = finishTurn(streamed([0, 'You hav'], [20, 'lost']), done);
    expect(finished).toMatchObject({
      content: done.content,
      state: 'complete',
      ahead: [],
      toolCalls: done.toolCalls,
    });
    expect(mergeDelta(finished, { offset: 0, delta: 'late' })).toBe(finished);
  });
});
