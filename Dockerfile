# cosell serve in a container. Build: docker build -t cosell-connector .
# Run (the config, the state database and the encrypted Partner Center sign-in live in /data):
#   docker run -d --name cosell -p 8080:8080 -v cosell-data:/data \
#     -e COSELL_TOKEN_KEY=... -e COSELL_CONFIG=/data/cosell.config.yaml cosell-connector
# The container listens on 0.0.0.0:8080; put an https reverse proxy or load balancer in front and set
# serve > publicUrl to its address (see the README, "Running as a service").

# Build stage: every dependency, the compiled CLI (dist/), the type check and lint, so an image is never
# built from code that does not compile. Dependencies are installed before the sources are copied (a
# cached layer) with --ignore-scripts, because the project's own `prepare` (bin/build.js) needs the
# sources; the two dependencies that need their install scripts (allowScripts in package.json) are then
# rebuilt: better-sqlite3's native binding and esbuild's binary.
FROM node:20.19-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3 esbuild
COPY . .
RUN npm run build && npm run typecheck && npx eslint core connectors config bin \
 && npm prune --omit=dev

# Runtime stage: the compiled CLI and the production dependencies from the build stage (the same base
# image, so the native binding fits), no TypeScript sources and no compiler, as an unprivileged user.
FROM node:20.19-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
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
