# syntax=docker/dockerfile:1.7
# CodeGraphRag server image (CPU ONNX Runtime): one silo + gRPC + health endpoints, roles chosen by
# CodeGraphRag__Cluster__Roles. Build from the repository root:
#   docker build -f deploy/docker/server.Dockerfile -t codegraphrag/server:0.1.0 .
# Needs network access to NuGet and npm (tree-sitter grammar sources) at build time; never any credentials.

ARG DOTNET_SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0.401-noble
ARG ASPNET_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0.12-noble

FROM ${DOTNET_SDK_IMAGE} AS build
# gcc/make build the native tree-sitter library; npm fetches the pinned grammar sources (see
# src/CodeGraphRag.Parsing/native/build-native.sh, run by the normal MSBuild build).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gcc libc6-dev make npm \
 && rm -rf /var/lib/apt/lists/*
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.nuget/packages \
    dotnet restore src/CodeGraphRag.Server/CodeGraphRag.Server.csproj -r linux-x64
RUN --mount=type=cache,target=/root/.nuget/packages \
    dotnet publish src/CodeGraphRag.Server/CodeGraphRag.Server.csproj -c Release -r linux-x64 --self-contained false \
      --no-restore -o /app \
 && test -f /app/libcgr_treesitter.so

FROM ${ASPNET_IMAGE} AS runtime
# libgomp1: OpenMP runtime that ONNX Runtime's CPU provider loads; curl: the HEALTHCHECK below.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libgomp1 curl \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/codegraphrag/data /var/lib/codegraphrag/git \
 && chown -R "$APP_UID:$APP_UID" /var/lib/codegraphrag
WORKDIR /app
COPY --from=build /app ./
# A container listens on every interface (the server alone binds loopback and, without authentication, refuses
# anything else). Kestrel endpoints come from CodeGraphRag:Server (GrpcPort, HttpPort); the base image's ASPNETCORE_HTTP_PORTS
# would only add a conflicting default binding.
ENV ASPNETCORE_HTTP_PORTS= \
    DOTNET_gcServer=1 \
    CGR_DATA_DIR=/var/lib/codegraphrag/data \
    CodeGraphRag__Server__BindAddress=* \
    CodeGraphRag__Git__CacheDirectory=/var/lib/codegraphrag/git
# gRPC (h2c), HTTP/1.1 (health, webhooks), Orleans silo-to-silo, Orleans gateway.
EXPOSE 5000 8080 11111 30000
# $APP_UID (1654, user "app") is the non-root user every .NET 8+ image ships; k8s runs it as runAsUser 1654.
USER $APP_UID
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${CodeGraphRag__Server__HttpPort:-8080}/health/live" >/dev/null || exit 1
ENTRYPOINT ["dotnet", "CodeGraphRag.Server.dll"]
