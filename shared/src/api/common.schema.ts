import { z } from 'zod';

/**
 * Bounds a string kept in a column of `max` characters as every database counts them. Zod's `.max` counts
 * code points (an emoji is one), as PostgreSQL does, but SQL Server's nvarchar(n) holds n UTF-16 code units
 * (an emoji takes two), as a browser's maxlength counts: without this, a name of 120 emoji passed `.max(120)`
 * and its insert failed on SQL Server. Runs only when the value passed its other checks, so a value too long
 * either way is told once.
 */
export const fitsColumn = (max: number) =>
  z.refine<string>((value) => value.length <= max, {
    message: `must be at most ${max} characters`,
    when: (payload) => payload.issues.length === 0,
  });

export const idSchema = z.uuid({ message: 'must be a UUID' });
export const idParamsSchema = z.object({ id: idSchema });

/** Offset pagination used by every list endpoint. */
export const pageQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
export type PageQuery = z.infer<typeof pageQuerySchema>;

export const emailSchema = z
  .email({ message: 'must be an email address' })
  .max(254)
  .transform((email) => email.toLowerCase());
