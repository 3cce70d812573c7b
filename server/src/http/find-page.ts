import type { EntityManager, EntityName, FilterQuery } from '@mikro-orm/core';
import type { PageQuery } from '@chatbot/shared';

/** One page of a list endpoint, newest first (ties broken by id so pages never overlap), and the total. */
export async function findPage<T extends { createdAt: Date; id: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  page: PageQuery,
): Promise<[T[], number]> {
  return em.findAndCount(entity, where, {
    orderBy: { createdAt: 'desc', id: 'asc' } as never,
    limit: page.limit,
    offset: page.offset,
  });
}
