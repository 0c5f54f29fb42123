// Package cypherguard is the first layer of the read-only Cypher guard of
// POST /v1/cypher: pure text checks, before anything reaches Neo4j. It is a
// package of its own (standard library and graph only) so that the rules a
// user's statement must meet are read, tested and fuzzed in one place, apart
// from the Neo4j driver code that runs the statement (graph/neo4jdb), which
// calls Check first. See docs/security.md, "The read-only Cypher endpoint".
package cypherguard

import (
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/scamgraph/scamgraph/graph"
)

// The guard is a tokenizer
// that knows Cypher's strings, backtick names and comments, and a check of
// the token stream that refuses, before anything reaches Neo4j, every
// statement that names a write or admin clause, LOAD CSV, USE, a
// transaction batch, a query prefix or a procedure not on the allow-list.
// It errs on the side of refusing: a keyword used as a name must be
// written in backticks. The second and third layers (EXPLAIN's statement
// type and plan, a read transaction that is rolled back) are in cypher.go.

// deniedWords are clause and command keywords that read-only queries never
// need. Matched case-insensitively against every bare (unquoted) word.
var deniedWords = map[string]string{
	"create":       "CREATE writes",
	"merge":        "MERGE writes",
	"set":          "SET writes",
	"delete":       "DELETE writes",
	"detach":       "DETACH DELETE writes",
	"remove":       "REMOVE writes",
	"insert":       "INSERT writes",
	"foreach":      "FOREACH only serves writes",
	"drop":         "DROP changes the schema or the databases",
	"alter":        "ALTER is an administration command",
	"rename":       "RENAME is an administration command",
	"grant":        "GRANT is an administration command",
	"deny":         "DENY is an administration command",
	"revoke":       "REVOKE is an administration command",
	"show":         "SHOW commands list users, settings and other users' transactions",
	"enable":       "ENABLE is an administration command",
	"terminate":    "TERMINATE stops other users' transactions",
	"deallocate":   "DEALLOCATE is an administration command",
	"reallocate":   "REALLOCATE is an administration command",
	"load":         "LOAD CSV reads files and URLs outside the graph",
	"use":          "USE switches databases; queries run on the graph's database only",
	"periodic":     "USING PERIODIC COMMIT writes in batches",
	"transactions": "CALL { } IN TRANSACTIONS runs batches of separate transactions",
	"explain":      "EXPLAIN and PROFILE are not accepted; the service plans the query itself",
	"profile":      "EXPLAIN and PROFILE are not accepted; the service plans the query itself",
	"cypher":       "CYPHER query options are not accepted",
}

// adminVerbs are denied when the next word is one of adminObjects, so that
// START DATABASE is refused but (start)-[*]->(end) is not.
var (
	adminVerbs   = map[string]bool{"start": true, "stop": true}
	adminObjects = map[string]bool{"database": true, "databases": true, "server": true, "servers": true}
)

// protectedNames are labels no query may name: the service's credentials.
var protectedNames = map[string]bool{"apikey": true}

// IsProtected says whether name (a label) belongs to the service's
// credentials, whose properties no result may show.
func IsProtected(name string) bool { return protectedNames[strings.ToLower(name)] }

// AllowedProcedures are the procedures user queries may CALL (compared in
// lower case): schema listings and the full-text index query.
var AllowedProcedures = map[string]bool{
	"db.labels":                    true,
	"db.relationshiptypes":         true,
	"db.propertykeys":              true,
	"db.index.fulltext.querynodes": true,
}

// allowedFunctionNamespaces are the namespaces of the built-in functions
// user queries may call (point.distance, date.truncate, ...). A namespaced
// function outside them (apoc.*, user-defined functions) is refused.
var allowedFunctionNamespaces = map[string]bool{
	"date": true, "datetime": true, "localdatetime": true, "localtime": true,
	"time": true, "duration": true, "point": true, "vector": true, "db": true,
}

type tokKind int

const (
	tWord   tokKind = iota // keyword, identifier, function name
	tQuoted                // `backtick name`, unescaped
	tString                // 'string' or "string", raw
	tNumber
	tPunct // one character: ( ) { } ; . , $ : and anything else
)

type token struct {
	kind tokKind
	text string
	pos  int // byte offset in the query
}

// Invalid is the guard's refusal: CodeInvalid on field "query".
func Invalid(format string, args ...any) error {
	return graph.Errorf(graph.CodeInvalid, "query", format, args...)
}

