import { effect, inject, untracked } from '@angular/core';
import { AdminSocket } from './admin-socket';

/**
 * Runs `refetch` each time the admin socket is back after a loss: the events sent meanwhile were missed,
 * so what a view follows live is fetched again. Call in an injection context (a constructor).
 */
export function onReconnect(refetch: () => void): void {
  const socket = inject(AdminSocket);
  let seen = socket.epoch();
  effect(() => {
    const epoch = socket.epoch();
    if (epoch !== seen) untracked(refetch);
    seen = epoch;
  });
}
