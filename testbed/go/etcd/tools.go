//go:build tools

// Package tools pins the upstream commands this wrapper builds, so `go mod tidy` keeps their dependencies.
package tools

import (
	_ "go.etcd.io/etcd/etcdctl/v3"
	_ "go.etcd.io/etcd/server/v3"
)
