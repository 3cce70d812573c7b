import { z } from 'zod';
import { Roles, type Role, type UserView } from './auth.schema';
import { emailSchema } from './common.schema';

export const inviteUserSchema = z.object({
  email: emailSchema,
  role: z.enum(Roles).exclude(['owner']),
});
export type InviteUserInput = z.infer<typeof inviteUserSchema>;

export const updateUserSchema = z.object({ role: z.enum(Roles) });
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

export interface InvitationView {
  id: string;
  email: string;
  role: Role;
  expiresAt: string;
  createdAt: string;
}

/** The token is shown once, at creation: only its hash is kept. */
export interface CreatedInvitation {
  invitation: InvitationView;
  token: string;
}

export interface UsersResponse {
  users: UserView[];
  invitations: InvitationView[];
}
