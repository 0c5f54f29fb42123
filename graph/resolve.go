package graph

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Import-time resolution (docs/matching.md, "Import-time resolution"): an
// id of an import file may stand for an entity the graph already holds
// under another id. Three things say so, and only these rewrite the id, so
// that the record lands on the stored entity: a merge (the id was merged
// away: a redirect), the operator's mapping file (--map), and, with
// --resolve, a shared strong identifier (a registration or passport number
// ...). Any other likely match is only reported, for review: two people are
// never merged on a name alone.

// Why an import id was rewritten.
const (
	ResolvedMerged     = "merged"     // the id was merged into another (a redirect)
	ResolvedMapped     = "mapped"     // the mapping file maps it
	ResolvedIdentifier = "identifier" // --resolve: it shares a strong identifier with a stored entity
)

// Resolution is one id of an import rewritten to a stored entity's.
type Resolution struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	ID     string `json:"id"`
	To     string `json:"to"`
	Why    string `json:"why"`
	Detail string `json:"detail,omitempty"`
}

// ResolveMatch is a stored entity an incoming record may be.
type ResolveMatch struct {
	ID    string     `json:"id"`
	Name  string     `json:"name"`
	Kinds []Kind     `json:"kinds"`
	Score MatchScore `json:"match"`
}

// ResolveCandidate is a new entity of an import with the stored entities it
// may be, best first, for review (merge them with POST /v1/merges, or
// record "not the same" with POST /v1/judgements).
type ResolveCandidate struct {
	File       string         `json:"file"`
	Line       int            `json:"line"`
	ID         string         `json:"id"`
	Name       string         `json:"name"`
	Candidates []ResolveMatch `json:"candidates"`
}

// RedirectSource lists the ids merged away (see MergeStore.Redirects).
type RedirectSource interface {
	Redirects(ctx context.Context) (map[string]string, error)
}

// StrongIdentifierMatch reports whether a score rests on a shared strong
// identifier, with no identifier or kind contradicting it: the one match
// --resolve applies without review.
func StrongIdentifierMatch(s MatchScore) bool {
	has := func(name string) bool {
		return slices.ContainsFunc(s.Features, func(f MatchFeature) bool { return f.Name == name })
	}
	return has(FeatureIdentifierMatch) && !has(FeatureIdentifierMismatch) && !has(FeatureKindMismatch)
}

// MaxIDMapEntries bounds a mapping file.
const MaxIDMapEntries = 1_000_000

// ParseIDMap reads a mapping file (import --map): one mapping a line, an
// import id and the stored id it stands for, separated by whitespace, a
// comma or "->"; blank lines and lines starting with # are skipped. Errors
// name the line.
func ParseIDMap(r io.Reader) (map[string]string, error) {
	out := map[string]string{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 64<<10)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		s = strings.NewReplacer("->", " ", ",", " ", "\t", " ").Replace(s)
		f := strings.Fields(s)
		if len(f) != 2 {
			return nil, Errorf(CodeInvalid, "map", "line %d: want two ids (import id, stored id), got %d fields", line, len(f))
		}
		for _, id := range f {
			if err := ValidateID("map", id); err != nil {
				return nil, Errorf(CodeInvalid, "map", "line %d: %s", line, err.(*Error).Message)
			}
		}
		if f[0] == f[1] {
			return nil, Errorf(CodeInvalid, "map", "line %d: %q maps to itself", line, f[0])
		}
		if prev, ok := out[f[0]]; ok && prev != f[1] {
			return nil, Errorf(CodeInvalid, "map", "line %d: %q is mapped twice (to %q and %q)", line, f[0], prev, f[1])
		}
		out[f[0]] = f[1]
		if len(out) > MaxIDMapEntries {
			return nil, Errorf(CodeInvalid, "map", "more than %d mappings", MaxIDMapEntries)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, Errorf(CodeInvalid, "map", "line %d: %v", line+1, err)
	}
	return out, nil
}

// String describes a resolution for logs and the CLI.
func (r Resolution) String() string {
	return fmt.Sprintf("%s:%d: %s -> %s (%s)", r.File, r.Line, r.ID, r.To, r.Why)
}
