export * from './metrics';
export * from './metrics-endpoint';
export * from './metrics-env';
export * from './metric-samples';
