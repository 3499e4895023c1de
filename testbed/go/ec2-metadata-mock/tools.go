//go:build tools

// Package tools pins the upstream command this wrapper builds, so `go mod tidy` keeps its dependencies.
package tools

import _ "github.com/aws/amazon-ec2-metadata-mock/cmd"
