# The browser runtime image: Xvfb, openbox, PulseAudio, Debian's Chromium, GStreamer and the
# BrowserPane host agent that owns them. One container per live session.
#   docker build -f infra/docker/runtime.Dockerfile -t browserpane/runtime .
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends python3 make g++ pkg-config \
      libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node scripts/build.mjs host-agent && npm prune --omit=dev

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends tini xvfb xauth openbox chromium pulseaudio \
      gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad \
      gstreamer1.0-plugins-ugly gstreamer1.0-x gstreamer1.0-pulseaudio fonts-dejavu-core fonts-noto-color-emoji \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/dist/services/host-agent ./dist/services/host-agent
RUN mkdir -p /data/profile /data/uploads /data/downloads && chown -R node:node /data
USER node
VOLUME ["/data"]
ENV BPANE_HOST_AGENT_DATA_DIR=/data
EXPOSE 7300
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/services/host-agent/main.mjs"]
