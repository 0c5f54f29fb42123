package investigate

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/admin"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/core"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/imports"
	"github.com/scamgraph/scamgraph/internal/neo4jtest/testenv"
	"github.com/scamgraph/scamgraph/queries"
)

var invQueryNames = []string{
	"inv-entity-check", "inv-prosecuted-compound-links", "inv-official-links",
	"inv-compound-network", "inv-victims-by-nationality", "inv-timeline", "inv-ownership-chains",
}

// Every investigative query applies the shared as_of rule through the
// read_asof.go markers, and expands without leftovers.
func TestInvQueriesUseSharedAsOf(t *testing.T) {
	for _, name := range invQueryNames {
		t.Run(name, func(t *testing.T) {
			text := queries.Get(name)
			if !strings.Contains(text, "__asof_node(") {
				t.Errorf("%s does not use __asof_node", name)
			}
			if strings.Contains(text, "$late") && !strings.Contains(text, "__asof_") {
				t.Errorf("%s spells the as_of rule by hand", name)
			}
			expanded := core.ReadQueryWith(name, invHops(3), invStart(false, 1))
			if strings.Contains(expanded, "__") {
				t.Errorf("%s: placeholder left after expansion", name)
			}
		})
	}
}

// The ownership queries spell out graph.OwnershipRelTypes.
func TestInvOwnershipTypesMatchModel(t *testing.T) {
	var names []string
	for _, r := range graph.OwnershipRelTypes() {
		names = append(names, string(r))
	}
	want := strings.Join(names, "|")
	if text := queries.Get("inv-ownership-chains"); strings.Count(text, ":"+want+"]") != 2 {
		t.Errorf("inv-ownership-chains should name %s in its chain and in its ultimate-owner test", want)
	}
}

func TestInvQueryWithHops(t *testing.T) {
	for _, tc := range []struct {
		name string
		hops int
		ok   bool
	}{{"lowest", 1, true}, {"highest", graph.MaxPathHops, true}, {"zero", 0, false}, {"above", graph.MaxPathHops + 1, false}} {
		t.Run(tc.name, func(t *testing.T) {
			text, err := invQueryWithHops("inv-official-links", tc.hops)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok=%v", err, tc.ok)
			}
			if tc.ok && !strings.Contains(text, "{1,"+strconv.Itoa(tc.hops)+"}") {
				t.Errorf("hop bound %d not written into the quantifier", tc.hops)
			}
		})
	}
	t.Run("query without the placeholder", func(t *testing.T) {
		if _, err := invQueryWithHops("inv-timeline", 2); err == nil {
			t.Error("want an error for a query with no hop bound")
		}
	})
}

