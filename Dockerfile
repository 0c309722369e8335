# syntax=docker/dockerfile:1
# Build: docker build -t kvartplata .   (or: docker compose up --build)

FROM rust:1-bookworm AS builder
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# Cache mounts keep the crate registry and compiled dependencies between
# builds, so a source change recompiles only this crate. target/ lives in a
# cache mount, so the binary is copied out within the same step.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/local/cargo/git \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin kvartplata \
    && cp target/release/kvartplata /usr/local/bin/kvartplata

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --no-create-home --shell /usr/sbin/nologin kvartplata
# Templates, static files and migrations are embedded in the binary.
COPY --from=builder /usr/local/bin/kvartplata /usr/local/bin/kvartplata
USER kvartplata
ENV BIND_ADDR=0.0.0.0:8080
EXPOSE 8080
CMD ["kvartplata", "serve"]