// tokenizeCypher splits text into tokens, dropping whitespace and
// comments. It refuses unterminated strings, names and comments, and
// unicode escapes anywhere (Neo4j's parser may decode them before it
// tokenizes, so they could hide a keyword or end a string early).
func tokenizeCypher(text string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return nil, Invalid("is not valid UTF-8 (byte offset %d)", i)
		case isCypherSpace(r):
			i += size
		case strings.HasPrefix(text[i:], "//"):
			end := strings.IndexAny(text[i:], "\n\r")
			if end < 0 {
				i = len(text)
			} else {
				i += end
			}
		case strings.HasPrefix(text[i:], "/*"):
			end := strings.Index(text[i+2:], "*/")
			if end < 0 {
				return nil, Invalid("has a /* comment that is never closed (byte offset %d)", i)
			}
			i += 2 + end + 2
		case r == '\'' || r == '"':
			start := i
			i++
			closed := false
			for i < len(text) {
				c := text[i]
				if c == '\\' {
					i += 2
					continue
				}
				i++
				if rune(c) == r {
					closed = true
					break
				}
			}
			if !closed {
				return nil, Invalid("has a string that is never closed (byte offset %d)", start)
			}
			toks = append(toks, token{tString, text[start+1 : i-1], start})
		case r == '`':
			start := i
			var b strings.Builder
			i++
			closed := false
			for i < len(text) {
				if text[i] == '`' {
					if i+1 < len(text) && text[i+1] == '`' {
						b.WriteByte('`')
						i += 2
						continue
					}
					i++
					closed = true
					break
				}
				b.WriteByte(text[i])
				i++
			}
			if !closed {
				return nil, Invalid("has a `name` that is never closed (byte offset %d)", start)
			}
			toks = append(toks, token{tQuoted, b.String(), start})
		case r >= '0' && r <= '9':
			start := i
			i = scanNumber(text, i)
			toks = append(toks, token{tNumber, text[start:i], start})
		case isWordRune(r):
			start := i
			for i < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[i:])
				if !isWordRune(r2) && !(r2 >= '0' && r2 <= '9') {
					break
				}
				i += s2
			}
			toks = append(toks, token{tWord, text[start:i], start})
		case r == '\\':
			return nil, Invalid("has a backslash outside a string (byte offset %d)", i)
		default:
			toks = append(toks, token{tPunct, text[i : i+size], i})
			i += size
		}
	}
	return toks, nil
}

// isCypherSpace is whitespace as Cypher's grammar has it: Unicode spaces
// and separators, and control characters.
func isCypherSpace(r rune) bool {
	return unicode.IsSpace(r) || unicode.In(r, unicode.Zs, unicode.Zl, unicode.Zp) ||
		(unicode.IsControl(r) && r != utf8.RuneError)
}

// isWordRune: letters, '_', and any other non-ASCII character that is not
// a space (identifier characters, including ignorable ones, stay inside
// the word, as in Neo4j's lexer, so a word never splits into a keyword).
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
	}
	return !isCypherSpace(r)
}

// scanNumber reads a numeric literal from text[i] (a digit) without ever
// swallowing a following word: "1CREATE" is 1 and CREATE.
func scanNumber(text string, i int) int {
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	isHex := func(c byte) bool { return isDigit(c) || (c|0x20) >= 'a' && (c|0x20) <= 'f' }
	if text[i] == '0' && i+2 < len(text) && (text[i+1]|0x20) == 'x' && isHex(text[i+2]) {
		i += 2
		for i < len(text) && (isHex(text[i]) || text[i] == '_') {
			i++
		}
		return i
	}
	for i < len(text) && (isDigit(text[i]) || text[i] == '_') {
		i++
	}
	if i+1 < len(text) && text[i] == '.' && isDigit(text[i+1]) {
		i++
		for i < len(text) && (isDigit(text[i]) || text[i] == '_') {
			i++
		}
	}
	if i+1 < len(text) && (text[i]|0x20) == 'e' {
		j := i + 1
		if text[j] == '+' || text[j] == '-' {
			j++
		}
		if j < len(text) && isDigit(text[j]) {
			i = j
			for i < len(text) && isDigit(text[i]) {
				i++
			}
		}
	}
	return i
}

