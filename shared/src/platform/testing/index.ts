export * from './fake-openai';
export * from './test-databases';
