# syntax=docker/dockerfile:1
# The server: REST API, Socket.IO, the built dashboard and widget. Also runs `npm run db:migrate` and
# `npm run keys:rotate`.
#   docker build -f deploy/docker/server.Dockerfile -t chatbot-server .

# Builds the widget (Vite) and the dashboard (Angular) with every dependency.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY worker/package.json worker/
COPY widget/package.json widget/
COPY admin/package.json admin/
# Install scripts stay off, as package.json's allowScripts has them: the builds need none of them.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
ENV NG_CLI_ANALYTICS=false
RUN npm run build -w widget && node --import tsx scripts/build-admin.ts --force

# The production dependencies of the server and the workspaces it imports, native modules compiled.
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
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund -w shared -w worker -w server \
  && npm rebuild better-sqlite3

FROM node:20-bookworm-slim
# tini is PID 1: it hands SIGTERM to node and reaps the children node starts (embedded Chroma).
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0 DATA_DIR=/data NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY --from=deps /app ./
COPY tsconfig.json ./
COPY shared/src shared/src
COPY worker/src worker/src
COPY server/src server/src
COPY scripts/db-migrate.ts scripts/keys-rotate.ts scripts/
# The in-dashboard assistant answers from the documentation.
COPY README.md ./
COPY docs docs
COPY --from=build /app/widget/dist widget/dist
COPY --from=build /app/admin/dist/browser admin/dist/browser
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--import", "tsx", "server/src/main.ts"]
