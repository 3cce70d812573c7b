import type { Routes } from '@angular/router';
import { TeamPage } from './team-page';

export default [{ path: '', component: TeamPage, title: 'Team' }] satisfies Routes;
