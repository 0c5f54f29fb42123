package web_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/web"
)

func get(t *testing.T, h http.Handler, method, target string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec
}

func TestHandler(t *testing.T) {
	h := web.Handler()
	page := get(t, h, http.MethodGet, "/").Body.String()
	m := regexp.MustCompile(`/explorer/([0-9a-f]{16})/app\.js`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the page does not load a hashed app.js:\n%s", page)
	}
	hash := m[1]
	if hash != web.Hash() {
		t.Errorf("page asset hash %s, Hash() %s", hash, web.Hash())
	}
	tests := []struct {
		name, method, target string
		status               int
		contentType, cache   string
	}{
		{"page", http.MethodGet, "/", 200, "text/html; charset=utf-8", "no-cache"},
		{"page head", http.MethodHead, "/", 200, "text/html; charset=utf-8", "no-cache"},
		{"script", http.MethodGet, "/explorer/" + hash + "/app.js", 200, "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"},
		{"style", http.MethodGet, "/explorer/" + hash + "/app.css", 200, "text/css; charset=utf-8", "public, max-age=31536000, immutable"},
		{"vendored cytoscape", http.MethodGet, "/explorer/" + hash + "/vendor/cytoscape.esm.min.js", 200, "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"},
		{"stale hash", http.MethodGet, "/explorer/0000000000000000/app.js", 404, "", ""},
		{"no hash", http.MethodGet, "/explorer/app.js", 404, "", ""},
		{"index is not an asset", http.MethodGet, "/explorer/" + hash + "/index.html", 404, "", ""},
		{"unknown file", http.MethodGet, "/explorer/" + hash + "/nope.js", 404, "", ""},
		{"post", http.MethodPost, "/", 405, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, h, tt.method, tt.target)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d", rec.Code, tt.status)
			}
			hd := rec.Header()
			if got := hd.Get("Content-Security-Policy"); got != web.CSP {
				t.Errorf("CSP %q", got)
			}
			for _, bad := range []string{"unsafe-inline", "unsafe-eval"} {
				if strings.Contains(hd.Get("Content-Security-Policy"), bad) {
					t.Errorf("CSP allows %s", bad)
				}
			}
			if got := hd.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options %q", got)
			}
			if got := hd.Get("Referrer-Policy"); got != "no-referrer" {
				t.Errorf("Referrer-Policy %q", got)
			}
			if tt.contentType != "" && hd.Get("Content-Type") != tt.contentType {
				t.Errorf("Content-Type %q, want %q", hd.Get("Content-Type"), tt.contentType)
			}
			if tt.cache != "" && hd.Get("Cache-Control") != tt.cache {
				t.Errorf("Cache-Control %q, want %q", hd.Get("Cache-Control"), tt.cache)
			}
		})
	}
}

// TestPageHasNoInlineScript: the CSP would block it, so the page must not
// rely on one (nor on inline style attributes or elements).
func TestPageHasNoInlineScript(t *testing.T) {
	page := get(t, web.Handler(), http.MethodGet, "/").Body.String()
	for _, bad := range []*regexp.Regexp{regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]+</script>`), regexp.MustCompile(`\son[a-z]+=`), regexp.MustCompile(`<style`), regexp.MustCompile(`\sstyle=`)} {
		if bad.MatchString(page) {
			t.Errorf("page holds %s", bad)
		}
	}
}

// TestVendoredCytoscapeMatchesLock: web/vendor.txt records the vendored
// file's version and sha256; the version is the one package-lock.json pins
// (with its registry integrity hash), and the embedded file has that sha256.
// scripts/web-vendor.sh checks the file against a fresh npm ci.
func TestVendoredCytoscapeMatchesLock(t *testing.T) {
	rec, err := os.ReadFile("vendor.txt")
	if err != nil {
		t.Fatal(err)
	}
	var lock struct {
		Packages map[string]struct {
			Version   string `json:"version"`
			Integrity string `json:"integrity"`
		} `json:"packages"`
	}
	b, err := os.ReadFile("package-lock.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &lock); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(strings.NewReader(string(rec)))
	n := 0
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 5 || strings.HasPrefix(f[0], "#") {
			continue
		}
		n++
		name, version, file, sum := f[0], f[1], f[3], strings.TrimPrefix(f[4], "sha256:")
		t.Run(name, func(t *testing.T) {
			pkg, ok := lock.Packages["node_modules/"+name]
			if !ok || pkg.Version != version || !strings.HasPrefix(pkg.Integrity, "sha512-") {
				t.Fatalf("package-lock.json pins %s at %q (integrity %q), vendor.txt says %s", name, pkg.Version, pkg.Integrity, version)
			}
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got := sha256.Sum256(data)
			if hex.EncodeToString(got[:]) != sum {
				t.Errorf("%s has sha256 %x, vendor.txt records %s", file, got, sum)
			}
			if !strings.Contains(string(data), `version="`+version+`"`) {
				t.Errorf("%s does not say it is version %s", file, version)
			}
		})
	}
	if n == 0 {
		t.Fatal("vendor.txt records nothing")
	}
}
