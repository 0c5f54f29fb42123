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
		{"gds projection", "CALL gds.graph.project('g', '*', '*')", false, "", "procedure gds.graph.project"},
		{"gds cypher projection", "CALL gds.graph.project.cypher('g', 'MATCH (n) RETURN id(n) AS id', 'RETURN 1')", false, "", "procedure gds.graph.project.cypher"},
		{"gds write", "CALL gds.louvain.write('g', {writeProperty: 'c'})", false, "", "procedure gds.louvain.write"},
		{"gds projection function", "MATCH (s)-->(t) RETURN gds.graph.project('g', s, t)", false, "", "function gds.graph.project"},
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

		// The memory rules (growth.go).
		{"numeric fold over a path", "MATCH p = (a:Entity)-[*1..3]-(b:Entity) RETURN reduce(t = 0, r IN relationships(p) | t + coalesce(r.weight, 0)) AS w", true, "", ""},
		{"negative start, CASE max", "MATCH p = (a:Entity)-->(b) RETURN reduce(m = -1, n IN nodes(p) | CASE WHEN size(n.id) > m THEN size(n.id) ELSE m END) AS m", true, "", ""},
		{"range of 1000", "UNWIND range(0, 999) AS i RETURN i", true, "", ""},
		{"range with a step", "UNWIND range(10, 0, -1) AS i RETURN i", true, "", ""},
		{"range in a comprehension source", "RETURN [x IN range(1, 10) WHERE x > 2 | x * x] AS l", true, "", ""},
		{"ten additions", "RETURN 1+1+1+1+1+1+1+1+1+1+1 AS n", true, "", ""},
		{"map of distinct variables", "MATCH (a:Entity)-->(b:Entity) RETURN {from: a, to: b} AS m", true, "", ""},
		{"list index is not a literal", "MATCH (a:Entity) RETURN a.aliases[0] AS x, a[$k] AS y", true, "", ""},
		{"replace with literals", "MATCH (a:Entity) RETURN replace(a.name, 'ab', 'abcd') AS x", true, "", ""},
		{"string reduce", "RETURN reduce(s = '', x IN ['a'] | s + x) AS s", false, "", "number literal"},
		{"reduce over a list", "MATCH p = (a:Entity)-->(b) RETURN reduce(t = 0, x IN [1, 2] | t + x) AS n", false, "", "relationships(p) or nodes(p)"},
		{"reduce doubling", "MATCH p = (a:Entity)-->(b) RETURN reduce(t = 0, r IN relationships(p) | t + t) AS n", false, "", "using it 2 times"},
		{"reduce with a string in the body", "MATCH p = (a:Entity)-->(b) RETURN reduce(t = 0, r IN relationships(p) | t + 'x') AS n", false, "", "string"},
		{"reduce element used bare", "MATCH p = (a:Entity)-->(b) RETURN reduce(t = 0, r IN relationships(p) | t + r) AS n", false, "", "only for its properties"},
		{"reduce calling toString", "MATCH p = (a:Entity)-->(b) RETURN reduce(t = 0, r IN relationships(p) | t + toString(t)) AS n", false, "", "toString"},
		{"range too long", "UNWIND range(0, 1000) AS i RETURN i", false, "", "1001 elements"},
		{"range from a parameter", "UNWIND range(0, $n) AS i RETURN i", false, "", "whole-number literal"},
		{"range with step 0", "UNWIND range(0, 10, 0) AS i RETURN i", false, "", "step 0"},
		{"nested comprehension", "RETURN [a IN range(1, 2) | [b IN range(1, 2) | b]] AS l", false, "", "nests a list comprehension inside a list comprehension"},
		{"nested in WHERE", "RETURN [a IN range(1, 2) WHERE size([b IN range(1, 2) | b]) > 0] AS l", false, "", "nests"},
		{"collect subquery in a pattern comprehension", "MATCH (a:Entity) RETURN [(a)-->(b) | COLLECT { MATCH (c:Entity) RETURN c }] AS l", false, "", "nests COLLECT { }"},
		{"eleven additions", "RETURN 1+1+1+1+1+1+1+1+1+1+1+1 AS n", false, "", "2^11-fold (+ ×11)"},
		{"concat operator counts", "WITH 'x' AS s RETURN " + strings.Repeat("s||", 11) + "s AS n", false, "", "|| ×11"},
		{"list holding a variable twice", "WITH [1] AS s " + strings.Repeat("WITH [s, s] AS s ", 11) + "RETURN s", false, "", "a list holding a variable twice ×11"},
		{"map holding a variable twice", "WITH {} AS m " + strings.Repeat("WITH {a: m, b: m} AS m ", 11) + "RETURN m", false, "", "a map holding a variable twice ×11"},
		{"replace growth counts", "RETURN replace(replace('x', 'x', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'), 'x', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx') AS s", false, "", "replace() ×2"},
		{"replace with empty search", "RETURN replace('abc', '', 'x') AS s", false, "", "empty search"},
		{"replace with a parameter", "RETURN replace('abc', 'b', $x) AS s", false, "", "not a string literal"},
		{"dynamic label", "MATCH (n:$($l)) RETURN n", false, "", "dynamic label"},
		{"dynamic label any", "MATCH (n:$any($l)) RETURN n", false, "", "dynamic label"},
		{"dynamic type", "MATCH ()-[r:$all($t)]->() RETURN r", false, "", "dynamic label"},
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
		"RETURN reduce(s = 'x', i IN range(1, 40) | s + s)", "MATCH p = ()-->() RETURN reduce(t = 0, r IN relationships(p) | t + r.w)",
		"RETURN [a IN range(1, 9) | [b IN range(1, 9) | b]]", "MATCH (n:$($l)) RETURN n", "RETURN replace(replace('x', '', 'xx'), 'x', 'xx')",
		"RETURN [(a)-->(b) | [x IN b.l | x]]", "WITH [s, s] AS s RETURN {a: s, b: s}", "RETURN 'a' || 'b' | 'c'", "RETURN range(1, 2, 0x10)",
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
