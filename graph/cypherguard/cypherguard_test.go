package cypherguard_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/cypherguard"
)

func TestPrecheckCypher(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		ok      bool
		want    string // the statement to run, when ok and different from text
		message string // part of the refusal, when not ok
	}{
		{"plain match", "MATCH (n:Entity) RETURN n.id LIMIT 5", true, "", ""},
		{"trailing semicolon is dropped", "RETURN 1 AS one;  // done", true, "RETURN 1 AS one", ""},
		{"keyword in a string", "RETURN 'CREATE (:X)' AS s, \"DELETE\" AS t", true, "", ""},
		{"keyword in comments", "// CREATE\nMATCH (n) /* DELETE */ RETURN count(n)", true, "", ""},
		{"keyword as backticked name", "RETURN {`create`: 1, `set`: 2} AS m", true, "", ""},
		{"start and end as variables", "MATCH p = (start:Entity)-[*1..3]-(end) RETURN p", true, "", ""},
		{"allowed procedure", "CALL db.index.fulltext.queryNodes('entity_names', $q) YIELD node RETURN node", true, "", ""},
		{"allowed procedure in other case", "CALL DB.LABELS() YIELD label RETURN label", true, "", ""},
		{"read subquery", "MATCH (n) CALL { WITH n RETURN 1 AS x } RETURN n, x", true, "", ""},
		{"scoped subquery", "MATCH (n) CALL (n) { RETURN n.id AS x } RETURN x", true, "", ""},
		{"built-in namespaced function", "RETURN date.truncate('month', date()) AS d, point.distance(point({x:0,y:0}), point({x:1,y:1})) AS p", true, "", ""},
		{"escaped quote in string", `RETURN 'it\'s CREATE' AS s`, true, "", ""},
		{"number then word", "RETURN 1.5e3 AS x, 0x1F AS y", true, "", ""},

		{"empty", "   ", false, "", "is empty"},
		{"comment only", "// nothing", false, "", "is empty"},
		{"semicolon only", " ; ", false, "", "is empty"},
		{"too long", "RETURN '" + strings.Repeat("a", graph.MaxCypherTextLen) + "'", false, "", "longer than"},
		{"two statements", "MATCH (n) RETURN n; MATCH (m) RETURN m", false, "", "more than one statement"},
		{"create", "CREATE (n)", false, "", "CREATE"},
		{"mixed case", "cReAtE (n)", false, "", "CREATE"},
		{"block comment splits nothing", "MATCH (n) /* ; */ DELETE n", false, "", "DELETE"},
		{"line comment then write", "MATCH (n) // x\nSET n.x = 1", false, "", "SET"},
		{"unicode escape", `\u0043REATE (n)`, false, "", "unicode escapes"},
		{"unicode escape in string", `RETURN '\u0027 CREATE (n) //'`, false, "", "unicode escapes"},
		{"backslash outside string", `RETURN 1 \ 2`, false, "", "backslash"},
		{"unterminated string", "RETURN 'abc", false, "", "never closed"},
		{"unterminated comment", "RETURN 1 /* abc", false, "", "never closed"},
		{"unterminated name", "RETURN `abc", false, "", "never closed"},
		{"number glued to keyword", "MATCH (n) WITH n LIMIT 1CREATE (m)", false, "", "CREATE"},
		{"unicode spaces", "MATCH\u00a0(n)\u2003DELETE\u2029n", false, "", "DELETE"},
		{"procedure not allowed", "CALL dbms.listConfig()", false, "", "procedure dbms.listConfig"},
		{"backticked procedure", "CALL `dbms`.`listConfig`()", false, "", "procedure dbms.listConfig"},
		{"procedure split by comment", "CALL dbms./* */listConfig()", false, "", "procedure dbms.listConfig"},
		{"apoc function", "RETURN apoc.version() AS v", false, "", "function apoc.version"},
		{"backticked apoc function", "RETURN `apoc`.`version`() AS v", false, "", "function apoc.version"},
		{"long dotted chain", "RETURN " + strings.Repeat("a.", 4000) + "b(1)", false, "", "function a.a"},
		{"load csv", "LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l", false, "", "LOAD"},
		{"use", "USE system MATCH (n) RETURN n", false, "", "USE"},
		{"in transactions", "CALL { RETURN 1 AS x } IN TRANSACTIONS RETURN x", false, "", "TRANSACTIONS"},
		{"profile prefix", "PROFILE MATCH (n) RETURN n", false, "", "PROFILE"},
		{"cypher prefix", "CYPHER runtime=slotted MATCH (n) RETURN n", false, "", "CYPHER"},
		{"stop database", "STOP DATABASE neo4j", false, "", "STOP DATABASE"},
		{"api key label", "MATCH (k:ApiKey) RETURN k", false, "", "credentials"},
		{"api key in a string", "MATCH (k) WHERE 'ApiKey' IN labels(k) RETURN k", false, "", "credentials"},
		{"invalid utf-8", "RETURN '\xff'", false, "", "UTF-8"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := cypherguard.Check(tc.text)
			if tc.ok {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				want := tc.want
				if want == "" {
					want = tc.text
				}
				if got != want {
					t.Errorf("statement = %q, want %q", got, want)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted %q", tc.text)
			}
			if graph.ErrorCode(err) != graph.CodeInvalid || graph.ErrorField(err) != "query" {
				t.Errorf("code %s field %q, want invalid on query", graph.ErrorCode(err), graph.ErrorField(err))
			}
			if !strings.Contains(graph.ErrorMessage(err), tc.message) {
				t.Errorf("message %q does not mention %q", graph.ErrorMessage(err), tc.message)
			}
		})
	}
}

