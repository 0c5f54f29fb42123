package audit_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/scamgraph/scamgraph/api/audit"
	"github.com/scamgraph/scamgraph/graph"
)

func init() { gin.SetMode(gin.TestMode) }

func TestMiddleware(t *testing.T) {
	var buf bytes.Buffer
	l := audit.New(&buf)
	r := gin.New()
	r.Use(audit.Middleware(l))
	// A fake Auth: sets a principal when a key is presented.
	r.Use(func(c *gin.Context) {
		if strings.HasPrefix(c.GetHeader("Authorization"), "Bearer sg_") {
			c.Request = c.Request.WithContext(graph.WithPrincipal(c.Request.Context(),
				graph.Principal{KeyID: "key_0123456789abcdef", Name: "desk", Role: graph.RoleAnalyst}))
			return
		}
		c.AbortWithStatus(401)
	})
	r.GET("/v1/entities/:id", func(c *gin.Context) {
		audit.Note(c, "rows", 3)
		c.String(200, "hello")
	})
	const secret = "sg_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	tests := []struct {
		name, path, auth string
		check            func(t *testing.T, e audit.Entry)
	}{
		{"authenticated request", "/v1/entities/person:x?depth=2&api_key=" + secret + "&Token=t&password=p", "Bearer " + secret, func(t *testing.T, e audit.Entry) {
			if e.KeyID != "key_0123456789abcdef" || e.KeyName != "desk" || e.Role != graph.RoleAnalyst {
				t.Errorf("principal %+v", e)
			}
			if e.Route != "/v1/entities/:id" || e.Path != "/v1/entities/person:x" || e.Method != "GET" || e.Status != 200 || e.Bytes != 5 {
				t.Errorf("request %+v", e)
			}
			if e.Query["depth"][0] != "2" || e.Query["api_key"][0] != audit.Masked || e.Query["Token"][0] != audit.Masked || e.Query["password"][0] != audit.Masked {
				t.Errorf("query %v", e.Query)
			}
			if e.Notes["rows"] != float64(3) || e.ClientIP == "" || e.DurationMS < 0 || e.Time.IsZero() {
				t.Errorf("entry %+v", e)
			}
		}},
		{"refused request has no principal", "/v1/entities/x", "Bearer nope", func(t *testing.T, e audit.Entry) {
			if e.Status != 401 || e.KeyID != "" || e.Role != "" {
				t.Errorf("entry %+v", e)
			}
		}},
		{"unknown route", "/nope", "Bearer " + secret, func(t *testing.T, e audit.Entry) {
			if e.Status != 404 || e.Route != "" {
				t.Errorf("entry %+v", e)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			buf.Reset()
			req := httptest.NewRequest("GET", tc.path, nil)
			req.Header.Set("Authorization", tc.auth)
			r.ServeHTTP(httptest.NewRecorder(), req)
			line := buf.String()
			if strings.Count(line, "\n") != 1 {
				t.Fatalf("want one line, got %q", line)
			}
			if strings.Contains(line, secret) || strings.Contains(line, "Bearer") || strings.Contains(line, "Authorization") {
				t.Fatalf("the key or header leaked: %s", line)
			}
			var e audit.Entry
			if err := json.Unmarshal([]byte(line), &e); err != nil {
				t.Fatal(err)
			}
			tc.check(t, e)
		})
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestLogErrorsCounted(t *testing.T) {
	l := audit.New(failWriter{})
	if err := l.Log(audit.Entry{Method: "GET"}); err == nil {
		t.Error("no error from a failing writer")
	}
	if l.Errors() != 1 {
		t.Errorf("errors = %d", l.Errors())
	}
}

func TestConcurrentLinesStayWhole(t *testing.T) {
	var buf bytes.Buffer
	l := audit.New(&buf)
	done := make(chan struct{})
	for i := 0; i < 20; i++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for j := 0; j < 50; j++ {
				_ = l.Log(audit.Entry{Method: "GET", Path: strings.Repeat("x", 500)})
			}
		}()
	}
	for i := 0; i < 20; i++ {
		<-done
	}
	sc := bufio.NewScanner(&buf)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	n := 0
	for sc.Scan() {
		var e audit.Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		n++
	}
	if n != 1000 {
		t.Errorf("%d lines, want 1000", n)
	}
}
