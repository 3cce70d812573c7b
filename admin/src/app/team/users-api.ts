import { HttpClient, httpResource } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { CreatedInvitation, InviteUserInput, Role, UsersResponse, UserView } from '@chatbot/shared';
import { firstValueFrom } from 'rxjs';

/** `/api/users` (owners and admins only): the team and its pending invitations. */
@Injectable({ providedIn: 'root' })
export class UsersApi {
  private readonly http = inject(HttpClient);

  /** The users, oldest first, and the invitations still open. Call in an injection context. */
  list() {
    return httpResource<UsersResponse>(() => '/api/users');
  }

  /** The answer carries the invitation's token: the only time it is shown. */
  invite(input: InviteUserInput): Promise<CreatedInvitation> {
    return firstValueFrom(this.http.post<CreatedInvitation>('/api/users/invitations', input));
  }

  revokeInvitation(id: string): Promise<void> {
    return firstValueFrom(this.http.delete<void>(`/api/users/invitations/${id}`));
  }

  changeRole(id: string, role: Role): Promise<UserView> {
    return firstValueFrom(this.http.patch<UserView>(`/api/users/${id}`, { role }));
  }

  remove(id: string): Promise<void> {
    return firstValueFrom(this.http.delete<void>(`/api/users/${id}`));
  }
}
