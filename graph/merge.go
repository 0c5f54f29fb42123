package graph

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Merging duplicates (docs/matching.md, "Merges"). An analyst who finds two
// or more nodes standing for one real entity merges them into the one kept:
// it gains the others' names (as aliases), kinds, sources, properties and
// relationships; the others' ids keep resolving to it (a redirect); the
// merge is recorded and can be undone.

// Bounds of a merge request.
const (
	MaxMergeIDs     = 50   // entities merged into the kept one at most
	MaxMergeReason  = 2000 // bytes of the reason
	MaxRedirectHops = 16   // a chain of merges followed at most
)

// MergeRequest asks to merge the entities Merge into Keep.
type MergeRequest struct {
	Keep   string   `json:"keep"`
	Merge  []string `json:"merge"`
	Reason string   `json:"reason"`
	By     string   `json:"-"` // the key name of the caller (or the operator)
}

// Normalize checks the request and sorts Merge.
func (r MergeRequest) Normalize() (MergeRequest, error) {
	if err := ValidateID("keep", r.Keep); err != nil {
		return r, err
	}
	if len(r.Merge) == 0 {
		return r, Errorf(CodeInvalid, "merge", "needs at least one id to merge into %q", r.Keep)
	}
	if len(r.Merge) > MaxMergeIDs {
		return r, Errorf(CodeInvalid, "merge", "has %d ids; at most %d are merged at once", len(r.Merge), MaxMergeIDs)
	}
	for i, id := range r.Merge {
		if err := ValidateID(fmt.Sprintf("merge[%d]", i), id); err != nil {
			return r, err
		}
		if id == r.Keep {
			return r, Errorf(CodeInvalid, fmt.Sprintf("merge[%d]", i), "is the kept id %q; an entity is not merged into itself", id)
		}
	}
	r.Merge = slices.Clone(r.Merge)
	slices.Sort(r.Merge)
	r.Merge = slices.Compact(r.Merge)
	r.Reason = strings.TrimSpace(r.Reason)
	if err := validateText("reason", r.Reason, MaxMergeReason, false); err != nil {
		return r, err
	}
	return r, nil
}

// PropertyConflict is a property the kept entity and a merged one both
// set, to different values: the kept value stays on the node, the other is
// kept here (and restored by an undo).
type PropertyConflict struct {
	Property string `json:"property"`
	Kept     Value  `json:"kept"`
	Other    Value  `json:"other"`
	From     string `json:"from"` // the merged entity that had Other
}

// Relationship outcomes of a merge.
const (
	MovedRepointed = "repointed" // the relationship now starts or ends at the kept entity
	MovedMerged    = "merged"    // it joined an equal one of the kept entity (merge rules)
	MovedDropped   = "dropped"   // it joined two merged entities: a loop on the kept one
)

// MovedRelationship is what a merge did to one relationship of a merged
// entity.
type MovedRelationship struct {
	ID      string `json:"id"`      // before the merge
	NewID   string `json:"new_id"`  // after it (empty when dropped)
	Outcome string `json:"outcome"` // repointed, merged or dropped
	Type    string `json:"type"`    // its type
	Note    string `json:"note,omitempty"`
}

// Merge statuses.
const (
	MergeActive = "active"
	MergeUndone = "undone"
)

// MergeRecord is a merge as recorded: who merged what into what, when and
// why, and what moved.
type MergeRecord struct {
	ID            string              `json:"id"`
	Keep          string              `json:"keep"`
	Merged        []string            `json:"merged"`
	Reason        string              `json:"reason"`
	By            string              `json:"by"`
	At            time.Time           `json:"at"`
	Status        string              `json:"status"`
	UndoneBy      string              `json:"undone_by,omitempty"`
	UndoneAt      *time.Time          `json:"undone_at,omitempty"`
	Names         []string            `json:"names"`      // names and aliases the kept entity gained
	Kinds         []Kind              `json:"kinds"`      // kinds it gained
	Sources       []string            `json:"sources"`    // sources it gained
	Properties    []string            `json:"properties"` // properties it gained
	Conflicts     []PropertyConflict  `json:"conflicts"`
	Relationships []MovedRelationship `json:"relationships"`
}

// NewMergeID returns a fresh merge id, merge-<UTC time>-<8 hex>.
func NewMergeID(now time.Time) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return "merge-" + now.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b)
}

// kindFamily groups kinds that may stand for one real entity: the person
// kinds are one family, every other kind its own.
func kindFamily(k Kind) Kind {
	if k == KindTycoon || k == KindOfficial {
		return KindPerson
	}
	return k
}

