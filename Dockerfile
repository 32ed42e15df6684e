# syntax=docker/dockerfile:1
# One image for every IOC process; the command picks the role:
#   npm run start:server     (default) REST, Socket.IO and the wall on PORT (3000); runs aggregate maintenance
#   npm run start:ingest     MQTT → TimescaleDB worker; /healthz and /metrics on INGEST_HTTP_PORT (9464)
#   npm run start:simulator  publishes the demo feed to MQTT_URL
#   npm start                all-in-one with the embedded TimescaleDB and broker (keeps its files in /app/data)
# The TypeScript sources run as they are through tsx (a runtime dependency); only the wall (client/) is
# built, in a first stage with the dev dependencies (Vite, Svelte, MapLibre, d3), and copied as static files.
#   docker build -t ioc .
#   docker run --rm -p 3000:3000 ioc npm start
# docker-compose.yml runs the production-like set (TimescaleDB, Mosquitto, ingest ×2, server).
FROM node:20-bookworm-slim AS wall
WORKDIR /build
COPY package*.json ./
RUN npm ci --ignore-scripts
COPY vite.config.ts ./
COPY bin/build-client.ts ./bin/
COPY contract ./contract
COPY client ./client
RUN node --import tsx bin/build-client.ts --force

FROM node:20-bookworm-slim

# NPM_CONFIG_SCRIPT_SHELL: `npm run` starts a script through `<shell> -c "node --import tsx …"`. Debian's
# /bin/sh (dash) forks node and dies on the SIGTERM npm forwards, so node never hears `docker stop`, is
# orphaned and gets killed mid-flush. bash execs the single command in place: node is npm's own child, gets
# the SIGTERM, shuts down in order (ingest commits its last batch) and npm waits for it.
ENV NODE_ENV=production \
    NPM_CONFIG_SCRIPT_SHELL=/bin/bash \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

WORKDIR /app

# Dependencies first, so that a source change does not reinstall them.
COPY package*.json ./
RUN npm ci --omit=dev && npm cache clean --force

# Only what runs (test/unit/compose.test.ts checks that every folder the entry points import is here).
COPY contract ./contract
COPY core ./core
COPY db ./db
COPY ingest ./ingest
COPY server ./server
COPY simulator ./simulator
COPY broker ./broker
COPY bin ./bin
COPY --from=wall /build/client/dist ./client/dist
# dashboards/ may still be empty, and git does not keep empty folders: the [s] wildcard lets BuildKit
# copy nothing instead of failing on a fresh clone.
COPY dashboard[s] ./dashboards/

# The sources stay root-owned and read-only to the app; only data/ (the embedded database of `npm start`)
# is writable. The `node` user (uid 1000) comes with the base image.
RUN mkdir -p /app/data && chown node:node /app/data
USER node

EXPOSE 3000 9464

# The server answers /healthz on PORT, an ingest worker on INGEST_HTTP_PORT: healthy when either answers
# 200 (a process runs one role). The simulator serves no HTTP; docker-compose.yml disables the check there.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "const ports=[process.env.PORT||3000,process.env.INGEST_HTTP_PORT||9464];Promise.any(ports.map((p)=>fetch('http://127.0.0.1:'+p+'/healthz',{signal:AbortSignal.timeout(4000)}).then((r)=>{if(!r.ok)throw new Error(String(r.status))}))).then(()=>process.exit(0),()=>process.exit(1))"]

CMD ["npm", "run", "start:server"]
