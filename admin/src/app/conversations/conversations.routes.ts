import type { Routes } from '@angular/router';
import { ConversationDetailPage } from './conversation-detail-page';
import { ConversationListPage } from './conversation-list-page';

export default [
  { path: '', component: ConversationListPage, title: 'Conversations' },
  { path: ':id', component: ConversationDetailPage, title: 'Conversation' },
] satisfies Routes;
