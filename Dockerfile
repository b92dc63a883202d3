# syntax=docker/dockerfile:1.7
# One image per app, built from a workspace pruned to that app and its packages:
#   docker build --build-arg APP=plex-poller --target app -t ml-connector/plex-poller .
#   docker build --target migrate -t ml-connector/migrate .
# Kubernetes manifests for these images: deploy/ (deploy/README.md).
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

# The migration Job / compose one-shot / the pods' migration gate: the db package with the Prisma
# CLI and the migrations, pruned and installed from the lockfile like the apps.
FROM base AS migrate-pruner
COPY . .
RUN turbo prune "@ml-connector/db" --docker

FROM base AS migrate
RUN apt-get update \
 && apt-get install --yes --no-install-recommends dumb-init \
 && rm -rf /var/lib/apt/lists/*
COPY --from=migrate-pruner /repo/out/json/ .
RUN pnpm install --frozen-lockfile
COPY --from=migrate-pruner /repo/out/full/ .
COPY prisma ./prisma
# No telemetry call-out (air-gapped plants). The CLI writes nothing to disk, so the root filesystem
# can be read-only (tests/deploy runs `migrate deploy` and `migrate status` that way).
ENV CHECKPOINT_DISABLE=1
WORKDIR /repo/packages/db
# Numeric, so Kubernetes can verify runAsNonRoot (uid 1000 is the image's "node" user).
USER 1000:1000
# dumb-init forwards SIGTERM to the CLI (and to the gate's shell loop in deploy/), which as PID 1
# would ignore it.
ENTRYPOINT ["dumb-init", "--"]
CMD ["node", "node_modules/prisma/build/index.js", "migrate", "deploy"]

FROM ${NODE_IMAGE} AS app
# dumb-init is PID 1 so SIGTERM reaches Node and zombies are reaped.
RUN apt-get update \
 && apt-get install --yes --no-install-recommends dumb-init \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY --from=builder --chown=root:root /app /app
# Runs as the unprivileged "node" user, by number so Kubernetes can verify runAsNonRoot. Nothing
# is written at run time: the root filesystem can be mounted read-only, and /tmp needs no volume
# (tests/deploy runs every service that way); deploy/ still mounts a small emptyDir on /tmp.
USER 1000:1000
ENTRYPOINT ["dumb-init", "--"]
CMD ["node", "--enable-source-maps", "dist/main.js"]
