import type { Routes } from '@angular/router';
import { LeadDetailPage } from './lead-detail-page';
import { LeadListPage } from './lead-list-page';

export default [
  { path: '', component: LeadListPage, title: 'Leads' },
  { path: ':id', component: LeadDetailPage, title: 'Lead' },
] satisfies Routes;