// Check is the guard's first layer: it returns the statement to run (a
// single trailing semicolon removed) or a CodeInvalid error, field
// "query", saying what was refused and why.
func Check(text string) (string, error) {
	if len(text) > graph.MaxCypherTextLen {
		return "", Invalid("is longer than %d bytes", graph.MaxCypherTextLen)
	}
	if !utf8.ValidString(text) {
		return "", Invalid("is not valid UTF-8")
	}
	if strings.Contains(text, `\u`) || strings.Contains(text, `\U`) {
		return "", Invalid(`may not contain unicode escapes (\uXXXX); write the character itself`)
	}
	toks, err := tokenizeCypher(text)
	if err != nil {
		return "", err
	}
	if len(toks) == 0 {
		return "", Invalid("is empty")
	}
	for i, t := range toks {
		if t.kind == tPunct && t.text == ";" {
			if i != len(toks)-1 {
				return "", Invalid("holds more than one statement (a ';' at byte offset %d); send one read-only statement", t.pos)
			}
			text = text[:t.pos]
			toks = toks[:i]
		}
	}
	if len(toks) == 0 {
		return "", Invalid("is empty")
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		lower := strings.ToLower(t.text)
		switch t.kind {
		case tWord:
			if why, bad := deniedWords[lower]; bad {
				return "", Invalid("uses %s at byte offset %d: %s (this endpoint runs read-only statements; to use the word as a name, write it in backticks: `%s`)",
					strings.ToUpper(t.text), t.pos, why, t.text)
			}
			if adminVerbs[lower] && i+1 < len(toks) && toks[i+1].kind == tWord && adminObjects[strings.ToLower(toks[i+1].text)] {
				return "", Invalid("uses %s %s at byte offset %d: administration commands are not available",
					strings.ToUpper(t.text), strings.ToUpper(toks[i+1].text), t.pos)
			}
		case tQuoted, tString:
		default:
			continue
		}
		if protectedNames[lower] {
			return "", Invalid("names %q at byte offset %d: the service's credentials cannot be queried", t.text, t.pos)
		}
		if t.kind == tString {
			continue
		}
		if t.kind == tWord && lower == "call" && !precededByDot(toks, i) {
			next, err := checkCall(toks, i)
			if err != nil {
				return "", err
			}
			i = next - 1
			continue
		}
		if precededByDot(toks, i) {
			continue
		}
		if name, end, ok := qualifiedName(toks, i); ok && end > i+1 &&
			end < len(toks) && toks[end].kind == tPunct && toks[end].text == "(" {
			ns := strings.ToLower(strings.SplitN(name, ".", 2)[0])
			if !allowedFunctionNamespaces[ns] {
				return "", Invalid("calls function %s at byte offset %d: only built-in functions are allowed (namespaces %s)",
					name, t.pos, strings.Join(slices.Sorted(maps.Keys(allowedFunctionNamespaces)), ", "))
			}
		}
	}
	if err := checkGrowth(toks); err != nil {
		return "", err
	}
	return text, nil
}

func precededByDot(toks []token, i int) bool {
	return i > 0 && toks[i-1].kind == tPunct && toks[i-1].text == "."
}

// qualifiedName reads name ('.' name)* from toks[i], names being words or
// `quoted` names; it returns the dotted name and the index after it.
func qualifiedName(toks []token, i int) (string, int, bool) {
	if i >= len(toks) || (toks[i].kind != tWord && toks[i].kind != tQuoted) {
		return "", i, false
	}
	parts := []string{toks[i].text}
	j := i + 1
	for j+1 < len(toks) && toks[j].kind == tPunct && toks[j].text == "." &&
		(toks[j+1].kind == tWord || toks[j+1].kind == tQuoted) {
		parts = append(parts, toks[j+1].text)
		j += 2
	}
	return strings.Join(parts, "."), j, true
}

// checkCall checks the CALL at toks[i]: a subquery (CALL { or CALL (vars) {)
// is fine, its body being checked as the rest of the text is; a procedure
// must be on the allow-list. It returns the index to continue from.
func checkCall(toks []token, i int) (int, error) {
	if i+1 < len(toks) && toks[i+1].kind == tPunct && (toks[i+1].text == "{" || toks[i+1].text == "(") {
		return i + 1, nil
	}
	name, end, ok := qualifiedName(toks, i+1)
	if !ok {
		return 0, Invalid("has a CALL at byte offset %d that is neither a subquery nor a procedure call", toks[i].pos)
	}
	if !AllowedProcedures[strings.ToLower(name)] {
		return 0, Invalid("calls procedure %s at byte offset %d: only %s may be called", name, toks[i].pos, AllowedProcedureList())
	}
	return end, nil
}

// AllowedProcedureList names the allowed procedures for messages.
func AllowedProcedureList() string {
	names := map[string]bool{}
	for _, n := range []string{"db.labels", "db.relationshipTypes", "db.propertyKeys", "db.index.fulltext.queryNodes"} {
		if AllowedProcedures[strings.ToLower(n)] {
			names[n] = true
		}
	}
	return strings.Join(slices.Sorted(maps.Keys(names)), ", ")
}
