# syntax=docker/dockerfile:1
# Build: compile TypeScript with the full dependency set. CI runs the same steps without Docker
# (.ci/run: npm ci, npm run build, npm test).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npm run build

# Runtime: production dependencies only, non-root.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    STATE_DIR=/var/lib/gateway
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The npm scripts (npm start, npm run token, npm run simulate) go through this; it builds nothing here.
COPY scripts ./scripts
COPY public ./public
COPY schema ./schema
RUN mkdir -p /var/lib/gateway && chown node:node /var/lib/gateway
USER node
VOLUME ["/var/lib/gateway"]
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]
