package main_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// freeAddr is a loopback address nobody listens on (for a moment).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

func get(t *testing.T, url string, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// TestServeMetrics runs `scamgraph serve` against the test Neo4j, sends it
// requests and scrapes /metrics: Prometheus text with the latency
// histogram labelled by route template, the Neo4j query and key-cache
// counters; with METRICS_ADDR, only there and not on the API's port.
func TestServeMetrics(t *testing.T) {
	bin := binary(t)
	env := neo4jEnv(t)
	tests := []struct {
		name       string
		ownPort    bool // METRICS_ADDR set
		wantOnMain int  // status of GET /metrics on HTTP_ADDR
	}{
		{"METRICS_ADDR unset: on the API port", false, http.StatusOK},
		{"METRICS_ADDR set: only there", true, http.StatusNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			api := freeAddr(t)
			scrapeAt := api
			vars := append(env[:len(env):len(env)], "HTTP_ADDR="+api, "AUDIT_LOG="+filepath.Join(t.TempDir(), "audit.log"), "METRICS_ADDR=")
			if tc.ownPort {
				scrapeAt = freeAddr(t)
				vars = append(vars, "METRICS_ADDR="+scrapeAt)
			}
			cmd := exec.Command(bin, "serve")
			cmd.Env = append(os.Environ(), vars...)
			cmd.Dir = t.TempDir()
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			t.Cleanup(func() {
				_ = cmd.Process.Signal(syscall.SIGTERM)
				select {
				case err := <-done:
					if err != nil {
						t.Errorf("serve after SIGTERM: %v\n%s", err, stderr.String())
					}
				case <-time.After(30 * time.Second):
					_ = cmd.Process.Kill()
					t.Errorf("serve did not stop on SIGTERM")
				}
			})
			ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
			defer cancel()
			for {
				if code, _ := get(t, "http://"+api+"/readyz"); code == http.StatusOK {
					break
				}
				select {
				case <-ctx.Done():
					t.Fatalf("serve never got ready:\n%s", stderr.String())
				case err := <-done:
					t.Fatalf("serve exited: %v\n%s", err, stderr.String())
				case <-time.After(200 * time.Millisecond):
				}
			}
			// A well-formed key nobody has: a key-cache miss, a Neo4j lookup, 401.
			unknown := "sg_" + strings.Repeat("A", 43)
			if code, body := get(t, "http://"+api+"/v1/entities/person%2Fsecret-77", "Authorization", "Bearer "+unknown); code != http.StatusUnauthorized {
				t.Fatalf("GET with an unknown key: %d %s", code, body)
			}
			if code, _ := get(t, "http://"+api+"/metrics"); code != tc.wantOnMain {
				t.Errorf("GET /metrics on HTTP_ADDR: %d, want %d", code, tc.wantOnMain)
			}
			code, body := get(t, "http://"+scrapeAt+"/metrics")
			if code != http.StatusOK {
				t.Fatalf("GET /metrics on %s: %d %s", scrapeAt, code, body)
			}
			for _, want := range []string{
				`# TYPE http_request_duration_seconds histogram`,
				`http_request_duration_seconds_bucket{method="GET",route="/v1/entities/:id",status="401",le="0.1"} `,
				`http_request_duration_seconds_count{method="GET",route="/readyz",status="200"} `,
				`http_requests_total{method="GET",route="/v1/entities/:id",status="401"} 1`,
				`scamgraph_neo4j_query_duration_seconds_count{outcome="ok",query="ping"} `,
				`scamgraph_neo4j_query_duration_seconds_count{outcome="ok",query="key-authenticate"} 1`,
				`scamgraph_key_cache_lookups_total{result="miss"} 1`,
				`scamgraph_rate_limited_total{scope="ip"} 0`,
			} {
				if !strings.Contains(body, "\n"+want) {
					t.Errorf("/metrics lacks %q", want)
				}
			}
			if strings.Contains(body, "secret-77") {
				t.Error("/metrics holds a raw path")
			}
		})
	}
}
