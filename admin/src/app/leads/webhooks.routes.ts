import type { Routes } from '@angular/router';
import { WebhookListPage } from './webhook-list-page';

export default [{ path: '', component: WebhookListPage, title: 'Webhooks' }] satisfies Routes;