// mergeable reports whether entities of kinds a and b may be one
// entity: they share a kind (persons, tycoons and officials are one
// family), and neither is a source.
func mergeable(a, b []Kind) bool {
	if slices.Contains(a, KindSource) || slices.Contains(b, KindSource) {
		return false
	}
	for _, x := range a {
		for _, y := range b {
			if kindFamily(x) == kindFamily(y) {
				return true
			}
		}
	}
	return false
}

// MergePlan is what merging comes to: the kept entity as it will be, the
// relationships to delete (their old ids, with ends) and to write, and the
// record of what moved.
type MergePlan struct {
	Kept   Entity
	Delete []Relationship // as stored, before the merge
	Write  []Relationship // merged, after it
	Record MergeRecord
}

// PlanMerge merges others into keep. rels are every relationship touching
// keep or one of others (MENTIONED_IN excepted: it follows sources). Pure:
// the store calls it inside its write transaction, on what it read under
// its locks.
func PlanMerge(keep Entity, others []Entity, rels []Relationship) (MergePlan, error) {
	p := MergePlan{Record: MergeRecord{Keep: keep.ID, Names: []string{}, Kinds: []Kind{}, Sources: []string{},
		Properties: []string{}, Conflicts: []PropertyConflict{}, Relationships: []MovedRelationship{}}}
	kept := keep
	kept.Properties = maps.Clone(keep.Properties)
	if kept.Properties == nil {
		kept.Properties = map[string]Value{}
	}
	into := map[string]bool{}
	for _, o := range others {
		if !mergeable(keep.Kinds, o.Kinds) {
			return p, Errorf(CodeInvalid, "merge", "%q is %s and %q is %s: only entities of one kind (persons, tycoons and officials are one) merge, and never sources",
				o.ID, KindNames(o.Kinds), keep.ID, KindNames(keep.Kinds))
		}
		into[o.ID] = true
		p.Record.Merged = append(p.Record.Merged, o.ID)
		names := append([]string{o.Name}, o.Aliases...)
		kept.Aliases = union(kept.Aliases, names)
		kept.Kinds = unionKinds(kept.Kinds, o.Kinds)
		kept.Sources = union(kept.Sources, o.Sources)
		for _, k := range slices.Sorted(maps.Keys(o.Properties)) {
			v := o.Properties[k]
			cur, ok := kept.Properties[k]
			switch {
			case !ok:
				kept.Properties[k] = v
				p.Record.Properties = append(p.Record.Properties, k)
			case !cur.Equal(v):
				p.Record.Conflicts = append(p.Record.Conflicts, PropertyConflict{Property: k, Kept: cur, Other: v, From: o.ID})
			}
		}
	}
	kept.Aliases = without(kept.Aliases, kept.Name)
	p.Record.Names = added(keep.Aliases, kept.Aliases)
	p.Record.Kinds = slices.DeleteFunc(slices.Clone(kept.Kinds), func(k Kind) bool { return slices.Contains(NormalizeKinds(keep.Kinds), k) })
	p.Record.Sources = added(keep.Sources, kept.Sources)
	slices.Sort(p.Record.Properties)
	p.Record.Properties = slices.Compact(p.Record.Properties)
	p.Kept = kept

	to := func(id string) string {
		if into[id] {
			return keep.ID
		}
		return id
	}
	// The kept entity's own relationships first, as they are; then each
	// relationship of a merged entity re-pointed, folded into an equal one
	// by the merge rules, or dropped when it would loop.
	acc := map[string]Relationship{}
	var order []string
	changed := map[string]bool{}
	moved := slices.Clone(rels)
	slices.SortFunc(moved, func(a, b Relationship) int { return strings.Compare(a.ID, b.ID) })
	for _, r := range moved {
		if !into[r.From] && !into[r.To] {
			if _, ok := acc[r.ID]; !ok {
				acc[r.ID] = r
				order = append(order, r.ID)
			}
		}
	}
	for _, r := range moved {
		if !into[r.From] && !into[r.To] {
			continue
		}
		p.Delete = append(p.Delete, r)
		m := MovedRelationship{ID: r.ID, Type: string(r.Type)}
		from, end := to(r.From), to(r.To)
		if from == end {
			m.Outcome, m.Note = MovedDropped, "both ends are now "+keep.ID
			p.Record.Relationships = append(p.Record.Relationships, m)
			continue
		}
		n := r
		n.From, n.To = from, end
		n.ID = RelationshipID(from, r.Type, end, r.Key)
		m.NewID, m.Outcome = n.ID, MovedRepointed
		if cur, ok := acc[n.ID]; ok {
			n, _ = MergeRelationship(cur, n)
			m.Outcome = MovedMerged
		} else {
			order = append(order, n.ID)
		}
		acc[n.ID] = n
		changed[n.ID] = true
		p.Record.Relationships = append(p.Record.Relationships, m)
	}
	for _, id := range order {
		if changed[id] {
			p.Write = append(p.Write, acc[id])
		}
	}
	return p, nil
}

