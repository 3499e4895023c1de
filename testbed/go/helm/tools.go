//go:build tools

// Package tools pins the upstream commands this wrapper builds, so `go mod tidy` keeps their dependencies.
package tools

import (
	_ "helm.sh/helm/v3/cmd/helm"
)
