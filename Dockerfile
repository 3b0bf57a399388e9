# syntax=docker/dockerfile:1
# Every Tandem image, built from the repository root (compose.yaml does this):
#   docker build --target service --build-arg SERVICE=auth-service .   (or profile-service, session-service)
#   docker build --target web .

# Every workspace manifest, so npm ci can resolve the lock file; each image then installs only
# its own workspace's production dependencies (and the shared packages it links).
FROM node:20.20-bookworm-slim AS manifests
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/contracts/package.json packages/contracts/
COPY packages/service-kit/package.json packages/service-kit/
COPY auth-service/package.json auth-service/
COPY profile-service/package.json profile-service/
COPY session-service/package.json session-service/
COPY web/package.json web/

FROM manifests AS service-deps
ARG SERVICE
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspace @tandem/${SERVICE}

FROM node:20.20-bookworm-slim AS service
ARG SERVICE
ENV NODE_ENV=production SERVICE=${SERVICE}
WORKDIR /app
COPY --from=service-deps /app/node_modules ./node_modules
COPY --from=service-deps /app/package.json ./
COPY packages/contracts packages/contracts
COPY packages/service-kit packages/service-kit
COPY ${SERVICE} ${SERVICE}
# auth-service's volume (its signing keys) and session-service's (its invite-link key) mount here.
# A fresh named volume takes the owner of the directory it is mounted on; without this one Docker
# would make it root's, and node could not write its keys.
RUN mkdir -p /data && chown node:node /data
USER node
# exec: node replaces the shell, so it gets SIGTERM and closes gracefully
CMD ["sh", "-c", "exec node --import tsx \"$SERVICE/src/server.ts\""]

FROM manifests AS web-build
RUN npm ci --ignore-scripts --no-audit --no-fund --workspace @tandem/web
COPY tsconfig.base.json ./
COPY packages/contracts packages/contracts
COPY web web
RUN npm run build --workspace @tandem/web \
 && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspace @tandem/web

FROM node:20.20-bookworm-slim AS web
ENV NODE_ENV=production
WORKDIR /app
COPY --from=web-build /app/node_modules ./node_modules
COPY --from=web-build /app/package.json ./
COPY --from=web-build /app/web/package.json web/
COPY --from=web-build /app/web/build web/build
USER node
EXPOSE 3000
CMD ["node", "web/build"]
