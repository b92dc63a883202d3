# syntax=docker/dockerfile:1.7
# One image per app, built from a workspace pruned to that app and its packages:
#   docker build --build-arg APP=plex-poller --target app -t ml-connector/plex-poller .
#   docker build --target migrate -t ml-connector/migrate .
# Everything installs from the npm registry and Debian's archive; nothing else is downloaded.

ARG NODE_IMAGE=node:20.20-bookworm-slim

FROM ${NODE_IMAGE} AS base
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH CI=true NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1
RUN npm install --global pnpm@12.23.0 turbo@2.11.13
WORKDIR /repo

# Keep only what the app needs, so a change to another app does not rebuild this one.
FROM base AS pruner
ARG APP
COPY . .
RUN turbo prune "@ml-connector/${APP}" --docker

FROM base AS builder
ARG APP
# Dependencies first (cached while only sources change), then the sources.
COPY --from=pruner /repo/out/json/ .
RUN pnpm install --frozen-lockfile
COPY --from=pruner /repo/out/full/ .
COPY prisma ./prisma
RUN pnpm turbo run build --filter="@ml-connector/${APP}..." \
 && pnpm --filter "@ml-connector/${APP}" deploy --prod --legacy /app

# The migration Job / compose one-shot: the db package with the Prisma CLI and the migrations.
FROM base AS migrate
COPY . .
RUN pnpm install --frozen-lockfile --filter "@ml-connector/db..." \
 && pnpm --filter @ml-connector/db db:generate \
 && chown -R node:node /repo
USER node
CMD ["pnpm", "--filter", "@ml-connector/db", "db:migrate"]

FROM ${NODE_IMAGE} AS app
# dumb-init is PID 1 so SIGTERM reaches Node and zombies are reaped.
RUN apt-get update \
 && apt-get install --yes --no-install-recommends dumb-init \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY --from=builder --chown=root:root /app /app
# Runs as the unprivileged "node" user; the root filesystem can be mounted read-only.
USER node
ENTRYPOINT ["dumb-init", "--"]
CMD ["node", "--enable-source-maps", "dist/main.js"]
