export * from './create-embedder';
export * from './embedder';
export * from './offline-embedder';
export * from './openai-embedder';
