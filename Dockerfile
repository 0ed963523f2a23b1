# cosell serve in a container. Build: docker build -t cosell-connector .
# Run (the config, the state database and the encrypted Partner Center sign-in live in /data):
#   docker run -d --name cosell -p 8080:8080 -v cosell-data:/data \
#     -e COSELL_TOKEN_KEY=... -e COSELL_CONFIG=/data/cosell.config.yaml cosell-connector
# The container listens on 0.0.0.0:8080; put an https reverse proxy or load balancer in front and set
# serve > publicUrl to its address (see the README, "Running as a service").

# Build stage: every dependency, then the type check and lint, so an image is never built from code that
# does not compile.
FROM node:20.19-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run typecheck && npx eslint core connectors config bin

# Runtime stage: production dependencies only (tsx runs the TypeScript sources), as an unprivileged user.
FROM node:20.19-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/bin ./bin
COPY --from=build /app/core ./core
COPY --from=build /app/connectors ./connectors
COPY --from=build /app/config ./config
COPY --from=build /app/mappings ./mappings
COPY --from=build /app/sandbox ./sandbox
COPY --from=build /app/tsconfig.json ./
RUN mkdir -p /data && chown node:node /data
USER node
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
# /healthz answers while the process is up and the state store is open; /readyz is for the load balancer.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD node -e "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM (docker stop) ends it cleanly: no new connections, the current page finishes, the lock is released.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/bin/cosell.js"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8080"]
