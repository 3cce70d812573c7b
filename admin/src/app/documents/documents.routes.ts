import type { Routes } from '@angular/router';
import { DocumentsPage } from './documents-page';

export default [{ path: '', component: DocumentsPage, title: 'Documents' }] satisfies Routes;
