//go:build tools

// Wrapper module: builds kwok (fake nodes and pods for the CIS suite's scale bench) from the Go
// module proxy. One wrapper per upstream project keeps Go's version selection from mixing their
// dependencies. kwok is built on demand (testbed.sh build kwok), not by `up`.
package tools

import _ "sigs.k8s.io/kwok/cmd/kwok"
