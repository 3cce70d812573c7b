import type { Routes } from '@angular/router';
import { AnalyticsPage } from './analytics-page';

export default [{ path: '', component: AnalyticsPage, title: 'Analytics' }] satisfies Routes;
