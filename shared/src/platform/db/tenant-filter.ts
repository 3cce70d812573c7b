import type { EventArgs, EventSubscriber, Options } from '@mikro-orm/core';
import { tenantScopedEntities } from './entities';
import { currentScope } from './tenant-context';

const scopedNames = tenantScopedEntities.map((schema) => schema.meta.className);

/**
 * The one place tenancy is enforced on reads, updates and deletes: every query of a tenant-scoped entity
 * gets `tenant = <scope's tenant>`; the Tenant entity itself only shows the scope's own row. A query
 * outside any scope throws (MissingTenantScopeError) instead of silently reading all tenants.
 * Raw SQL and QueryBuilder bypass filters: QueryBuilder code must call `applyFilters()`.
 */
export const tenantFilters: NonNullable<Options['filters']> = {
  tenant: {
    name: 'tenant',
    default: true,
    args: false,
    entity: scopedNames,
    cond: () => {
      const scope = currentScope();
      return scope.kind === 'tenant' ? { tenant: scope.tenantId } : {};
    },
  },
  ownTenant: {
    name: 'ownTenant',
    default: true,
    args: false,
    entity: ['Tenant'],
    cond: () => {
      const scope = currentScope();
      return scope.kind === 'tenant' ? { id: scope.tenantId } : {};
    },
  },
};

/** Refuses to write a record of another tenant from inside a tenant scope (inserts are not filtered). */
export class TenantWriteGuard implements EventSubscriber {
  getSubscribedEntities() {
    return scopedNames;
  }

  beforeCreate(args: EventArgs<{ tenant?: { id: string } }>) {
    this.check(args);
  }

  beforeUpdate(args: EventArgs<{ tenant?: { id: string } }>) {
    this.check(args);
  }

  private check({ entity }: EventArgs<{ tenant?: { id: string } }>) {
    const scope = currentScope();
    if (scope.kind === 'tenant' && entity.tenant?.id !== scope.tenantId) {
      throw new Error('refused to write a record of another tenant');
    }
  }
}
