# syntax=docker/dockerfile:1
# 1. the PWA
FROM node:20-bookworm-slim AS pwa
WORKDIR /src/pwa
COPY pwa/package.json pwa/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY pwa/ ./
COPY openapi/ /src/openapi/
RUN npm run build

# 2. the binary, with the built PWA embedded
FROM rust:1-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY api/ api/
COPY migrations/ migrations/
COPY --from=pwa /src/pwa/dist pwa/dist
RUN cargo build --release --locked -p warmnew

# 3. a slim runtime
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* && useradd --system --home /app warmnew
WORKDIR /app
COPY --from=build /src/target/release/warmnew /usr/local/bin/warmnew
USER warmnew
ENV WARMNEW_BIND=0.0.0.0:8080 WARMNEW_ENV=production WARMNEW_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD curl -fsS http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["warmnew"]
CMD ["serve"]
