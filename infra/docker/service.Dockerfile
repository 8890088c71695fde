# One image definition for every BrowserPane Node service. Build with
#   docker build -f infra/docker/service.Dockerfile --build-arg SERVICE=gateway -t browserpane/gateway .
# The build stage installs dependencies and bundles the service (scripts/build.mjs); the runtime
# stage keeps production dependencies and the bundle only.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
ARG SERVICE
RUN test -n "$SERVICE" || (echo "build with --build-arg SERVICE=<name>" && false)
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends python3 make g++ pkg-config \
      libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node scripts/build.mjs "$SERVICE" && npm prune --omit=dev

FROM ${NODE_IMAGE}
ARG SERVICE
ENV NODE_ENV=production BPANE_SERVICE=${SERVICE}
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends tini libgstreamer1.0-0 libgstreamer-plugins-base1.0-0 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/dist/services/${SERVICE} ./dist/services/${SERVICE}
COPY --from=build /src/openapi ./openapi
USER node
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["sh", "-c", "exec node dist/services/${BPANE_SERVICE}/main.mjs"]
