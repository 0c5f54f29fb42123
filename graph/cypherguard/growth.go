package cypherguard

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
)

// The memory rules. Neo4j's transaction memory limit
// (db.memory.transaction.max) counts what its operators hold (collect(),
// ORDER BY, DISTINCT, aggregations, hash joins, variable-length expansion
// state), but not the values an expression builds: a string or list grown
// by reduce(), a list comprehension, range() made into a list, +, ||,
// replace(), normalize() is outside it, and a few dozen bytes of Cypher
// (reduce(s = 'x', i IN range(1, 40) | s + s)) exhaust the heap. Text rules
// cannot see values, so they bound the constructs that can multiply them:
//
//   - reduce() folds numbers only, over the relationships or nodes of a
//     path, with the accumulator used once in a sum (growth linear in the
//     path);
//   - range() takes whole-number literals and makes at most
//     MaxRangeElements elements;
//   - no list comprehension, pattern comprehension, reduce(), range() or
//     COLLECT { } inside the body of another (the sizes would multiply);
//   - at most MaxGrowth doublings in the whole statement: each + or || may
//     double a string or list, replace(), normalize(), toUpper()/toLower()
//     and split() count by how much they may enlarge their input, and a
//     list or map literal that holds a variable twice may double what
//     serialising it writes;
//   - no dynamic labels, types or properties ($(...), $any(...),
//     $all(...)).
//
// Inputs are bounded elsewhere: the text by graph.MaxCypherTextLen, the
// parameters by graph.MaxCypherParamsLength.
const (
	MaxRangeElements = 1000
	MaxGrowth        = 10
)

// reduceWords may stand in a reduce() body: keywords of CASE and of
// boolean logic, and numeric functions (followed by '(').
var (
	reduceKeywords  = map[string]bool{"case": true, "when": true, "then": true, "else": true, "end": true, "and": true, "or": true, "xor": true, "not": true, "is": true, "null": true, "true": true, "false": true}
	reduceFunctions = map[string]bool{"abs": true, "ceil": true, "floor": true, "round": true, "sign": true, "sqrt": true, "exp": true, "log": true, "log10": true, "tointeger": true, "tofloat": true, "coalesce": true, "e": true, "pi": true, "size": true}
	reducePuncts    = map[string]bool{"+": true, "-": true, "*": true, "/": true, "%": true, "^": true, "(": true, ")": true, ".": true, "=": true, "<": true, ">": true, ",": true}
)

// growthFunctions are the string functions that may enlarge their input,
// with the doublings each costs (ceil(log2) of the worst factor: case
// mapping turns one character into up to 3, NFKD normalisation into up to
// 18, split() makes each character a string of its own). replace() is
// costed from its literal arguments.
var growthFunctions = map[string]int{"toupper": 2, "tolower": 2, "upper": 2, "lower": 2, "normalize": 5, "split": 3}

// construct is a list comprehension, pattern comprehension, reduce(),
// range() or COLLECT { } subquery: where it starts, and the tokens of its
// body, in which no other construct may stand ([bodyStart, bodyEnd)).
type construct struct {
	name               string
	start              int
	bodyStart, bodyEnd int
}

func isPunct(t token, s string) bool { return t.kind == tPunct && t.text == s }
func isWord(t token, s string) bool  { return t.kind == tWord && strings.EqualFold(t.text, s) }

