{{/*
Names. The prefix is the release name (or fullnameOverride), so release "kpat" gives kpat-operator and
kpat-verifier, the names crds/admission-policy.yaml uses. 40 characters leave room for the longest suffix.
*/}}
{{- define "kpat.fullname" -}}
{{- default .Release.Name .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- end }}

{{- define "kpat.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{- define "kpat.operator.fullname" -}}
{{- include "kpat.fullname" . }}-operator
{{- end }}

{{- define "kpat.verifier.fullname" -}}
{{- include "kpat.fullname" . }}-verifier
{{- end }}

{{/* ServiceAccounts: fixed by the release, since the admission policies name them */}}
{{- define "kpat.operator.serviceAccountName" -}}
{{- include "kpat.operator.fullname" . }}
{{- end }}

{{- define "kpat.verifier.serviceAccountName" -}}
{{- include "kpat.verifier.fullname" . }}
{{- end }}

{{/* Labels of every object */}}
{{- define "kpat.labels" -}}
helm.sh/chart: {{ include "kpat.chart" . }}
app.kubernetes.io/name: kpat
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: kpat
{{- with .Values.global.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Selector labels of a component: (dict "root" $ "component" "operator") */}}
{{- define "kpat.selectorLabels" -}}
app.kubernetes.io/name: kpat
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Labels of a component's objects: (dict "root" $ "component" "operator") */}}
{{- define "kpat.componentLabels" -}}
{{ include "kpat.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* repository:tag or repository@digest: (dict "root" $ "image" .Values.operator.image) */}}
{{- define "kpat.image" -}}
{{- if .image.digest -}}
{{ .image.repository }}@{{ .image.digest }}
{{- else -}}
{{ .image.repository }}:{{ .image.tag | default .root.Values.imageTag | default .root.Chart.AppVersion }}
{{- end -}}
{{- end }}

{{/* The pod spec fields both workloads share: (dict "root" $ "values" .Values.operator "component" "operator") */}}
{{- define "kpat.podScheduling" -}}
{{- with .root.Values.global.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.priorityClassName | default .root.Values.global.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with .values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if .values.topologySpreadConstraints }}
topologySpreadConstraints:
  {{- range .values.topologySpreadConstraints }}
  - {{ toYaml . | nindent 4 | trim }}
    {{- if not .labelSelector }}
    labelSelector:
      matchLabels:
        {{- include "kpat.selectorLabels" (dict "root" $.root "component" $.component) | nindent 8 }}
    {{- end }}
  {{- end }}
{{- end }}
{{- end }}

{{/* Namespace selector for a list of namespace names (the API server labels every namespace with its name) */}}
{{- define "kpat.namespacesPeer" -}}
- namespaceSelector:
    matchExpressions:
      - key: kubernetes.io/metadata.name
        operator: In
        values:
          {{- toYaml . | nindent 10 }}
{{- end }}

{{/* The operator's rights on namespaced kinds: a ClusterRole's or a watched namespace's Role's rules */}}
{{- define "kpat.operator.namespacedRules" -}}
- apiGroups: ["kpat.dev"]
  resources: ["personalaccesstokens"]
  verbs: ["get", "list", "watch", "patch", "update"]
- apiGroups: ["kpat.dev"]
  resources: ["personalaccesstokens/status", "personalaccesstokens/finalizers"]
  verbs: ["get", "patch", "update"]
- apiGroups: ["kpat.dev"]
  resources: ["tokenpolicies"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["kpat.dev"]
  resources: ["tokenpolicies/status"]
  verbs: ["get", "patch", "update"]
# ServiceAccount owners: tokens are bound to their uid, and blocked when they are deleted
- apiGroups: [""]
  resources: ["serviceaccounts"]
  verbs: ["get", "list", "watch"]
# the token Secrets (the operator's informer selects only those it labels; RBAC cannot filter by label)
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- if .Values.rbac.workloadRestart }}
# rolling workloads that opt in with kpat.dev/restart-on-rotation
- apiGroups: ["apps"]
  resources: ["deployments", "statefulsets", "daemonsets"]
  verbs: ["list", "patch"]
{{- end }}
{{- end }}