func TestInvCheckLinkQuery(t *testing.T) {
	bad := &graph.Date{Year: 2024, Month: 2, Day: 30}
	good := &graph.Date{Year: 2024, Month: 2, Day: 29}
	cases := []struct {
		name  string
		q     graph.LinkQuery
		field string // "" when valid
		want  invLinkParams
	}{
		{"defaults", graph.LinkQuery{}, "", invLinkParams{hops: graph.DefaultLinkHops, limit: graph.DefaultPathsLimit}},
		{"explicit", graph.LinkQuery{MaxHops: 6, MinEvidence: graph.EvidenceConviction, Limit: 100, AsOf: good}, "", invLinkParams{hops: 6, minRank: 6, limit: 100}},
		{"hops too high", graph.LinkQuery{MaxHops: 7}, "max_hops", invLinkParams{}},
		{"hops negative", graph.LinkQuery{MaxHops: -2}, "max_hops", invLinkParams{}},
		{"unknown evidence", graph.LinkQuery{MinEvidence: "gossip"}, "min_evidence", invLinkParams{}},
		{"limit too high", graph.LinkQuery{Limit: 101}, "limit", invLinkParams{}},
		{"limit negative", graph.LinkQuery{Limit: -1}, "limit", invLinkParams{}},
		{"impossible as_of", graph.LinkQuery{AsOf: bad}, "as_of", invLinkParams{}},
		{"malformed focus", graph.LinkQuery{FocusID: "-bad id"}, "focus", invLinkParams{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := invCheckLinkQuery(tc.q, "focus")
			if tc.field != "" {
				if graph.ErrorCode(err) != graph.CodeInvalid || graph.ErrorField(err) != tc.field {
					t.Fatalf("err = %v, want invalid %s", err, tc.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("params = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestInvCountByNationality(t *testing.T) {
	v := func(id, nat string, cohort bool, count int64) graph.Entity {
		p := map[string]graph.Value{}
		if nat != "" {
			p["nationality"] = graph.StringValue(nat)
		}
		if cohort {
			p["cohort"] = graph.BoolValue(true)
		}
		if count > 0 {
			p["count"] = graph.IntValue(count)
		}
		return graph.Entity{ID: id, Properties: p}
	}
	cases := []struct {
		name    string
		victims []graph.Entity
		want    []graph.NationalityCount
	}{
		{"none", nil, []graph.NationalityCount{}},
		{"cohorts sum their counts, individuals count one, unknown sizes are counted apart",
			[]graph.Entity{v("a", "ID", true, 400), v("b", "ID", false, 0), v("c", "ID", false, 7), v("d", "IN", true, 0), v("e", "", true, 100000)},
			[]graph.NationalityCount{
				{Nationality: "", People: 100000, Cohorts: 1},
				{Nationality: "ID", People: 402, Cohorts: 3},
				{Nationality: "IN", People: 0, Cohorts: 1, Uncounted: 1},
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := invCountByNationality(tc.victims)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("[%d] = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
	t.Run("a count of the wrong type is an error", func(t *testing.T) {
		bad := graph.Entity{ID: "x", Properties: map[string]graph.Value{"cohort": graph.BoolValue(true), "count": graph.StringValue("many")}}
		if _, err := invCountByNationality([]graph.Entity{bad}); err == nil {
			t.Error("want an error")
		}
	})
}

// invDeepen tries growing hop bounds and stops at the first full answer.
func TestInvDeepen(t *testing.T) {
	tests := []struct {
		name  string
		rows  map[int]int // rows the query answers at each bound
		from  int         // the first bound asked for
		hops  int
		limit int64
		want  []int // the bounds run
	}{
		{"full at once", map[int]int{1: 25}, 1, 6, 25, []int{1}},
		{"full at two hops", map[int]int{1: 3, 2: 25}, 1, 6, 25, []int{1, 2}},
		{"never full: every bound up to max_hops", map[int]int{1: 0, 2: 1, 3: 2}, 1, 3, 25, []int{1, 2, 3}},
		{"max_hops 1", map[int]int{1: 0}, 1, 1, 25, []int{1}},
		{"limit 1", map[int]int{1: 0, 2: 0, 3: 1}, 1, 6, 1, []int{1, 2, 3}},
		{"from two: bound one skipped", map[int]int{1: 3, 2: 1, 3: 25}, 2, 6, 25, []int{2, 3}},
		{"from two at max_hops 1: bound one still runs", map[int]int{1: 3}, 2, 1, 25, []int{1}},
		{"from zero is from one", map[int]int{1: 3, 2: 25}, 0, 6, 25, []int{1, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ran []int
			run := func(h int) (int, error) {
				ran = append(ran, h)
				return tt.rows[h], nil
			}
			err := invDeepen(tt.from, tt.hops, tt.limit, run)
			if err != nil || !slices.Equal(ran, tt.want) {
				t.Fatalf("ran bounds %v (%v), want %v", ran, err, tt.want)
			}
		})
	}
	t.Run("an error stops it", func(t *testing.T) {
		var ran []int
		boom := errors.New("boom")
		err := invDeepen(1, 6, 25, func(h int) (int, error) {
			ran = append(ran, h)
			if h == 2 {
				return 0, boom
			}
			return 0, nil
		})
		if !errors.Is(err, boom) || !slices.Equal(ran, []int{1, 2}) {
			t.Fatalf("ran %v, err %v; want [1 2], boom", ran, err)
		}
	})
}

// testDB is the Investigator with the parts of the store its internal tests
// load and clean their data with.
type testDB struct {
	*Investigator
	imp *imports.Importer
	adm *admin.Admin
}

// openInternal connects to the test Neo4j for this package's internal tests
// (internal/neo4jtest imports graph/neo4jdb, which imports this package).
func openInternal(t *testing.T) testDB {
	t.Helper()
	uri, user, pw := testenv.Bolt(t)
	c, err := core.Open(core.Config{URI: uri, User: user, Password: pw})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := c.WaitReady(ctx, 250*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	return testDB{Investigator: New(c), imp: imports.New(c), adm: admin.New(c)}
}

// The search of inv-prosecuted-compound-links tests each hop's evidence
// rank only when min_evidence asks for one: at rank 0 every relationship
// passes, and the test would read a property of each hop for nothing.
func TestInvHopRankOnlyWhenAsked(t *testing.T) {
	const test = "coalesce(r.evidence_rank, 0) >= $minRank"
	for _, tc := range []struct {
		name    string
		minRank int64
		want    int // occurrences in the search (ALL SHORTEST up to UNION ALL)
	}{
		{"any evidence", 0, 0},
		{"media_report or stronger", int64(graph.EvidenceMediaReport.Rank()), 1},
		{"conviction", int64(graph.EvidenceConviction.Rank()), 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text, err := invQueryWith("inv-prosecuted-compound-links", 3, true, tc.minRank, nil)
			if err != nil {
				t.Fatal(err)
			}
			i, j := strings.Index(text, "ALL SHORTEST"), strings.Index(text, "UNION ALL")
			if i < 0 || j < i {
				t.Fatalf("no ALL SHORTEST ... UNION ALL in the query")
			}
			if got := strings.Count(text[i:j], test); got != tc.want {
				t.Errorf("the hop rank test appears %d times, want %d", got, tc.want)
			}
			if strings.Contains(text, invHopRank) {
				t.Errorf("placeholder %s left in the text", invHopRank)
			}
		})
	}
}

// inv-compound-rel-types counts every type the link search may follow, in
// both directions: a type it left out would never be a last hop into a
// compound, and links through it would be lost.
func TestInvCompoundRelTypesNameEveryType(t *testing.T) {
	text := queries.Get("inv-compound-rel-types")
	for _, typ := range invTraversable([]string{string(graph.RelMentionedIn)}) {
		t.Run(typ, func(t *testing.T) {
			for _, want := range []string{
				"['" + typ + "', ",
				"COUNT { (:Compound)-[:" + typ + "]->() }",
				"COUNT { ()-[:" + typ + "]->(:Compound) }",
			} {
				if !strings.Contains(text, want) {
					t.Errorf("inv-compound-rel-types lacks %s", want)
				}
			}
		})
	}
}
