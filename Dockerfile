# scan-secrets in a container: a static (musl) binary on an empty image, run as a non-root
# user. Scans read git objects themselves, so the image has no git:
#   docker run --rm -v "$PWD:/repo" ghcr.io/<owner>/scan-secrets --history /repo
# Built and published by .github/workflows/container.yml on version tags.

FROM rust:1-alpine AS build
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY . .
# On Alpine, Rust targets musl and links statically: the binary needs no libc at run time.
RUN cargo build --release --locked \
 && strip target/release/scan-secrets \
 && mkdir -p /out/repo \
 && cp target/release/scan-secrets /out/scan-secrets

FROM scratch
COPY --from=build /out/scan-secrets /usr/local/bin/scan-secrets
# An empty, writable-by-nobody mount point; the repository is mounted over it.
COPY --from=build --chown=65532:65532 /out/repo /repo
USER 65532:65532
WORKDIR /repo
ENTRYPOINT ["/usr/local/bin/scan-secrets"]
CMD ["."]
