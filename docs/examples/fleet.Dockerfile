# The image of docs/examples/k8s-fleet-job.yaml: the built CLI and its runtime dependencies.
#   npm run build && docker build -f docs/examples/fleet.Dockerfile -t ocpp-station:0.1.0 .
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY dist ./dist
COPY config ./config
COPY schemas ./schemas
COPY visualizer ./visualizer
# SIGTERM from Kubernetes reaches node directly (PID 1): the CLI stops every station and exits 0.
ENTRYPOINT ["node", "dist/src/cli/main.js"]
