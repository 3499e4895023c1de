package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	tokenHeader    = "X-aws-ec2-metadata-token"
	tokenTTLHeader = "X-aws-ec2-metadata-token-ttl-seconds"
	maxTokenTTL    = 21600 // seconds, as on EC2
)

// instance is the fake machine the service describes.
type instance struct {
	ID, Type, AMI, Region, Zone, PrivateIP, MAC, Hostname, AccountID, Role string
}

func defaultInstance(role string) instance {
	return instance{
		ID: "i-0123456789abcdef0", Type: "m5.large", AMI: "ami-0123456789abcdef0",
		Region: "us-east-1", Zone: "us-east-1a", PrivateIP: "10.250.0.1", MAC: "02:00:0a:fa:00:01",
		Hostname: "ip-10-250-0-1.ec2.internal", AccountID: "123456789012", Role: role,
	}
}

type server struct {
	inst         instance
	requireToken bool
	now          func() time.Time
	mu           sync.Mutex
	tokens       map[string]time.Time // token -> expiry
}

func newServer(inst instance, requireToken bool, now func() time.Time) *server {
	return &server{inst: inst, requireToken: requireToken, now: now, tokens: map[string]time.Time{}}
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Server", "EC2ws")
	if r.URL.Path == "/latest/api/token" {
		s.issueToken(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "", http.StatusMethodNotAllowed)
		return
	}
	if !s.authorized(r) {
		http.Error(w, "", http.StatusUnauthorized)
		return
	}
	body, contentType, ok := s.lookup(r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", contentType)
	_, _ = w.Write([]byte(body))
}

// issueToken implements IMDSv2's PUT /latest/api/token.
func (s *server) issueToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPut {
		http.Error(w, "", http.StatusMethodNotAllowed)
		return
	}
	// EC2 refuses token requests that went through a proxy, to stop SSRF-style token theft.
	if r.Header.Get("X-Forwarded-For") != "" {
		http.Error(w, "", http.StatusForbidden)
		return
	}
	ttl, err := strconv.Atoi(r.Header.Get(tokenTTLHeader))
	if err != nil || ttl < 1 || ttl > maxTokenTTL {
		http.Error(w, "", http.StatusBadRequest)
		return
	}
	buf := make([]byte, 24)
	_, _ = rand.Read(buf)
	token := hex.EncodeToString(buf)
	s.mu.Lock()
	s.tokens[token] = s.now().Add(time.Duration(ttl) * time.Second)
	s.mu.Unlock()
	w.Header().Set(tokenTTLHeader, strconv.Itoa(ttl))
	w.Header().Set("Content-Type", "text/plain")
	_, _ = w.Write([]byte(token))
}

// authorized: a presented token must be valid; no token is fine unless IMDSv2 is required.
func (s *server) authorized(r *http.Request) bool {
	token := r.Header.Get(tokenHeader)
	if token == "" {
		return !s.requireToken
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	expiry, ok := s.tokens[token]
	if ok && s.now().After(expiry) {
		delete(s.tokens, token)
		return false
	}
	return ok
}

// lookup answers a path from the metadata tree: a leaf's value, or a directory's listing with
// sub-directories marked by a trailing slash, as EC2 lists them.
func (s *server) lookup(path string) (string, string, bool) {
	tree := s.tree()
	p := strings.TrimSuffix(path, "/")
	if v, ok := tree[p]; ok {
		return v, contentTypeOf(v), true
	}
	children := map[string]bool{}
	for k := range tree {
		if rest, ok := strings.CutPrefix(k, p+"/"); ok {
			name, _, isDir := strings.Cut(rest, "/")
			if isDir {
				name += "/"
			}
			children[name] = true
		}
	}
	if len(children) == 0 {
		return "", "", false
	}
	names := make([]string, 0, len(children))
	for n := range children {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, "\n"), "text/plain", true
}

func contentTypeOf(v string) string {
	if strings.HasPrefix(v, "{") {
		return "application/json"
	}
	return "text/plain"
}

func (s *server) tree() map[string]string {
	i := s.inst
	now := s.now().UTC()
	md := "/latest/meta-data"
	return map[string]string{
		md + "/ami-id":                               i.AMI,
		md + "/hostname":                             i.Hostname,
		md + "/local-hostname":                       i.Hostname,
		md + "/local-ipv4":                           i.PrivateIP,
		md + "/instance-id":                          i.ID,
		md + "/instance-type":                        i.Type,
		md + "/mac":                                  i.MAC,
		md + "/placement/availability-zone":          i.Zone,
		md + "/placement/region":                     i.Region,
		md + "/security-groups":                      "kube-assay-testbed",
		md + "/iam/info":                             s.iamInfo(now),
		md + "/iam/security-credentials/" + i.Role:   s.credentials(now),
		md + "/services/domain":                      "amazonaws.com",
		"/latest/dynamic/instance-identity/document": s.identityDocument(),
	}
}

func mustJSON(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

func (s *server) iamInfo(now time.Time) string {
	return mustJSON(map[string]string{
		"Code":               "Success",
		"LastUpdated":        now.Format(time.RFC3339),
		"InstanceProfileArn": "arn:aws:iam::" + s.inst.AccountID + ":instance-profile/" + s.inst.Role,
		"InstanceProfileId":  "AIPAEXAMPLEPROFILEID0",
	})
}

// credentials returns role credentials shaped like EC2's; the keys are AWS's documented examples.
func (s *server) credentials(now time.Time) string {
	return mustJSON(map[string]string{
		"Code":            "Success",
		"LastUpdated":     now.Format(time.RFC3339),
		"Type":            "AWS-HMAC",
		"AccessKeyId":     "ASIAIOSFODNN7EXAMPLE",
		"SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"Token":           "kube-assay-testbed-example-session-token",
		"Expiration":      now.Add(6 * time.Hour).Format(time.RFC3339),
	})
}

func (s *server) identityDocument() string {
	i := s.inst
	return mustJSON(map[string]any{
		"accountId": i.AccountID, "architecture": "x86_64", "availabilityZone": i.Zone,
		"imageId": i.AMI, "instanceId": i.ID, "instanceType": i.Type, "privateIp": i.PrivateIP,
		"region": i.Region, "version": "2017-09-30", "pendingTime": "2026-01-01T00:00:00Z",
	})
}
