# Patchgate image: one image for the web app and the BullMQ worker.
#   docker build --target app -t patchgate .
# Stages: deps (npm ci) -> build (prisma generate + next build) -> app (runtime, non-root).

ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------- deps
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY lib/env-defaults.ts ./lib/env-defaults.ts
# npm ci runs our postinstall (prisma generate), which needs the schema and config.
RUN npm ci --no-audit --no-fund

# ---------------------------------------------------------------- build
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY --from=deps /app/node_modules ./node_modules
COPY . .
# `prisma generate` needs a resolvable DATABASE_URL or it tries to download an engine;
# nothing connects to it. Empty folders are created so the runtime COPYs below never fail.
RUN DATABASE_URL="postgresql://build:build@localhost:5432/build" npx prisma generate \
 && npm run build \
 && mkdir -p public app lib workers cli bin

# ---------------------------------------------------------------- app (runtime)
FROM ${NODE_IMAGE} AS app
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0

# The full node_modules: the prisma CLI (migrate deploy) and tsx (workers) run from it.
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/.next ./.next
COPY --from=build --chown=node:node /app/public ./public
COPY --from=build --chown=node:node /app/prisma ./prisma
COPY --from=build --chown=node:node /app/lib ./lib
COPY --from=build --chown=node:node /app/app ./app
COPY --from=build --chown=node:node /app/workers ./workers
COPY --from=build --chown=node:node /app/cli ./cli
COPY --from=build --chown=node:node /app/bin ./bin
COPY --from=build --chown=node:node \
     /app/package.json /app/package-lock.json /app/prisma.config.ts \
     /app/next.config.ts /app/tsconfig.json ./

USER node
EXPOSE 3000

HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# Apply pending migrations, then serve. docker-compose.yml overrides this for the worker.
CMD ["sh", "-c", "npx prisma migrate deploy && exec npm run start"]
