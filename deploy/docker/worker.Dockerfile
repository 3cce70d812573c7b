# syntax=docker/dockerfile:1
# A worker of scaled mode: takes jobs from Redis (BullMQ); needs REDIS_URL, DATABASE_URL and CHROMA_URL.
#   docker build -f deploy/docker/worker.Dockerfile -t chatbot-worker .

# The production dependencies of the worker and the shared package, native modules compiled.
FROM node:20-bookworm-slim AS deps
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY worker/package.json worker/
COPY widget/package.json widget/
COPY admin/package.json admin/
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund -w shared -w worker \
  && npm rebuild better-sqlite3

FROM node:20-bookworm-slim
# tini is PID 1: it hands SIGTERM to node, which lets running jobs finish, and reaps child processes.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production DATA_DIR=/data NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY --from=deps /app ./
COPY tsconfig.json ./
COPY shared/src shared/src
COPY worker/src worker/src
RUN mkdir -p /data && chown node:node /data
USER node
# A worker serves no port: healthy means the Redis it takes jobs from answers.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "const { Redis } = require('ioredis'); const redis = new Redis(process.env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null }); redis.on('error', () => {}); redis.connect().then(() => redis.ping()).then(() => process.exit(0), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--import", "tsx", "worker/src/main.ts"]
