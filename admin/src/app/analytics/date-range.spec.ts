import { formatRange, presetOf, presetRange, rangeParams, rangeProblem } from './date-range';

describe('date ranges', () => {
  const today = '2026-03-10';

  it('makes a preset of the last n days, today included, across a month end', () => {
    expect(presetRange(7, today)).toEqual({ from: '2026-03-04', to: today });
    expect(presetRange(30, today)).toEqual({ from: '2026-02-09', to: today });
    expect(presetRange(90, '2024-03-01')).toEqual({ from: '2023-12-03', to: '2024-03-01' });
  });

  it('recognises a preset, and a range that is none', () => {
    expect(presetOf(presetRange(90, today), today)).toBe(90);
    expect(presetOf({ from: '2026-03-04', to: today }, today)).toBe(7);
    expect(presetOf({ from: '2026-03-05', to: today }, today)).toBeNull();
    expect(presetOf({ from: '2026-03-03', to: '2026-03-09' }, today)).toBeNull();
  });

  it('says what is wrong with a custom range, as the API would refuse it', () => {
    expect(rangeProblem({ from: '2026-03-01', to: '2026-03-01' })).toBeNull();
    expect(rangeProblem({ from: '', to: today })).toBe('Choose both days.');
    expect(rangeProblem({ from: '2026-03-11', to: today })).toBe('The first day must not be after the last.');
    expect(rangeProblem({ from: '2025-03-09', to: today })).toBe('Choose at most 366 days.');
    expect(rangeProblem({ from: '2025-03-10', to: today })).toBeNull();
    expect(rangeProblem({ from: '2026-02-30', to: today })).toBe('Choose both days.');
  });

  it('writes the query string, with the bot only when one is chosen', () => {
    const range = { from: '2026-03-01', to: today };
    expect(rangeParams(range)).toBe('from=2026-03-01&to=2026-03-10');
    expect(rangeParams(range, '')).toBe('from=2026-03-01&to=2026-03-10');
    expect(rangeParams(range, 'b-1')).toBe('from=2026-03-01&to=2026-03-10&botId=b-1');
  });

  it('names a range in words, with the year of each end when they differ', () => {
    expect(formatRange({ from: '2026-03-04', to: today })).toBe('Mar 4 – Mar 10, 2026');
    expect(formatRange({ from: '2025-12-03', to: '2026-03-01' })).toBe('Dec 3, 2025 – Mar 1, 2026');
  });
});
