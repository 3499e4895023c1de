package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func do(t *testing.T, srv http.Handler, method, path string, headers map[string]string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(body)
}

func TestIMDSv1AllowedUnlessTokensRequired(t *testing.T) {
	c := &clock{time.Unix(1767225600, 0)}
	if code, body := do(t, newServer(defaultInstance("r"), false, c.now), "GET", "/latest/meta-data/instance-id", nil); code != 200 || body != "i-0123456789abcdef0" {
		t.Fatalf("optional tokens: got %d %q, want 200 and the instance id", code, body)
	}
	if code, _ := do(t, newServer(defaultInstance("r"), true, c.now), "GET", "/latest/meta-data/instance-id", nil); code != 401 {
		t.Fatalf("required tokens without a token: got %d, want 401", code)
	}
}

func TestTokenLifecycle(t *testing.T) {
	c := &clock{time.Unix(1767225600, 0)}
	srv := newServer(defaultInstance("r"), true, c.now)
	if code, _ := do(t, srv, "PUT", "/latest/api/token", nil); code != 400 {
		t.Fatalf("token without TTL: got %d, want 400", code)
	}
	if code, _ := do(t, srv, "PUT", "/latest/api/token", map[string]string{tokenTTLHeader: "60", "X-Forwarded-For": "1.2.3.4"}); code != 403 {
		t.Fatalf("proxied token request: got %d, want 403", code)
	}
	code, token := do(t, srv, "PUT", "/latest/api/token", map[string]string{tokenTTLHeader: "60"})
	if code != 200 || token == "" {
		t.Fatalf("token request: got %d %q", code, token)
	}
	if code, _ := do(t, srv, "GET", "/latest/meta-data/instance-id", map[string]string{tokenHeader: token}); code != 200 {
		t.Fatalf("valid token: got %d, want 200", code)
	}
	if code, _ := do(t, srv, "GET", "/latest/meta-data/instance-id", map[string]string{tokenHeader: "forged"}); code != 401 {
		t.Fatalf("unknown token: got %d, want 401", code)
	}
	c.t = c.t.Add(61 * time.Second)
	if code, _ := do(t, srv, "GET", "/latest/meta-data/instance-id", map[string]string{tokenHeader: token}); code != 401 {
		t.Fatalf("expired token: got %d, want 401", code)
	}
}

func TestListingsAndCredentials(t *testing.T) {
	c := &clock{time.Unix(1767225600, 0)}
	srv := newServer(defaultInstance("node-role"), false, c.now)
	_, listing := do(t, srv, "GET", "/latest/meta-data/", nil)
	for _, want := range []string{"iam/", "instance-id", "placement/"} {
		if !strings.Contains("\n"+listing+"\n", "\n"+want+"\n") {
			t.Fatalf("meta-data listing %q lacks %q", listing, want)
		}
	}
	if _, roles := do(t, srv, "GET", "/latest/meta-data/iam/security-credentials/", nil); roles != "node-role" {
		t.Fatalf("role listing: got %q, want node-role", roles)
	}
	_, body := do(t, srv, "GET", "/latest/meta-data/iam/security-credentials/node-role", nil)
	var creds map[string]string
	if err := json.Unmarshal([]byte(body), &creds); err != nil || creds["AccessKeyId"] == "" || creds["Code"] != "Success" {
		t.Fatalf("credentials: %v %q", err, body)
	}
	if code, _ := do(t, srv, "GET", "/latest/meta-data/nope", nil); code != 404 {
		t.Fatalf("unknown path: got %d, want 404", code)
	}
}
