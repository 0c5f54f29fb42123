package neo4jdb_test

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/core"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// javaText matches what must never reach a client: qualified Java class
// names (java.lang.…, org.apache.lucene.…, org.neo4j.…), exception names
// and stack frames.
var javaText = regexp.MustCompile(`(?i)\b(?:java|javax|jdk|sun|scala|org|com)\.[a-z_$][\w$]*\.|exception|\bat [\w$.]+\(|\.java:\d+|caused by`)

// TestNeo4jErrorsInOurWords: errors that reach a client (graph.ErrorMessage
// is the problem's detail) say what went wrong without Java class names,
// Lucene parser internals or stack frames, and stay 4xx (issue 15, item 6).
func TestNeo4jErrorsInOurWords(t *testing.T) {
	db := neo4jtest.Open(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	ft := "CALL db.index.fulltext.queryNodes('entity_names', $q) YIELD node RETURN node.id"
	tests := []struct {
		name   string
		query  string
		params map[string]any
		want   *regexp.Regexp // what the message must still say
	}{
		{name: "lucene syntax in the query", query: "CALL db.index.fulltext.queryNodes('entity_names', 'a:(') YIELD node RETURN node.id",
			want: regexp.MustCompile(`full-text query .*line 1, column 3`)},
		{name: "lucene dangling operator", query: ft, params: map[string]any{"q": "a AND"}, want: regexp.MustCompile(`full-text query`)},
		{name: "lucene open range", query: ft, params: map[string]any{"q": "{a TO }"}, want: regexp.MustCompile(`full-text query`)},
		{name: "lucene unterminated regexp", query: ft, params: map[string]any{"q": "/[/"}, want: regexp.MustCompile(`queryNodes failed: unexpected end-of-string`)},
		{name: "unknown index", query: "CALL db.index.fulltext.queryNodes('nope', 'a') YIELD node RETURN node.id",
			want: regexp.MustCompile(`db\.index\.fulltext\.queryNodes.*no such fulltext schema index: nope`)},
		{name: "unknown analyzer", query: "CALL db.index.fulltext.queryNodes('entity_names', 'a', {analyzer: 'nope'}) YIELD node RETURN node.id",
			want: regexp.MustCompile(`analyzer: nope`)},
		{name: "negative skip option", query: "CALL db.index.fulltext.queryNodes('entity_names', 'a', {skip: -1}) YIELD node RETURN node.id",
			want: regexp.MustCompile(`Skip argument cannot be negative`)},
		{name: "bad date", query: "RETURN date('garbage')", want: regexp.MustCompile(`cannot be parsed to a Date`)},
		{name: "bad parameter type", query: "RETURN [1,2][$i]", params: map[string]any{"i": "x"}, want: regexp.MustCompile(`parameter 'i'`)},
		{name: "missing parameter", query: "RETURN $x + 1", want: regexp.MustCompile(`Expected parameter`)},
		{name: "bad regex", query: "RETURN 'x' =~ $r", params: map[string]any{"r": "[["}, want: regexp.MustCompile(`Invalid Regex`)},
		{name: "syntax error", query: "RETURN (", want: regexp.MustCompile(`Invalid input`)},
		{name: "call signature", query: "RETURN duration.between(1, 2)", want: regexp.MustCompile(`Invalid call signature`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.RunReadOnly(ctx, graph.CypherQuery{Text: tt.query, Params: tt.params})
			if graph.ErrorCode(err) != graph.CodeInvalid {
				t.Fatalf("error = %v, want invalid", err)
			}
			msg := graph.ErrorMessage(err)
			if m := javaText.FindString(msg); m != "" {
				t.Fatalf("message %q shows %q", msg, m)
			}
			if !tt.want.MatchString(msg) {
				t.Fatalf("message %q does not match %s", msg, tt.want)
			}
		})
	}
}

// TestSearchLuceneSyntaxIsText: /v1/search escapes the user's words, so no
// text reaches Lucene's parser as syntax: each search answers, or is
// refused in our words (never a ParseException).
func TestSearchLuceneSyntaxIsText(t *testing.T) {
	db := neo4jtest.Open(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for _, q := range []string{"a:(", "a AND", "{a TO }", "/[/", "a~3", "*a", "a\\", "a^b", "a&&b", "a||b", "!a",
		"[a TO b]", "a/b/", "\u00a0x", "x\u2028y", `"unterminated`, "((((a", "a) OR (b", "?", "a*b?c~", "+-&|!(){}[]^\"~*?:\\/"} {
		t.Run(q, func(t *testing.T) {
			_, err := db.Search(ctx, graph.SearchQuery{Text: q, Limit: 5})
			if err == nil {
				return
			}
			if graph.ErrorCode(err) != graph.CodeInvalid {
				t.Fatalf("Search(%q) = %v, want an answer or invalid", q, err)
			}
			if m := javaText.FindString(graph.ErrorMessage(err)); m != "" {
				t.Fatalf("message %q shows %q", graph.ErrorMessage(err), m)
			}
		})
	}
}

// TestNeo4jUserText: the rewriting of Neo4j's messages, on texts the
// database may send but a test cannot easily provoke.
func TestNeo4jUserText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{name: "plain message kept", in: "Variable `x` not defined", want: "Variable `x` not defined"},
		{name: "procedure cause", in: "Failed to invoke procedure `db.labels`: Caused by: java.lang.IllegalStateException: Boom.",
			want: "procedure db.labels failed: Boom."},
		{name: "lucene", in: "Failed to invoke procedure `db.index.fulltext.queryNodes`: Caused by: org.apache.lucene.queryparser.classic.ParseException: Encountered \"<EOF>\" at line 1, column 3.\nWas expecting one of:\n    <NOT> ...",
			want: "the full-text query is not valid Lucene syntax: Encountered \"<EOF>\" at line 1, column 3."},
		{name: "stack frames dropped", in: "Something failed\n\tat org.neo4j.kernel.Foo.bar(Foo.java:12)\n\tat java.base/java.lang.Thread.run(Thread.java:1583)",
			want: "Something failed"},
		{name: "nested cause", in: "Outer problem: Caused by: java.lang.RuntimeException: inner problem", want: "Outer problem: inner problem"},
		{name: "sentence naming a class dropped", in: "Could not create fulltext analyzer: nope. Could not find service provider org.neo4j.graphdb.schema.AnalyzerProvider[nope]",
			want: "Could not create fulltext analyzer: nope."},
		{name: "only class text", in: "java.lang.NullPointerException", want: ""},
		{name: "java value names", in: "Provided input was [Long(1), Double(2.5)]", want: "Provided input was [Integer(1), Float(2.5)]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := core.Neo4jUserText(tt.in); got != tt.want {
				t.Fatalf("Neo4jUserText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
