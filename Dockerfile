# syntax=docker/dockerfile:1
# Counterpublic: build with the same npm scripts the test suite runs (`npm ci` runs `prepare` = `npm run build`).

FROM node:20-bookworm-slim AS build
WORKDIR /app
# `prepare` compiles the sources during `npm ci`, so they come in before it
COPY . .
RUN npm ci --no-audit --no-fund
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    COUNTERPUBLIC_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
COPY --from=build /app/web-dist ./web-dist
COPY --from=build /app/data/demo ./data/demo
# the data folder: the session secret when COUNTERPUBLIC_SECRET is unset, and the embedded PostgreSQL without DATABASE_URL
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node directly, not npm: SIGTERM from `docker stop` reaches the server, which drains and exits 0
CMD ["node", "bin/counterpublic.js", "serve", "--host", "0.0.0.0"]
