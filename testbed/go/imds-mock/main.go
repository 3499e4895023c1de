// Command imds-mock serves a fake EC2 instance metadata service (IMDS) for the testbed, so
// cloud-credential checks have a real HTTP endpoint at 169.254.169.254 to probe from pods.
//
// It stands in for aws/amazon-ec2-metadata-mock (not served by the module proxy our machines
// reach) and takes the same basic flags: -n/--hostname, -p/--port, -I/--imdsv2. It implements the
// parts of IMDS that clients and checks rely on: IMDSv2 session tokens (PUT /latest/api/token with
// a TTL header, refused when X-Forwarded-For is present), optional or required tokens, directory
// listings, instance identity, and IAM role credentials. Credential values are AWS's documented
// example values: nothing here is a secret.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"time"
)

func main() {
	fs := flag.NewFlagSet("imds-mock", flag.ExitOnError)
	var host, role string
	var port int
	var requireToken bool
	for _, name := range []string{"n", "hostname"} {
		fs.StringVar(&host, name, "0.0.0.0", "address to listen on")
	}
	for _, name := range []string{"p", "port"} {
		fs.IntVar(&port, name, 1338, "port to listen on")
	}
	for _, name := range []string{"I", "imdsv2"} {
		fs.BoolVar(&requireToken, name, false, "require IMDSv2 session tokens (IMDSv1 requests get 401)")
	}
	fs.StringVar(&role, "role", "kube-assay-testbed-node", "name of the instance profile role")
	_ = fs.Parse(os.Args[1:])

	srv := newServer(defaultInstance(role), requireToken, time.Now)
	addr := net.JoinHostPort(host, fmt.Sprint(port))
	log.Printf("imds-mock: serving on %s (IMDSv2 required: %v)", addr, requireToken)
	if err := http.ListenAndServe(addr, srv); err != nil {
		log.Fatalf("imds-mock: %v", err)
	}
}
