import type { Role } from '@chatbot/shared';

export interface NavItem {
  path: string;
  label: string;
  /** Who sees it; the route's guard says the same. */
  roles: Role[];
}

const everyone: Role[] = ['owner', 'admin', 'agent'];
const managers: Role[] = ['owner', 'admin'];

/**
 * The sidebar, in order. Agents see conversations and leads, not bot settings, keys, webhooks, the team or
 * the privacy settings.
 */
export const navItems: NavItem[] = [
  { path: '/', label: 'Overview', roles: everyone },
  { path: '/inbox', label: 'Live inbox', roles: everyone },
  { path: '/conversations', label: 'Conversations', roles: everyone },
  { path: '/leads', label: 'Leads', roles: everyone },
  { path: '/bots', label: 'Chatbots', roles: managers },
  { path: '/analytics', label: 'Analytics', roles: managers },
  { path: '/settings/webhooks', label: 'Webhooks', roles: managers },
  { path: '/settings/team', label: 'Team', roles: managers },
  { path: '/settings/privacy', label: 'Privacy', roles: managers },
];
