// V8 flags kube-assay runs with wherever it starts node itself: --parallel children, the
// container image (NODE_OPTIONS, see deploy/image/build.sh) and scripts/run.sh. A short-lived CLI
// does not need V8's default 16 MiB young generation: 1 MiB keeps a conformance run's peak RSS
// about 30 MiB lower at no measurable cost in wall time. The executable itself starts with
// `#!/usr/bin/env node` and so with node's defaults: `env -S`, which a shebang needs to pass
// flags, is missing from busybox, Alpine and distroless images.
export const RUNTIME_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];
