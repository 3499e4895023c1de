{{/* Name of the release's objects: RELEASE-kube-assay, DNS-safe. */}}
{{- define "kube-assay.fullname" -}}
{{- printf "%s-kube-assay" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "kube-assay.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}{{ include "kube-assay.fullname" . }}{{- else -}}{{ required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}{{- end -}}
{{- end -}}

{{- define "kube-assay.labels" -}}
app.kubernetes.io/name: kube-assay
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The runner's arguments: the chosen suites, config and options; no hold, so the pod ends with the run's exit code. */}}
{{- define "kube-assay.args" -}}
- run
{{- range .Values.suites }}
- --suite
- {{ . }}
{{- end }}
- --config
- /etc/kube-assay/config.yaml
- --report-dir
- /results
{{- if .Values.grep }}
- --grep
- {{ .Values.grep | quote }}
{{- end }}
{{- if ne (toString .Values.timeoutScale) "1" }}
- --timeout-scale
- {{ .Values.timeoutScale | quote }}
{{- end }}
{{- end -}}

{{/* The runner pod's spec, as `kube-assay run --in-cluster` builds it (src/incluster/objects.ts). */}}
{{- define "kube-assay.podSpec" -}}
serviceAccountName: {{ include "kube-assay.serviceAccountName" . }}
restartPolicy: Never
terminationGracePeriodSeconds: 60
securityContext:
  runAsNonRoot: true
  fsGroup: 65532
  seccompProfile:
    type: RuntimeDefault
containers:
  - name: kube-assay
    image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
    imagePullPolicy: {{ .Values.image.pullPolicy | default "IfNotPresent" }}
    args:
      {{- include "kube-assay.args" . | nindent 6 }}
    env:
      - name: KUBE_ASSAY_RUNNER_NAMESPACE
        valueFrom:
          fieldRef:
            fieldPath: metadata.namespace
    securityContext:
      runAsNonRoot: true
      runAsUser: 65532
      runAsGroup: 65532
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
      capabilities:
        drop: ["ALL"]
      seccompProfile:
        type: RuntimeDefault
    {{- with .Values.resources }}
    resources:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    volumeMounts:
      - name: config
        mountPath: /etc/kube-assay
        readOnly: true
      - name: results
        mountPath: /results
      - name: tmp
        mountPath: /tmp
volumes:
  - name: config
    configMap:
      name: {{ include "kube-assay.fullname" . }}
  - name: results
    emptyDir: {}
  - name: tmp
    emptyDir: {}
{{- end -}}
