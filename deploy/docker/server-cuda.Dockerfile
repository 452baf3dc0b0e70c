# syntax=docker/dockerfile:1.7
# CodeGraphRag server image with ONNX Runtime's CUDA execution provider, for the embedder pool
# (CodeGraphRag__Embedding__Device=cuda). Build from the repository root:
#   docker build -f deploy/docker/server-cuda.Dockerfile -t codegraphrag/server:0.1.0-cuda .
# ONNX Runtime 1.31's CUDA provider links against CUDA 13 (libcublas.so.13, libcublasLt.so.13, libcudart.so.13,
# libcurand.so.10) and cuDNN 9, which the nvidia/cuda cudnn runtime image provides; the host needs an NVIDIA driver
# for CUDA 13 and the NVIDIA container toolkit.

ARG DOTNET_SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0.401-noble
ARG ASPNET_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0.12-noble
ARG CUDA_RUNTIME_IMAGE=nvidia/cuda:13.0.1-cudnn-runtime-ubuntu24.04

FROM ${DOTNET_SDK_IMAGE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gcc libc6-dev make npm \
 && rm -rf /var/lib/apt/lists/*
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.nuget/packages \
    dotnet restore src/CodeGraphRag.Server/CodeGraphRag.Server.csproj -r linux-x64 -p:CgrOnnxFlavor=cuda
RUN --mount=type=cache,target=/root/.nuget/packages \
    dotnet publish src/CodeGraphRag.Server/CodeGraphRag.Server.csproj -c Release -r linux-x64 --self-contained false \
      --no-restore -p:CgrOnnxFlavor=cuda -o /app \
 && test -f /app/libcgr_treesitter.so \
 && test -f /app/libonnxruntime_providers_cuda.so

# The ASP.NET Core shared runtime, taken from the official image of the same Ubuntu release.
FROM ${ASPNET_IMAGE} AS aspnet

FROM ${CUDA_RUNTIME_IMAGE} AS runtime
ENV APP_UID=1654
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates curl libgomp1 libssl3t64 libstdc++6 tzdata zlib1g \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid "$APP_UID" app \
 && useradd --uid "$APP_UID" --gid "$APP_UID" --no-create-home --shell /usr/sbin/nologin app \
 && mkdir -p /var/lib/codegraphrag/data /var/lib/codegraphrag/git \
 && chown -R "$APP_UID:$APP_UID" /var/lib/codegraphrag
COPY --from=aspnet /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
WORKDIR /app
COPY --from=build /app ./
ENV DOTNET_ROOT=/usr/share/dotnet \
    DOTNET_gcServer=1 \
    CGR_DATA_DIR=/var/lib/codegraphrag/data \
    CodeGraphRag__Server__BindAddress=* \
    CodeGraphRag__Git__CacheDirectory=/var/lib/codegraphrag/git \
    CodeGraphRag__Embedding__Device=cuda \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility
EXPOSE 5000 8080 11111 30000
USER $APP_UID
HEALTHCHECK --interval=10s --timeout=3s --start-period=90s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${CodeGraphRag__Server__HttpPort:-8080}/health/live" >/dev/null || exit 1
ENTRYPOINT ["dotnet", "CodeGraphRag.Server.dll"]