// closing returns the index of the token closing the bracket at toks[i],
// or len(toks) when it is never closed (Neo4j then refuses the syntax).
func closing(toks []token, i int) int {
	depth := 0
	for j := i; j < len(toks); j++ {
		if toks[j].kind != tPunct {
			continue
		}
		switch toks[j].text {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return len(toks)
}

// isConcat says whether toks[i] is the first '|' of the || operator.
func isConcat(toks []token, i int) bool {
	return isPunct(toks[i], "|") && i+1 < len(toks) && isPunct(toks[i+1], "|") && toks[i+1].pos == toks[i].pos+1
}

// topLevel returns the first index in [from, to) at bracket depth 0 for
// which match holds, or to.
func topLevel(toks []token, from, to int, match func(int) bool) int {
	depth := 0
	for j := from; j < to; j++ {
		if toks[j].kind == tPunct {
			switch toks[j].text {
			case "(", "[", "{":
				depth++
				continue
			case ")", "]", "}":
				depth--
				continue
			}
		}
		if depth == 0 && match(j) {
			return j
		}
	}
	return to
}

// checkGrowth applies the memory rules to the token stream of one
// statement.
func checkGrowth(toks []token) error {
	var cons []construct
	growth := 0
	var growthWhy []string
	grow := func(n int, why string) {
		if n > 0 {
			growth += n
			growthWhy = append(growthWhy, why)
		}
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		next := func(k int) token {
			if i+k < len(toks) {
				return toks[i+k]
			}
			return token{kind: tPunct}
		}
		call := t.kind == tWord && isPunct(next(1), "(") && !precededByDot(toks, i)
		switch {
		case isPunct(t, "$") && (isPunct(next(1), "(") || next(1).kind == tWord && isPunct(next(2), "(")):
			return Invalid("uses a dynamic label, type or property ($(...)) at byte offset %d: name labels and relationship types literally (dynamic names could reach data outside the entity graph)", t.pos)
		case isPunct(t, "+"):
			grow(1, "+")
		case isConcat(toks, i):
			grow(1, "||")
			i++
		case call && strings.EqualFold(t.text, "reduce"):
			c, err := checkReduce(toks, i)
			if err != nil {
				return err
			}
			cons = append(cons, c)
		case call && strings.EqualFold(t.text, "range"):
			if err := checkRange(toks, i); err != nil {
				return err
			}
			cons = append(cons, construct{name: "range()", start: i, bodyStart: i, bodyEnd: i})
		case call && strings.EqualFold(t.text, "replace"):
			n, err := replaceGrowth(toks, i)
			if err != nil {
				return err
			}
			grow(n, "replace()")
		case call && growthFunctions[strings.ToLower(t.text)] > 0:
			grow(growthFunctions[strings.ToLower(t.text)], strings.ToLower(t.text)+"()")
		case isWord(t, "collect") && isPunct(next(1), "{"):
			end := closing(toks, i+1)
			cons = append(cons, construct{name: "COLLECT { }", start: i, bodyStart: i + 1, bodyEnd: end})
		case isPunct(t, "["):
			end := closing(toks, i)
			if c, ok := comprehension(toks, i, end); ok {
				cons = append(cons, c)
			} else if sharesVariables(toks, i, end) {
				grow(1, "a list holding a variable twice")
			}
		case isPunct(t, "{") && sharesVariables(toks, i, closing(toks, i)):
			grow(1, "a map holding a variable twice")
		}
	}
	for _, inner := range cons {
		for _, outer := range cons {
			if inner.start > outer.start && inner.start >= outer.bodyStart && inner.start < outer.bodyEnd {
				return Invalid("nests %s inside %s at byte offset %d: nested list comprehensions, reduce(), range() and COLLECT { } multiply the sizes of the lists they build, which Neo4j's memory limit does not see; build one level, and UNWIND it to go further",
					inner.name, outer.name, toks[inner.start].pos)
			}
		}
	}
	if growth > MaxGrowth {
		return Invalid("may grow a value 2^%d-fold (%s): at most %d doublings per statement (each + or ||, replace(), normalize(), toUpper()/toLower(), split(), a list or map holding a variable twice), so that no string or list outgrows the database's memory",
			growth, summarize(growthWhy), MaxGrowth)
	}
	return nil
}

// summarize counts repeated reasons: "+ ×12, replace()".
func summarize(why []string) string {
	counts := map[string]int{}
	var order []string
	for _, w := range why {
		if counts[w] == 0 {
			order = append(order, w)
		}
		counts[w]++
	}
	parts := make([]string, len(order))
	for i, w := range order {
		parts[i] = w
		if counts[w] > 1 {
			parts[i] = fmt.Sprintf("%s ×%d", w, counts[w])
		}
	}
	return strings.Join(parts, ", ")
}

// comprehension recognises the list comprehension [x IN list WHERE … | …]
// and the pattern comprehension [(a)-->(b) | …] or [p = (a)-->(b) | …]
// between toks[open] and toks[end].
func comprehension(toks []token, open, end int) (construct, bool) {
	if open+2 < end && toks[open+1].kind == tWord && isWord(toks[open+2], "in") {
		// The source list is not part of the body: [x IN range(1, 10) | x].
		srcEnd := topLevel(toks, open+3, end, func(j int) bool {
			return isPunct(toks[j], "|") && !isConcat(toks, j) && !(j > 0 && isConcat(toks, j-1)) || isWord(toks[j], "where")
		})
		return construct{name: "a list comprehension", start: open, bodyStart: srcEnd, bodyEnd: end}, true
	}
	if open+1 < end && (isPunct(toks[open+1], "(") ||
		open+3 < end && toks[open+1].kind == tWord && isPunct(toks[open+2], "=") && isPunct(toks[open+3], "(")) {
		return construct{name: "a pattern comprehension", start: open, bodyStart: open, bodyEnd: end}, true
	}
	return construct{}, false
}

// sharesVariables says whether the list or map literal between toks[open]
// and toks[end] holds the same bare variable twice among its top-level
// elements ([s, s], {a: m, b: m}): nested so, a few bytes of text describe
// a value whose serialisation doubles at each level.
func sharesVariables(toks []token, open, end int) bool {
	if end >= len(toks) {
		return false
	}
	seen := map[string]bool{}
	elemStart := open + 1
	dup := false
	check := func(from, to int) {
		// A map entry "key: value": look at the value.
		if c := topLevel(toks, from, to, func(j int) bool { return isPunct(toks[j], ":") }); c < to && isPunct(toks[open], "{") {
			from = c + 1
		}
		if to-from == 1 && (toks[from].kind == tWord || toks[from].kind == tQuoted) {
			name := toks[from].text
			if seen[name] {
				dup = true
			}
			seen[name] = true
		}
	}
	for {
		comma := topLevel(toks, elemStart, end, func(j int) bool { return isPunct(toks[j], ",") })
		check(elemStart, comma)
		if comma >= end {
			break
		}
		elemStart = comma + 1
	}
	return dup
}

// checkReduce checks reduce(acc = init, x IN list | body) at toks[i].
func checkReduce(toks []token, i int) (construct, error) {
	open := i + 1
	end := closing(toks, open)
	refuse := func(why string) error {
		return Invalid("uses reduce() at byte offset %d, which may only fold numbers over the relationships or nodes of a path, as in reduce(total = 0, r IN relationships(p) | total + r.weight): %s (a fold that concatenates strings or lists grows without a bound Neo4j's memory limit sees; aggregate with UNWIND and sum(), collect() instead)",
			toks[i].pos, why)
	}
	if end >= len(toks) || open+3 >= end || toks[open+1].kind != tWord || !isPunct(toks[open+2], "=") {
		return construct{}, refuse("it does not start with accumulator = value")
	}
	acc := toks[open+1].text
	comma := topLevel(toks, open+3, end, func(j int) bool { return isPunct(toks[j], ",") })
	init := toks[open+3 : comma]
	if len(init) > 0 && isPunct(init[0], "-") {
		init = init[1:]
	}
	if len(init) != 1 || init[0].kind != tNumber {
		return construct{}, refuse("its accumulator must start as a number literal")
	}
	if comma+3 >= end || toks[comma+1].kind != tWord || !isWord(toks[comma+2], "in") {
		return construct{}, refuse("it has no element IN list part")
	}
	elem := toks[comma+1].text
	src := comma + 3
	bar := topLevel(toks, src, end, func(j int) bool { return isPunct(toks[j], "|") })
	if bar >= end || bar != src+4 || !(isWord(toks[src], "relationships") || isWord(toks[src], "nodes")) ||
		!isPunct(toks[src+1], "(") || toks[src+2].kind != tWord || !isPunct(toks[src+3], ")") {
		return construct{}, refuse("its list must be relationships(p) or nodes(p) of a path variable p")
	}
	uses, plus := 0, false
	for j := bar + 1; j < end; j++ {
		t := toks[j]
		switch t.kind {
		case tNumber:
		case tWord, tQuoted:
			lower := strings.ToLower(t.text)
			switch {
			case precededByDot(toks, j):
			case t.kind == tWord && t.text == acc:
				uses++
			case t.kind == tWord && t.text == elem:
				if j+1 >= end || !isPunct(toks[j+1], ".") {
					return construct{}, refuse(fmt.Sprintf("its body may use %s only for its properties (%s.name)", elem, elem))
				}
			case t.kind == tWord && reduceKeywords[lower]:
			case t.kind == tWord && reduceFunctions[lower] && j+1 < end && isPunct(toks[j+1], "("):
			default:
				return construct{}, refuse(fmt.Sprintf("its body uses %s, which is not arithmetic, CASE or a numeric function", t.text))
			}
		case tPunct:
			if !reducePuncts[t.text] {
				return construct{}, refuse(fmt.Sprintf("its body uses %q", t.text))
			}
			plus = plus || t.text == "+"
		default:
			return construct{}, refuse("its body holds a string")
		}
	}
	if plus && uses > 1 {
		return construct{}, refuse(fmt.Sprintf("its body adds to %s while using it %d times", acc, uses))
	}
	return construct{name: "reduce()", start: i, bodyStart: bar, bodyEnd: end}, nil
}

// callArgs splits the arguments between the parentheses at toks[open]
// and toks[end] into token ranges [from, to).
func callArgs(toks []token, open, end int) [][2]int {
	var args [][2]int
	for from := open + 1; from < end; {
		comma := topLevel(toks, from, end, func(j int) bool { return isPunct(toks[j], ",") })
		args = append(args, [2]int{from, comma})
		from = comma + 1
	}
	return args
}

// intLiteral reads an optionally negative whole-number literal spanning
// toks[from:to].
func intLiteral(toks []token, from, to int) (int64, bool) {
	neg := false
	if from < to && isPunct(toks[from], "-") {
		neg, from = true, from+1
	}
	if to-from != 1 || toks[from].kind != tNumber {
		return 0, false
	}
	n, err := strconv.ParseInt(toks[from].text, 0, 64)
	if err != nil {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

// checkRange checks range(start, end[, step]) at toks[i].
func checkRange(toks []token, i int) error {
	open := i + 1
	end := closing(toks, open)
	refuse := func(why string) error {
		return Invalid("uses range() at byte offset %d %s: range() takes whole-number literals and makes at most %d elements (a longer list is built outside Neo4j's memory limit)",
			toks[i].pos, why, MaxRangeElements)
	}
	var args []int64
	for _, a := range callArgs(toks, open, end) {
		n, ok := intLiteral(toks, a[0], a[1])
		if !ok {
			return refuse("with an argument that is not a whole-number literal")
		}
		args = append(args, n)
	}
	if len(args) < 2 || len(args) > 3 {
		return refuse("without 2 or 3 arguments")
	}
	step := int64(1)
	if len(args) == 3 {
		step = args[2]
	}
	if step == 0 {
		return refuse("with step 0")
	}
	count := (args[1]-args[0])/step + 1
	if (args[1]-args[0])/step < 0 {
		count = 0
	}
	if count > MaxRangeElements || count < 0 {
		return refuse(fmt.Sprintf("of %d elements", count))
	}
	return nil
}

// replaceGrowth checks replace(s, search, replacement) at toks[i]: search
// and replacement must be string literals, search not empty; it returns
// the doublings the call may cost.
func replaceGrowth(toks []token, i int) (int, error) {
	open := i + 1
	end := closing(toks, open)
	args := callArgs(toks, open, end)
	literal := func(a [2]int) (string, bool) {
		if a[1]-a[0] == 1 && toks[a[0]].kind == tString {
			return toks[a[0]].text, true
		}
		return "", false
	}
	refuse := func(why string) (int, error) {
		return 0, Invalid("uses replace() at byte offset %d %s: replace() takes a non-empty string literal to search for and a string literal to put in its place, so that how much it enlarges its input is known", toks[i].pos, why)
	}
	if len(args) != 3 {
		return refuse("without 3 arguments")
	}
	search, ok1 := literal(args[1])
	repl, ok2 := literal(args[2])
	if !ok1 || !ok2 {
		return refuse("with a search or replacement that is not a string literal")
	}
	if search == "" {
		return refuse("with an empty search string")
	}
	factor := (len(repl) + len(search) - 1) / len(search)
	if factor <= 1 {
		return 0, nil
	}
	return bits.Len(uint(factor - 1)), nil
}
