import { figureLines, humanise } from './tool-figures';

describe('tool figures', () => {
  it('names tools and fields in words', () => {
    expect(humanise('leads_this_month')).toBe('leads this month');
    expect(humanise('byStatus')).toBe('by status');
  });

  it('writes each field on a line: numbers, nested counts, a bot by its name, lists by their size, instants in UTC', () => {
    const lines = figureLines({
      name: 'leads_this_month',
      result: {
        total: 1234,
        byStatus: { new: 3, contacted: 0 },
        bot: { id: 'b-1', name: 'Support' },
        conversations: [{ id: 'c-1' }, { id: 'c-2' }],
        since: '2026-03-01T00:00:00.000Z',
        month: '2026-03',
        error: null,
      },
    });
    expect(lines).toEqual([
      { label: 'total', value: '1,234' },
      { label: 'by status', value: 'new 3, contacted 0' },
      { label: 'bot', value: 'Support' },
      { label: 'conversations', value: '2 items' },
      { label: 'since', value: 'Mar 1, 2026, 12:00 AM UTC' },
      { label: 'month', value: '2026-03' },
      { label: 'error', value: '—' },
    ]);
  });
});