// added lists what after holds that before did not, sorted.
func added(before, after []string) []string {
	out := []string{}
	for _, s := range union(after, nil) {
		if !slices.Contains(before, s) {
			out = append(out, s)
		}
	}
	return out
}

// Judgement verdicts.
const (
	VerdictNotSame = "not_same" // the two entities are different: never propose them as duplicates
)

// Judgement is an analyst's decision on a pair of entities, stored so the
// pair stops being proposed as duplicates (and cannot be merged by
// mistake). A and B are sorted; the id is derived from them.
type Judgement struct {
	ID       string    `json:"id"`
	A        string    `json:"a"`
	B        string    `json:"b"`
	Verdict  string    `json:"verdict"`
	Reason   string    `json:"reason"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
	Status   string    `json:"status"`              // JudgementActive or JudgementWithdrawn
	ViaMerge string    `json:"via_merge,omitempty"` // the merge that carried it over to a kept id
	// Set once withdrawn (MergeStore.WithdrawJudgement).
	WithdrawnBy    string     `json:"withdrawn_by,omitempty"`
	WithdrawnAt    *time.Time `json:"withdrawn_at,omitempty"`
	WithdrawReason string     `json:"withdraw_reason,omitempty"`
}

// Judgement statuses.
const (
	JudgementActive    = "active"    // in force: the pair is not proposed and not merged
	JudgementWithdrawn = "withdrawn" // withdrawn: kept as the answer to a repeated withdrawal, nothing else
)

// Bounds of listing judgements.
const (
	DefaultJudgementsLimit = 50  // judgements per page
	MaxJudgementsLimit     = 200 // judgements per page
	MaxJudgementIDLen      = len("judgement:") + 2*MaxIDLen + 1
)

// JudgementsQuery pages through the judgements in force, newest first (at
// descending, then id ascending).
type JudgementsQuery struct {
	Entity  string // only judgements naming it, as A or B ("" any)
	Verdict string // only this verdict ("" any)
	Limit   int    // 1..MaxJudgementsLimit, default DefaultJudgementsLimit
	Cursor  string // next_cursor of the previous page
	// Set by Normalize from Cursor: the last judgement of the previous page.
	AfterAt *time.Time
	AfterID string
}

// CursorKey binds a judgements cursor to its filters.
func (q JudgementsQuery) CursorKey() string { return cursorKey("judgements", q.Entity, q.Verdict) }

// Normalize applies defaults, checks bounds and decodes the cursor.
func (q JudgementsQuery) Normalize() (JudgementsQuery, error) {
	if q.Entity != "" {
		if err := ValidateID("entity", q.Entity); err != nil {
			return q, err
		}
	}
	if q.Verdict != "" && q.Verdict != VerdictNotSame {
		return q, Errorf(CodeInvalid, "verdict", "must be %q", VerdictNotSame)
	}
	var err error
	if q.Limit, err = bounded("limit", q.Limit, DefaultJudgementsLimit, MaxJudgementsLimit); err != nil {
		return q, err
	}
	q.AfterAt, q.AfterID = nil, ""
	if q.Cursor != "" {
		c, err := DecodeCursor(q.Cursor, q.CursorKey())
		if err != nil {
			return q, err
		}
		at, id, ok := strings.Cut(c.After, " ")
		t, terr := time.Parse(time.RFC3339Nano, at)
		if !ok || terr != nil {
			return q, Errorf(CodeInvalid, "cursor", "is not a cursor returned by this API")
		}
		q.AfterAt, q.AfterID = &t, id
	}
	return q, nil
}

// NextJudgementsCursor is the cursor of the page after the one ending at last.
func (q JudgementsQuery) NextJudgementsCursor(last Judgement) string {
	return EncodeCursor(Cursor{After: last.At.UTC().Format(time.RFC3339Nano) + " " + last.ID, Key: q.CursorKey()})
}

// JudgementsPage is one page of judgements; NextCursor is empty on the last.
type JudgementsPage struct {
	Judgements []Judgement `json:"judgements"`
	NextCursor string      `json:"next_cursor,omitempty"`
}

// JudgementWithdrawal asks to withdraw the judgement ID.
type JudgementWithdrawal struct {
	ID     string
	Reason string
	By     string // who withdraws (the API key's name, or the operator's)
	// Any allows withdrawing another's judgement (admins, the operator);
	// otherwise only its author (Judgement.By == By) may.
	Any bool
}

// Normalize checks the id and the reason.
func (w JudgementWithdrawal) Normalize() (JudgementWithdrawal, error) {
	a, b, ok := strings.Cut(strings.TrimPrefix(w.ID, "judgement:"), "|")
	if !strings.HasPrefix(w.ID, "judgement:") || !ok || len(w.ID) > MaxJudgementIDLen || ValidateID("id", a) != nil || ValidateID("id", b) != nil {
		return w, Errorf(CodeInvalid, "id", "is not a judgement id (judgement:A|B)")
	}
	w.Reason = strings.TrimSpace(w.Reason)
	if err := validateText("reason", w.Reason, MaxMergeReason, false); err != nil {
		return w, err
	}
	return w, nil
}

// MayWithdraw reports whether w may withdraw j: its author, or anyone with
// Any (an admin, the operator). A judgement is its author's signed
// decision; a colleague who disagrees asks the author or an admin.
func (w JudgementWithdrawal) MayWithdraw(j Judgement) error {
	if w.Any || j.By == w.By {
		return nil
	}
	return Errorf(CodeForbidden, "id", "%s was recorded by %q; only its author or an admin may withdraw it", j.ID, j.By)
}

// JudgementID is the id of the judgement on the pair a, b (in either
// order): "judgement:" + the sorted ids joined by "|".
func JudgementID(a, b string) string {
	if b < a {
		a, b = b, a
	}
	return "judgement:" + a + "|" + b
}

// Normalize checks a judgement request, sorts its pair and sets its id.
func (j Judgement) Normalize() (Judgement, error) {
	if err := ValidateID("a", j.A); err != nil {
		return j, err
	}
	if err := ValidateID("b", j.B); err != nil {
		return j, err
	}
	if j.A == j.B {
		return j, Errorf(CodeInvalid, "b", "is the same id as a")
	}
	if j.Verdict == "" {
		j.Verdict = VerdictNotSame
	}
	if j.Verdict != VerdictNotSame {
		return j, Errorf(CodeInvalid, "verdict", "must be %q", VerdictNotSame)
	}
	j.Reason = strings.TrimSpace(j.Reason)
	if err := validateText("reason", j.Reason, MaxMergeReason, false); err != nil {
		return j, err
	}
	if j.B < j.A {
		j.A, j.B = j.B, j.A
	}
	j.ID = JudgementID(j.A, j.B)
	return j, nil
}

// ErrRepeated is returned, with the earlier record, by a merge whose ids
// were all merged into the kept one already: nothing was done (the API
// answers 200 with that record instead of 201).
var ErrRepeated = errors.New("the ids were merged into the kept one already")

// MergeStore merges duplicates, undoes merges, resolves merged ids and
// keeps "not the same" judgements. Each method is one write (or read)
// transaction and may be retried.
type MergeStore interface {
	// Merge merges req.Merge into req.Keep and records it (ids merged into
	// req.Keep already are left out; when all are, it returns the last
	// merge's record and ErrRepeated). CodeNotFound
	// when an id is not an entity; CodeConflict when a pair has a "not the
	// same" judgement; CodeInvalid when the kinds cannot be one entity.
	Merge(ctx context.Context, req MergeRequest) (MergeRecord, error)
	// MergeRecord returns a recorded merge (CodeNotFound when none).
	MergeRecord(ctx context.Context, id string) (MergeRecord, error)
	// UndoMerge restores the graph as it was before the merge: the kept
	// entity and the merged ones, with every relationship, exactly. It
	// refuses (CodeConflict) when the kept entity or its relationships
	// changed after the merge. Undoing an undone merge changes nothing.
	UndoMerge(ctx context.Context, id, by string) (MergeRecord, error)
	// Resolve returns the id a merged id now stands for (following chains
	// of merges) and true, or id and false when it was never merged.
	Resolve(ctx context.Context, id string) (string, bool, error)
	// Redirects returns every merged id with the id it resolves to.
	Redirects(ctx context.Context) (map[string]string, error)
	// Judge records a judgement; created is false when the pair was judged
	// already (the stored judgement is returned).
	Judge(ctx context.Context, j Judgement) (out Judgement, created bool, err error)
	// Judgements pages through the judgements in force, newest first.
	Judgements(ctx context.Context, q JudgementsQuery) (JudgementsPage, error)
	// WithdrawJudgement withdraws a judgement (w.MayWithdraw decides who
	// may: CodeForbidden otherwise), so the pair is proposed again; it
	// answers the judgement, withdrawn. Withdrawing a withdrawn judgement
	// answers it unchanged; CodeNotFound when no judgement had the id.
	WithdrawJudgement(ctx context.Context, w JudgementWithdrawal) (Judgement, error)
}

// ResolveRedirect follows id through redirects (old id -> kept id) to the
// id it stands for now, at most MaxRedirectHops merges deep.
func ResolveRedirect(redirects map[string]string, id string) string {
	for range MaxRedirectHops {
		to, ok := redirects[id]
		if !ok || to == id {
			return id
		}
		id = to
	}
	return id
}
