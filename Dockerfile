# wirewatch: a two-stage image. The build stage compiles the TypeScript and, when no prebuilt
# sqlite3 binary can be downloaded, the SQLite driver; the runtime stage carries only what `node
# dist/cli.js` needs.

FROM node:24-bookworm-slim AS build
# python3, make and g++ build the sqlite3 addon from source when its prebuilt binary is unreachable.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# The lock file first: the dependency layer is rebuilt only when the dependencies change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# After pruning the dev dependencies, the sqlite3 addon keeps only its binary: when it was compiled
# here, its object files and static library (about 20 MB) would otherwise ship too.
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && test -f node_modules/sqlite3/build/Release/node_sqlite3.node \
 && find node_modules/sqlite3/build -mindepth 1 -maxdepth 1 ! -name Release -exec rm -rf {} + \
 && find node_modules/sqlite3/build/Release -mindepth 1 -maxdepth 1 ! -name node_sqlite3.node -exec rm -rf {} +

FROM node:24-bookworm-slim
# tini as PID 1: it forwards SIGTERM to node (which shuts down cleanly) and reaps zombies.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
# NODE_OPTIONS caps V8's young generation at 16 MB a semi-space, Node 20's size: Node 24 lets it grow
# to 64 MB, and a 1,000-feed news cycle then peaked at 344-367 MB instead of 254-286 MB, with no
# CPU difference beyond the runs' spread (decision 019). It reaches every node process in the container
# (the service, `docker exec … node dist/cli.js poll --once`, the health probe); a NODE_OPTIONS
# of your own replaces it, so keep --max-semi-space-size=16 in it.
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=16 \
    STORE_URL=sqlite:///app/data/wirewatch.sqlite
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY config ./config
# The SQLite file lives in the volume; the code stays owned by root, read-only to the service.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME /app/data
USER node
EXPOSE 8080
# Exits 0 when /healthz answers 200, 1 otherwise (no curl in the slim image).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||8080)+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/cli.js", "run"]
