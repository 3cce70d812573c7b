import type { Routes } from '@angular/router';
import { PrivacyPage } from './privacy-page';

export default [{ path: '', component: PrivacyPage, title: 'Privacy' }] satisfies Routes;
