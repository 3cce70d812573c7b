import { z } from 'zod';

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
