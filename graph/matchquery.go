package graph

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Whole-graph duplicate search bounds.
const (
	DefaultDuplicatesLimit  = 50   // pairs per page
	MaxDuplicatesLimit      = 200  // pairs per page
	DuplicatesScanBatch     = 200  // entities read per batch
	MaxDuplicatesScan       = 1000 // entities scanned by one request at most
	MatchBlockingLimit      = 50   // full-text candidates per record
	DuplicatesBlockingLimit = 20   // full-text candidates per scanned entity (whole-graph scan)
	DefaultMatchCutoff      = 0.5  // POST /v1/match leaves out candidates below it
)

// MatchQuery matches one record against the graph: POST /v1/match (a record
// that may not be stored) and GET /v1/entities/{id}/duplicates (a stored
// entity, by ID).
type MatchQuery struct {
	Entity    Entity  // the record; its ID, when set, is left out of the answer
	ID        string  // duplicates: the stored entity to match (Entity is then read)
	Threshold float64 // 0..1; DefaultMatchThreshold when 0: candidates at or above it have Match
	Cutoff    float64 // 0..1; DefaultMatchCutoff when 0: candidates below it are left out
	Limit     int     // 1..MaxMatchLimit
	Role      Role    // victims are candidates only for roles that see them
}

// Normalize applies defaults and checks bounds, naming the API field.
func (q MatchQuery) Normalize() (MatchQuery, error) {
	var err error
	if q.Limit, q.Threshold, err = limitAndThreshold(q.Limit, DefaultMatchLimit, MaxMatchLimit, q.Threshold); err != nil {
		return q, err
	}
	switch {
	case math.IsNaN(q.Cutoff) || q.Cutoff < 0 || q.Cutoff > 1:
		return q, Errorf(CodeInvalid, "cutoff", "must be between 0 and 1")
	case q.Cutoff == 0:
		q.Cutoff = min(DefaultMatchCutoff, q.Threshold)
	}
	if q.ID == "" {
		if len(MatchNames(q.Entity)) == 0 {
			return q, Errorf(CodeInvalid, "name", "needs a name with at least one letter or digit")
		}
		for _, k := range q.Entity.Kinds {
			if _, ok := KindLabel(k); !ok {
				return q, Errorf(CodeInvalid, "kinds", "unknown kind %q", k)
			}
		}
	}
	return q, nil
}

// limitAndThreshold applies the defaults of a limit and a threshold and
// checks their bounds.
func limitAndThreshold(limit, def, most int, t float64) (int, float64, error) {
	limit, err := bounded("limit", limit, def, most)
	if err != nil {
		return 0, 0, err
	}
	t, err = threshold(t)
	return limit, t, err
}

func threshold(t float64) (float64, error) {
	switch {
	case math.IsNaN(t) || t < 0 || t > 1:
		return 0, Errorf(CodeInvalid, "threshold", "must be between 0 and 1")
	case t == 0:
		return DefaultMatchThreshold, nil
	}
	return t, nil
}

// EntityRef names an entity in a match answer.
type EntityRef struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Kinds []Kind `json:"kinds"`
}

// MatchCandidate is one stored entity that may be the queried record.
type MatchCandidate struct {
	Entity   Entity         `json:"entity"`
	Score    float64        `json:"score"`
	Band     string         `json:"band"`
	Match    bool           `json:"match"` // score >= the threshold
	Features []MatchFeature `json:"features"`
}

// MatchResult answers a MatchQuery: candidates at or above the threshold,
// best first (ties by id).
type MatchResult struct {
	Query      EntityRef        `json:"query"`
	Threshold  float64          `json:"threshold"`
	Candidates []MatchCandidate `json:"candidates"`
}

// DuplicatesQuery pages through the whole graph's candidate pairs.
type DuplicatesQuery struct {
	Threshold float64
	Limit     int // pairs, 1..MaxDuplicatesLimit (a page may hold a few more: all of its last entity's)
	Cursor    string
	Role      Role
}

// CursorKey binds a duplicates cursor to its threshold.
func (q DuplicatesQuery) CursorKey() string {
	return "duplicates|" + strconv.FormatFloat(q.Threshold, 'f', -1, 64)
}

// Normalize applies defaults and checks bounds.
func (q DuplicatesQuery) Normalize() (DuplicatesQuery, error) {
	var err error
	if q.Limit, q.Threshold, err = limitAndThreshold(q.Limit, DefaultDuplicatesLimit, MaxDuplicatesLimit, q.Threshold); err != nil {
		return q, err
	}
	if q.Cursor != "" {
		if _, err := DecodeCursor(q.Cursor, q.CursorKey()); err != nil {
			return q, err
		}
	}
	return q, nil
}

// DuplicatePair is two stored entities that may be the same.
type DuplicatePair struct {
	A        EntityRef      `json:"a"`
	B        EntityRef      `json:"b"`
	Score    float64        `json:"score"`
	Band     string         `json:"band"`
	Features []MatchFeature `json:"features"`
}

// DuplicatesPage is one page of candidate pairs: each pair once (A.ID <
// B.ID), in the order of A's id, then best first. Scanned says how many
// entities this page read; NextCursor is empty once the whole graph has been
// read.
type DuplicatesPage struct {
	Threshold  float64         `json:"threshold"`
	Pairs      []DuplicatePair `json:"pairs"`
	Scanned    int             `json:"scanned"`
	NextCursor string          `json:"next_cursor,omitempty"`
}

// Matcher finds likely duplicates in the store.
type Matcher interface {
	Match(ctx context.Context, q MatchQuery) (MatchResult, error)
	Duplicates(ctx context.Context, q DuplicatesQuery) (DuplicatesPage, error)
}

// RefOf names an entity.
func RefOf(e Entity) EntityRef {
	k := e.Kinds
	if k == nil {
		k = []Kind{}
	}
	return EntityRef{ID: e.ID, Name: e.Name, Kinds: k}
}

// CompatibleLabels returns the node labels a record of e's kinds may match
// (any when e has no kind): blocking reads only those.
func CompatibleLabels(e Entity) []string {
	var out []string
	for _, c := range MatchClasses(e) {
		switch c {
		case "person":
			out = append(out, "Person")
		case "organization":
			out = append(out, "Company", "Organization")
		default:
			if l, ok := KindLabel(Kind(c)); ok {
				out = append(out, l)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// RankCandidates scores stored entities against a record, keeps those at or
// above cutoff, marks those at or above threshold as matches and sorts them
// best first (ties by id).
func RankCandidates(rec Entity, cands []Entity, ctxs []MatchContext, threshold, cutoff float64) []MatchCandidate {
	out := []MatchCandidate{}
	for i, c := range cands {
		if c.ID == rec.ID && rec.ID != "" {
			continue
		}
		s := ScoreMatch(rec, c, ctxs[i])
		if s.Score < cutoff || s.Score == 0 {
			continue
		}
		out = append(out, MatchCandidate{Entity: c, Score: s.Score, Band: s.Band, Match: s.Score >= threshold, Features: s.Features})
	}
	slices.SortStableFunc(out, func(a, b MatchCandidate) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return strings.Compare(a.Entity.ID, b.Entity.ID)
	})
	return out
}
