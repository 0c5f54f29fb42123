// Package web is scamgraph's investigator explorer: a single page served by
// the binary (go:embed), with no server-side rendering. The page is a plain
// client of the public /v1 API, as any other frontend would be.
//
// Handler serves GET / (the page, never cached) and /explorer/<hash>/<file>
// (the page's scripts, styles and vendored Cytoscape.js). <hash> is a digest
// of every embedded asset, so a new build changes every asset URL and the
// assets can be cached for a year. Every answer carries a strict
// Content-Security-Policy (no inline script, no eval), X-Content-Type-Options
// and Referrer-Policy.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
)

//go:embed assets
var assets embed.FS

// CSP is the Content-Security-Policy of every answer: scripts and styles
// only from this origin's files (no inline script or style element, no
// eval), API calls only to this origin, images from this origin or made by
// the page (data:, blob: for the PNG export), no framing, no plugins.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
	"connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Prefix is where the assets are served: Prefix + Hash() + "/" + file.
const Prefix = "/explorer/"

type handler struct {
	files map[string][]byte // asset path (under assets/) -> contents
	hash  string
	index []byte
}

// Handler returns the explorer's handler. It answers GET and HEAD of / and
// of Prefix...; anything else is a 404 (or 405 for another method).
func Handler() http.Handler { return built() }

// Mount serves the explorer beside next (the API): GET and HEAD of / and
// of Prefix... go to Handler, everything else to next. The explorer is a
// frontend of the API, not part of its contract, so it stands outside the
// API's engine, as GET /metrics does.
func Mount(next http.Handler) http.Handler {
	h := Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if (r.Method == http.MethodGet || r.Method == http.MethodHead) &&
			(r.URL.Path == "/" || strings.HasPrefix(r.URL.Path, Prefix)) {
			h.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

var built = sync.OnceValue(build)

func build() *handler {
	h := &handler{files: map[string][]byte{}}
	sum := sha256.New()
	err := fs.WalkDir(assets, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := assets.ReadFile(p)
		if err != nil {
			return err
		}
		h.files[strings.TrimPrefix(p, "assets/")] = b
		return nil
	})
	if err != nil {
		panic("web: embedded assets: " + err.Error()) // the embed is compiled in: cannot fail
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range h.files {
			if !yield(k) {
				return
			}
		}
	})
	for _, n := range names {
		sum.Write([]byte(n))
		sum.Write([]byte{0})
		sum.Write(h.files[n])
	}
	h.hash = hex.EncodeToString(sum.Sum(nil))[:16]
	h.index = bytes.ReplaceAll(h.files["index.html"], []byte("{{ASSETS}}"), []byte(Prefix+h.hash))
	return h
}

// Hash is the digest in asset URLs of this build (for tests).
func Hash() string { return built().hash }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", CSP)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Cross-Origin-Opener-Policy", "same-origin")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hd.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	switch {
	case p == "/" || p == "/index.html":
		hd.Set("Content-Type", "text/html; charset=utf-8")
		hd.Set("Cache-Control", "no-cache")
		_, _ = w.Write(h.index)
		return
	case strings.HasPrefix(p, Prefix):
		rest := strings.TrimPrefix(p, Prefix)
		hash, name, ok := strings.Cut(rest, "/")
		b, found := h.files[name]
		if !ok || hash != h.hash || !found || name == "index.html" || strings.Contains(name, "..") {
			http.NotFound(w, r)
			return
		}
		ct := mime.TypeByExtension(path.Ext(name))
		switch path.Ext(name) {
		case ".js":
			ct = "text/javascript; charset=utf-8"
		case ".css":
			ct = "text/css; charset=utf-8"
		case ".svg":
			ct = "image/svg+xml"
		case ".txt":
			ct = "text/plain; charset=utf-8"
		}
		if ct == "" {
			ct = "application/octet-stream"
		}
		hd.Set("Content-Type", ct)
		hd.Set("Cache-Control", "public, max-age=31536000, immutable")
		_, _ = w.Write(b)
		return
	}
	http.NotFound(w, r)
}
