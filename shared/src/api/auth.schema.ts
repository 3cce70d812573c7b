import { z } from 'zod';
import { Limits } from '../limits';
import { emailSchema, fitsColumn } from './common.schema';

export const Roles = ['owner', 'admin', 'agent'] as const;
export type Role = (typeof Roles)[number];

export const passwordSchema = z
  .string()
  .min(Limits.passwordMinLength, `must be at least ${Limits.passwordMinLength} characters`)
  .max(Limits.passwordMaxLength);

const nameSchema = z.string().trim().min(1).max(Limits.nameMaxLength).check(fitsColumn(Limits.nameMaxLength));

export const registerSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: nameSchema,
  companyName: nameSchema,
});
export type RegisterInput = z.infer<typeof registerSchema>;

export const loginSchema = z.object({
  email: emailSchema,
  // Not the password policy: a login only has to be a string, the hash decides.
  password: z.string().min(1).max(Limits.passwordMaxLength),
});
export type LoginInput = z.infer<typeof loginSchema>;

export const refreshSchema = z.object({ refreshToken: z.string().min(20).max(200) });
export type RefreshInput = z.infer<typeof refreshSchema>;

export const acceptInvitationSchema = z.object({
  token: z.string().min(20).max(200),
  name: nameSchema,
  password: passwordSchema,
});
export type AcceptInvitationInput = z.infer<typeof acceptInvitationSchema>;

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface TenantView {
  id: string;
  name: string;
  createdAt: string;
}

export interface AuthResponse {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  user: UserView;
  tenant: TenantView;
}

export interface MeResponse {
  user: UserView;
  tenant: TenantView;
}
