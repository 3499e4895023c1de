// tb-cri is the testbed's minimal CRI client: upstream crictl is not served by the module proxy,
// and tearing pods down through CRI is the only way that also runs the CNI DEL for each sandbox
// (removing its veth, netns and IP lease) instead of leaking them.
package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	runtime "k8s.io/cri-api/pkg/apis/runtime/v1"
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: tb-cri --endpoint unix:///path/containerd.sock (stop-all-pods | pods | pid CONTAINER_ID)")
	os.Exit(2)
}

func main() {
	args := os.Args[1:]
	endpoint := ""
	if len(args) >= 2 && args[0] == "--endpoint" {
		endpoint, args = args[1], args[2:]
	}
	if endpoint == "" || len(args) == 0 {
		usage()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	conn, err := grpc.NewClient(endpoint, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		fail("connect %s: %v", endpoint, err)
	}
	defer conn.Close()
	client := runtime.NewRuntimeServiceClient(conn)

	switch args[0] {
	case "stop-all-pods":
		stopAllPods(ctx, client)
	case "pods":
		listPods(ctx, client)
	case "pid":
		if len(args) != 2 {
			usage()
		}
		printPid(ctx, client, strings.TrimPrefix(args[1], "containerd://"))
	default:
		usage()
	}
}

func fail(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "tb-cri: "+format+"\n", a...)
	os.Exit(1)
}

func stopAllPods(ctx context.Context, client runtime.RuntimeServiceClient) {
	resp, err := client.ListPodSandbox(ctx, &runtime.ListPodSandboxRequest{})
	if err != nil {
		fail("list pod sandboxes: %v", err)
	}
	failed := 0
	for _, sb := range resp.Items {
		name := sb.Metadata.Namespace + "/" + sb.Metadata.Name
		if _, err := client.StopPodSandbox(ctx, &runtime.StopPodSandboxRequest{PodSandboxId: sb.Id}); err != nil {
			fmt.Fprintf(os.Stderr, "stop sandbox %s: %v\n", name, err)
			failed++
			continue
		}
		if _, err := client.RemovePodSandbox(ctx, &runtime.RemovePodSandboxRequest{PodSandboxId: sb.Id}); err != nil {
			fmt.Fprintf(os.Stderr, "remove sandbox %s: %v\n", name, err)
			failed++
		}
	}
	fmt.Printf("removed %d of %d pod sandboxes\n", len(resp.Items)-failed, len(resp.Items))
	if failed > 0 {
		os.Exit(1)
	}
}

func listPods(ctx context.Context, client runtime.RuntimeServiceClient) {
	resp, err := client.ListPodSandbox(ctx, &runtime.ListPodSandboxRequest{})
	if err != nil {
		fail("list pod sandboxes: %v", err)
	}
	for _, sb := range resp.Items {
		fmt.Printf("%s\t%s/%s\t%s\n", sb.Id[:12], sb.Metadata.Namespace, sb.Metadata.Name, sb.State)
	}
}

// printPid prints the host pid of a running container, read from the runtime's verbose status.
func printPid(ctx context.Context, client runtime.RuntimeServiceClient, id string) {
	resp, err := client.ContainerStatus(ctx, &runtime.ContainerStatusRequest{ContainerId: id, Verbose: true})
	if err != nil {
		fail("container status %s: %v", id, err)
	}
	info := resp.Info["info"]
	const key = `"pid":`
	i := strings.Index(info, key)
	if i < 0 {
		fail("no pid in status of %s", id)
	}
	rest := info[i+len(key):]
	end := strings.IndexAny(rest, ",}")
	if end < 0 {
		fail("malformed status of %s", id)
	}
	fmt.Println(strings.TrimSpace(rest[:end]))
}
