{{/*
Chart name, truncated to the 63 characters Kubernetes allows in a name.
*/}}
{{- define "codegraphrag.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name prefix: the release name, plus the chart name when the release name does not already contain it.
Role objects append "-<role>" (codegraphrag-indexer, codegraphrag-query, codegraphrag-embedder).
*/}}
{{- define "codegraphrag.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "codegraphrag.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels on every object.
*/}}
{{- define "codegraphrag.labels" -}}
helm.sh/chart: {{ include "codegraphrag.chart" . }}
app.kubernetes.io/name: {{ include "codegraphrag.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Selector labels of one role's pods. Call with (dict "root" $ "role" "<role>").
*/}}
{{- define "codegraphrag.selectorLabels" -}}
app.kubernetes.io/name: {{ include "codegraphrag.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .role }}
{{- end }}

{{- define "codegraphrag.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "codegraphrag.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Whether a role runs on GPUs. Call with (dict "role" "<role>" "settings" <roles.X>).
*/}}
{{- define "codegraphrag.usesGpu" -}}
{{- if eq .role "embedder" }}
{{- with .settings.gpu }}
{{- if .enabled }}true{{ end }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Image of one role. Call with (dict "root" $ "role" "<role>" "settings" <roles.X>).
*/}}
{{- define "codegraphrag.image" -}}
{{- if include "codegraphrag.usesGpu" (dict "role" .role "settings" .settings) }}
{{- printf "%s:%s" .settings.gpu.image.repository .settings.gpu.image.tag }}
{{- else }}
{{- printf "%s:%s" .root.Values.image.repository .root.Values.image.tag }}
{{- end }}
{{- end }}

{{/*
Name of the Secret that holds the credentials.
*/}}
{{- define "codegraphrag.secretName" -}}
{{- required "existingSecret.name is required: create the Secret with kubectl (see docs/deployment.md)" .Values.existingSecret.name }}
{{- end }}