// fuzzWriteKeywords are the words whose appearance as code (outside
// strings, comments and backticks) must always be refused.
var fuzzWriteKeywords = []string{"create", "merge", "set", "delete", "detach", "remove", "insert",
	"foreach", "drop", "load", "use", "grant", "deny", "revoke", "alter", "rename", "show", "terminate"}

// referenceCodeWords is an independent, simpler scan: the lower-cased words
// (runs of letters, digits, '_' and non-ASCII runes) outside strings,
// comments and backtick names. ok is false for text the scan cannot
// follow (unterminated constructs), which the precheck must refuse.
func referenceCodeWords(s string) (words []string, ok bool) {
	var code strings.Builder
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "//"):
			j := strings.IndexAny(s[i:], "\r\n")
			if j < 0 {
				i = len(s)
			} else {
				i += j
			}
			code.WriteByte(' ')
		case strings.HasPrefix(s[i:], "/*"):
			j := strings.Index(s[i+2:], "*/")
			if j < 0 {
				return nil, false
			}
			i += j + 4
			code.WriteByte(' ')
		case s[i] == '\'' || s[i] == '"' || s[i] == '`':
			q := s[i]
			i++
			for {
				if i >= len(s) {
					return nil, false
				}
				if s[i] == '\\' && q != '`' {
					i += 2
					continue
				}
				if s[i] == q {
					i++
					break
				}
				i++
			}
			code.WriteByte(' ')
		default:
			code.WriteByte(s[i])
			i++
		}
	}
	isWord := func(r rune) bool {
		return r == '_' || r >= utf8.RuneSelf && !unicode.IsSpace(r) && !unicode.In(r, unicode.Zs, unicode.Zl, unicode.Zp, unicode.Cc) ||
			r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
	}
	for _, w := range strings.FieldsFunc(code.String(), func(r rune) bool { return !isWord(r) }) {
		words = append(words, strings.ToLower(w))
	}
	return words, true
}

func FuzzCypherPrecheck(f *testing.F) {
	for _, s := range []string{
		"MATCH (n) RETURN n", "CREATE (n)", "MATCH (n) /* ; */ CREATE (x)", "// x\nCREATE (n)",
		`\u0043REATE (n)`, "cReAtE (n)", "CALL `dbms`.`listConfig`()", "RETURN 'a\\'b' AS s",
		"CALL db.labels() YIELD label RETURN label", "MATCH (n) RETURN n; CREATE (m)",
		"RETURN `x``y` AS z", "MATCH (n) WITH n LIMIT 1CREATE (m)", "RETURN \"it's\" AS s;",
		"LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l", "CALL { CREATE (n) } IN TRANSACTIONS",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := cypherguard.Check(s)
		if err != nil {
			if graph.ErrorCode(err) != graph.CodeInvalid || graph.ErrorField(err) != "query" {
				t.Fatalf("refusal is %s on %q, want invalid on query: %v", graph.ErrorCode(err), graph.ErrorField(err), err)
			}
			return
		}
		if !strings.HasPrefix(s, out) {
			t.Fatalf("statement %q is not a prefix of the input %q", out, s)
		}
		words, ok := referenceCodeWords(s)
		if !ok {
			t.Fatalf("accepted %q, which has an unterminated string, name or comment", s)
		}
		for _, w := range words {
			for _, k := range fuzzWriteKeywords {
				if w == k {
					t.Fatalf("accepted %q, which uses %s outside strings and comments", s, strings.ToUpper(k))
				}
			}
		}
		if strings.Contains(s, `\u`) || strings.Contains(s, `\U`) {
			t.Fatalf("accepted %q, which holds a unicode escape", s)
		}
	})
}
