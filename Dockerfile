# syntax=docker/dockerfile:1
# scamgraph image: a static binary on a small non-root runtime.
#
#   docker build --build-arg VERSION="$(git describe --always --dirty)" -t scamgraph .
#   docker run --rm scamgraph version
#
# docker-compose.yml builds and runs it; see docs/deploy.md.

# Go version: keep in step with the go line of go.mod.
ARG GO_VERSION=1.26

FROM golang:${GO_VERSION} AS build
WORKDIR /src
ENV CGO_ENABLED=0
# Dependencies first, so a source change does not download them again.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
ARG VERSION=dev
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go build -trimpath -buildvcs=false \
      -ldflags "-s -w -X main.version=${VERSION}" \
      -o /out/scamgraph ./cmd/scamgraph

# Alpine rather than distroless: the health check needs an HTTP client, and
# busybox wget is already there (no packages added).
FROM alpine:3.22
RUN addgroup -S -g 65532 scamgraph \
 && adduser -S -D -H -u 65532 -G scamgraph -h /nonexistent -s /sbin/nologin scamgraph
COPY --from=build /out/scamgraph /scamgraph
# The sample reports, for `scamgraph import /data/sample` (compose profile "import").
COPY data/sample /data/sample
# An empty working directory: scamgraph loads ./.env when present, and there is none.
WORKDIR /app
USER 65532:65532
ENV HTTP_ADDR=0.0.0.0:8080
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["wget", "-q", "-T", "4", "-O", "/dev/null", "http://127.0.0.1:8080/readyz"]
ENTRYPOINT ["/scamgraph"]
CMD ["serve"]
