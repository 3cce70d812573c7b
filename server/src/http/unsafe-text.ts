import type { FieldError } from '@chatbot/shared';

/** Deeper than any input the API takes: the walk below stops there instead of overflowing the stack. */
const maxDepth = 32;

/**
 * Finds the first string holding a NUL or a lone surrogate: no database stores those faithfully (PostgreSQL
 * refuses NUL, drivers mangle broken UTF-16), so they are refused at the door, for every route and socket
 * event at once. So is input nested past {@link maxDepth}, which a JSON body of a megabyte can be a hundred
 * thousand levels deep. The path is dotted, empty for the value itself.
 */
export function findUnsafeText(
  value: unknown,
  path: string[] = [],
): Pick<FieldError, 'path' | 'message'> | null {
  if (path.length > maxDepth) {
    return { path: path.join('.'), message: `is nested deeper than ${maxDepth} levels` };
  }
  if (typeof value === 'string') {
    return value.includes('\u0000') || !value.isWellFormed()
      ? { path: path.join('.'), message: 'contains a NUL character or invalid Unicode' }
      : null;
  }
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const found = findUnsafeText(key, path) ?? findUnsafeText(child, [...path, key]);
      if (found !== null) return found;
    }
  }
  return null;
}
