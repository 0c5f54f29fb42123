package api_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/api"
	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// javaWords is what a problem's detail must never show: qualified Java
// class names, exception names, stack frames, Neo4j's status codes.
var javaWords = regexp.MustCompile(`(?i)\b(?:java|javax|jdk|sun|scala|org|com)\.[a-z_$][\w$]*\.|exception|\bat [\w$.]+\(|\.java:\d+|caused by|Neo\.(?:Client|Database|Transient)Error`)

// TestCypherRuntimeErrors: a statement that fails while it runs because
// of its own values (a negative substring index, division by zero, an
// integer overflow, an invalid date) is the caller's mistake: 400 on field
// query, in our words; never 500 (issue 15). Values Cypher turns into null
// instead answer 200. Through the real API, against the real Neo4j.
func TestCypherRuntimeErrors(t *testing.T) {
	db := neo4jtest.Open(t)
	s := newTestServerConfig(t, api.Config{Reader: db, Cypher: db, Keys: db, RequestTimeout: 30 * time.Second,
		ReadyTimeout: 5 * time.Second, Limits: unlimited})
	tests := []struct {
		name, query string
		params      map[string]any
		status      int
		detail      string // a substring of the problem's detail, or of the 200 body
	}{
		{name: "substring negative start", query: "RETURN substring('abc', -1) AS x", status: 400, detail: "take no negative start or length"},
		{name: "substring negative length", query: "RETURN substring('abc', 1, -1) AS x", status: 400, detail: "take no negative start or length"},
		{name: "substring negative parameter", query: "RETURN substring($s, $i) AS x", params: map[string]any{"s": "abc", "i": -2}, status: 400, detail: "take no negative start or length"},
		{name: "left negative", query: "RETURN left('abc', -1) AS x", status: 400, detail: "take no negative start or length"},
		{name: "right negative", query: "RETURN right('abc', -1) AS x", status: 400, detail: "take no negative length"},
		{name: "substring start beyond 32 bits", query: "RETURN substring('abc', 9223372036854775807) AS x", status: 400, detail: "Expected an integer between -2147483648 and 2147483647"},
		{name: "list slice beyond 32 bits", query: "RETURN [1, 2, 3][0..9223372036854775807] AS x", status: 400, detail: "Expected an integer between -2147483648 and 2147483647"},
		{name: "truncate unknown unit", query: "RETURN datetime.truncate('x', datetime('2020-01-01T00:00Z')) AS x", status: 400, detail: "unknown unit of time: x"},
		{name: "division by zero", query: "RETURN 1 / 0 AS x", status: 400, detail: "division by zero"},
		{name: "modulo by zero", query: "RETURN 1 % 0 AS x", status: 400, detail: "division by zero"},
		{name: "division by a zero parameter", query: "UNWIND [1, 0] AS z RETURN 1 / z AS x", status: 400, detail: "division by zero"},
		{name: "integer overflow", query: "RETURN 9223372036854775807 + 1 AS x", status: 400, detail: "integer overflow"},
		{name: "integer underflow", query: "RETURN -9223372036854775807 - 2 AS x", status: 400, detail: "integer overflow"},
		{name: "multiplication overflow", query: "RETURN 9223372036854775807 * 2 AS x", status: 400, detail: "integer overflow"},
		{name: "toInteger too large", query: "RETURN toInteger('9999999999999999999') AS x", status: 400, detail: "too large"},
		{name: "invalid date", query: "RETURN date('2020-13-45') AS x", status: 400, detail: "MonthOfYear (valid values 1 - 12): 13"},
		{name: "invalid date map", query: "RETURN date({year: 2020, month: 13, day: 1}) AS x", status: 400, detail: "MonthOfYear"},
		{name: "date year out of range", query: "RETURN date({year: 1000000000}) AS x", status: 400, detail: "Year"},
		{name: "invalid date parameter", query: "RETURN date($d) AS x", params: map[string]any{"d": "2020-02-30"}, status: 400, detail: "Invalid date"},
		{name: "invalid duration", query: "RETURN duration('x') AS x", status: 400, detail: "cannot be parsed to a Duration"},
		{name: "duration overflow", query: "RETURN duration({days: 9223372036854775807}) AS x", status: 400, detail: "overflow"},
		{name: "invalid time zone", query: "RETURN datetime('2020-01-01T00:00[Nope/Zone]') AS x", status: 400, detail: "TimeZone"},
		{name: "negative round precision", query: "RETURN round(1.5, -1) AS x", status: 400, detail: "cannot be negative"},
		{name: "point out of range", query: "RETURN point({latitude: 100, longitude: 0}) AS x", status: 400, detail: "Valid range for Y coordinate"},
		// What Cypher answers with null (or a float) is no error.
		{name: "toInteger of a bad string is null", query: "RETURN toInteger('x') AS x", status: 200, detail: `[[null]]`},
		{name: "index out of range is null", query: "RETURN [1][5] AS x", status: 200, detail: `[[null]]`},
		{name: "substring past the end is empty", query: "RETURN substring('abc', 5) AS x", status: 200, detail: `[[""]]`},
		{name: "float division by zero", query: "RETURN 1.0 / 0 > 1 AS x", status: 200, detail: `[[true]]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, err := json.Marshal(struct {
				Query  string         `json:"query"`
				Params map[string]any `json:"params,omitempty"`
			}{tt.query, tt.params})
			if err != nil {
				t.Fatal(err)
			}
			rec := s.doAs(graph.RoleAnalyst, "POST", "/v1/cypher", strings.NewReader(string(body)))
			if rec.Code != tt.status {
				t.Fatalf("%s: status %d, want %d: %s", tt.query, rec.Code, tt.status, rec.Body)
			}
			if tt.status == http.StatusOK {
				if !strings.Contains(rec.Body.String(), tt.detail) {
					t.Fatalf("%s: body %s lacks %s", tt.query, rec.Body, tt.detail)
				}
				return
			}
			p := decodeProblem(t, rec)
			t.Logf("%s: %d %s", tt.query, p.Status, p.Detail)
			if p.Field != "query" || p.Type != "urn:scamgraph:problem:invalid" {
				t.Errorf("%s: problem %+v, want type invalid on field query", tt.query, p)
			}
			if !strings.Contains(p.Detail, tt.detail) {
				t.Errorf("%s: detail %q lacks %q", tt.query, p.Detail, tt.detail)
			}
			if m := javaWords.FindString(p.Detail); m != "" {
				t.Errorf("%s: detail %q shows %q", tt.query, p.Detail, m)
			}
		})
	}
}
