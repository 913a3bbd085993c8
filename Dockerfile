# newswire for CI systems other than GitHub Actions: a static (musl) binary on distroless/static,
# no shell, no libc, running as a non-root user. Build: docker build -t newswire .
# Use, from a site's folder: docker run --rm -v "$PWD:/site" -u "$(id -u)" newswire build --validate
FROM rust:1-alpine AS build
# musl-dev: mimalloc's C code; git: the commit in `newswire --version`; binutils: readelf.
RUN apk add --no-cache musl-dev git binutils
WORKDIR /src
COPY . .
# Rust links musl statically by default: the binary needs nothing from the image (checked:
# no shared library NEEDED).
RUN cargo build --release --locked --bin newswire \
 && cp target/release/newswire /newswire \
 && /newswire --version \
 && ! readelf -d /newswire | grep NEEDED

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /newswire /usr/local/bin/newswire
WORKDIR /site
ENTRYPOINT ["/usr/local/bin/newswire"]
CMD ["build", "--validate"]
