export { loadWorkerEnv, type WorkerEnv } from './config/env';
