export * from './cache';
export * from './knowledge-version';
