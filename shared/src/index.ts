export * from './errors';
export * from './limits';
export * from './api/common.schema';
export * from './api/auth.schema';
export * from './api/users.schema';
export * from './api/chatbots.schema';
export * from './api/health.schema';
export type * from './socket/events';
export * from './jobs';
