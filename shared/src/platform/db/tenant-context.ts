import { AsyncLocalStorage } from 'node:async_hooks';

type Scope = { kind: 'tenant'; tenantId: string } | { kind: 'system'; reason: string };

const storage = new AsyncLocalStorage<Scope>();

/** Thrown when tenant data is touched outside any scope: a missing scope is a bug, never "all tenants". */
export class MissingTenantScopeError extends Error {
  override name = 'MissingTenantScopeError';
  constructor() {
    super('tenant-scoped data accessed outside runInTenant() or runAsSystem()');
  }
}

/** Runs `fn` so that every query it makes sees, and every record it creates belongs to, this tenant only. */
export function runInTenant<T>(tenantId: string, fn: () => T): T {
  return storage.run({ kind: 'tenant', tenantId }, fn);
}

/**
 * Runs `fn` across tenants. Only for the few paths that cannot know the tenant yet (login by email, a
 * refresh token, a public bot id) or that are platform-wide (migrations, key rotation); the reason is kept
 * so a debugger can tell why a query was unscoped.
 */
export function runAsSystem<T>(reason: string, fn: () => T): T {
  return storage.run({ kind: 'system', reason }, fn);
}

/** The tenant of the current scope, or null in a system scope. */
export function currentScope(): Scope {
  const scope = storage.getStore();
  if (!scope) throw new MissingTenantScopeError();
  return scope;
}

export function currentTenantId(): string {
  const scope = currentScope();
  if (scope.kind !== 'tenant') throw new Error(`no tenant in a system scope (${scope.reason})`);
  return scope.tenantId;
}
