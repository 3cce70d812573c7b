import { linkedSignal, type Signal } from '@angular/core';
import type { HttpResourceRef } from '@angular/common/http';

/**
 * A resource's value that stays while a new query loads (a resource forgets it as soon as its request
 * changes), so cards and charts update in place instead of flashing back to skeletons. Undefined until the
 * first answer, and after a failure.
 */
export function latestValue<T extends object>(
  resource: HttpResourceRef<T | undefined>,
): Signal<T | undefined> {
  return linkedSignal<T | null | undefined, T | undefined>({
    // null: the request failed, so nothing stale is shown beside the error.
    source: () => (resource.error() ? null : resource.hasValue() ? resource.value() : undefined),
    computation: (value, previous) => (value === null ? undefined : (value ?? previous?.value)),
  });
}
