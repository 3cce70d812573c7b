import {
  filtersProblem,
  filtersToQuery,
  filtersToUrl,
  hasFilters,
  readFilters,
} from './conversation-filters';

describe('conversation filters', () => {
  it('reads the URL, leaving out what is malformed', () => {
    expect(
      readFilters({
        from: '2026-03-01',
        to: 'yesterday',
        mode: 'asleep',
        waiting: 'true',
        q: '  ada ',
        page: '-2',
      }),
    ).toEqual({
      from: '2026-03-01',
      to: undefined,
      botId: undefined,
      mode: undefined,
      waiting: true,
      q: 'ada',
      page: 1,
    });
  });

  it('asks the API for whole local days, 50 a page', () => {
    const query = filtersToQuery({
      from: '2026-03-01',
      to: '2026-03-02',
      botId: 'b1',
      mode: 'human',
      waiting: true,
      q: 'refund',
      page: 3,
    });
    expect(query).toEqual({
      limit: '50',
      offset: '100',
      from: new Date(2026, 2, 1, 0, 0, 0, 0).toISOString(),
      to: new Date(2026, 2, 2, 23, 59, 59, 999).toISOString(),
      botId: 'b1',
      mode: 'human',
      waiting: 'true',
      search: 'refund',
    });
  });

  it('refuses a range that ends before it starts', () => {
    expect(filtersProblem({ from: '2026-03-02', to: '2026-03-01', page: 1 })).toBe(
      'The start date is after the end date.',
    );
    expect(filtersProblem({ from: '2026-03-01', to: '2026-03-01', page: 1 })).toBeNull();
  });

  it('writes the URL back without defaults', () => {
    expect(filtersToUrl({ q: 'ada', page: 1 })).toEqual({
      from: null,
      to: null,
      bot: null,
      mode: null,
      waiting: null,
      q: 'ada',
      page: null,
    });
    expect(hasFilters({ page: 4 })).toBe(false);
    expect(hasFilters({ waiting: true, page: 1 })).toBe(true);
  });
});
