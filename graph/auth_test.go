package graph_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
)

func TestRoleAllows(t *testing.T) {
	r, a, i, ad := graph.RoleReader, graph.RoleAnalyst, graph.RoleImporter, graph.RoleAdmin
	tests := []struct {
		role graph.Role
		need graph.Role
		want bool
	}{
		{r, r, true}, {r, a, false}, {r, i, false}, {r, ad, false},
		{a, r, true}, {a, a, true}, {a, i, false}, {a, ad, false},
		{i, r, true}, {i, a, false}, {i, i, true}, {i, ad, false},
		{ad, r, true}, {ad, a, true}, {ad, i, true}, {ad, ad, true},
		{"", r, false}, {"root", r, false}, {ad, "root", false},
	}
	for _, tc := range tests {
		t.Run(string(tc.role)+"_needs_"+string(tc.need), func(t *testing.T) {
			if got := tc.role.Allows(tc.need); got != tc.want {
				t.Errorf("Allows = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestParseRole(t *testing.T) {
	tests := []struct {
		in   string
		want graph.Role
		ok   bool
	}{
		{"reader", graph.RoleReader, true}, {" Analyst ", graph.RoleAnalyst, true}, {"ADMIN", graph.RoleAdmin, true},
		{"importer", graph.RoleImporter, true}, {"superuser", "", false}, {"", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := graph.ParseRole(tc.in)
			if ok != tc.ok || (ok && got != tc.want) {
				t.Errorf("ParseRole(%q) = %q, %v", tc.in, got, ok)
			}
		})
	}
}

func TestNewKey(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 50; i++ {
		plain, hash, prefix, id, err := graph.NewKey()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(plain, "sg_") || len(plain) != 3+43 || graph.CheckKeyFormat(plain) != nil {
			t.Fatalf("plaintext %q is malformed", plain)
		}
		if hash != graph.HashKey(plain) || len(hash) != 64 || strings.Contains(hash, plain) {
			t.Errorf("hash %q", hash)
		}
		if !strings.HasPrefix(plain, prefix) || len(prefix) != 11 {
			t.Errorf("prefix %q of %q", prefix, plain)
		}
		if graph.ValidateKeyID(id) != nil {
			t.Errorf("id %q does not validate", id)
		}
		if seen[plain] || seen[id] {
			t.Fatal("repeated key or id")
		}
		seen[plain], seen[id] = true, true
	}
}

func TestCheckKeyFormat(t *testing.T) {
	good, _, _, _, err := graph.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		key  string
		ok   bool
	}{
		{"good", good, true},
		{"empty", "", false},
		{"no prefix", good[3:], false},
		{"short", good[:20], false},
		{"long", good + "A", false},
		{"not base64url", good[:len(good)-1] + "+", false},
		{"padded", good + "=", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := graph.CheckKeyFormat(tc.key)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v", err)
			}
			if err != nil && graph.ErrorCode(err) != graph.CodeUnauthorized {
				t.Errorf("code = %s", graph.ErrorCode(err))
			}
		})
	}
}

func TestValidateKeyName(t *testing.T) {
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"plain", "newsroom laptop", true},
		{"unicode", "Phnom Penh desk ពេលវេលា", true},
		{"empty", "  ", false},
		{"too long", strings.Repeat("a", 101), false},
		{"control", "a\nb", false},
		{"bad utf8", "a\xff", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := graph.ValidateKeyName(tc.in); (err == nil) != tc.ok {
				t.Errorf("err = %v", err)
			}
		})
	}
}

func TestPrincipalContext(t *testing.T) {
	ctx := context.Background()
	if _, ok := graph.PrincipalFrom(ctx); ok || graph.RoleFrom(ctx) != "" {
		t.Fatal("empty context has a principal")
	}
	p := graph.Principal{KeyID: "key_0123456789abcdef", Name: "x", Role: graph.RoleAnalyst}
	got, ok := graph.PrincipalFrom(graph.WithPrincipal(ctx, p))
	if !ok || got != p {
		t.Errorf("got %+v, %v", got, ok)
	}
}

func TestRedactVictim(t *testing.T) {
	individual := graph.Entity{ID: "victim:v1", Kinds: []graph.Kind{graph.KindVictim}, Name: "Real Name",
		Aliases: []string{"Nickname"}, Sources: []string{"source:s"},
		Properties: map[string]graph.Value{
			"pseudonym": graph.StringValue("Released worker A"), "age": graph.IntValue(18),
			"origin": graph.StringValue("Sumatra"), "nationality": graph.StringValue("ID"),
			"description": graph.StringValue("his passport was held"), "months_worked_unpaid": graph.IntValue(8),
		}}
	noPseudonym := graph.Entity{ID: "victim:v2", Kinds: []graph.Kind{graph.KindVictim}, Name: "Real Name 2",
		Properties: map[string]graph.Value{"nationality": graph.StringValue("IN")}}
	cohort := graph.Entity{ID: "victim:c", Kinds: []graph.Kind{graph.KindVictim}, Name: "360 Indian nationals",
		Properties: map[string]graph.Value{"cohort": graph.BoolValue(true), "count": graph.IntValue(360),
			"nationality": graph.StringValue("IN"), "description": graph.StringValue("freed in May 2024")}}
	person := graph.Entity{ID: "person:p", Kinds: []graph.Kind{graph.KindTycoon}, Name: "Chen Zhi", Aliases: []string{"Vincent"},
		Properties: map[string]graph.Value{"description": graph.StringValue("chairman")}}
	tests := []struct {
		name      string
		in        graph.Entity
		role      graph.Role
		wantName  string
		wantProps []string
		unchanged bool
	}{
		{"reader sees the pseudonym", individual, graph.RoleReader, "Released worker A", []string{"nationality", "pseudonym"}, false},
		{"importer is redacted too", individual, graph.RoleImporter, "Released worker A", []string{"nationality", "pseudonym"}, false},
		{"no role is redacted", individual, "", "Released worker A", []string{"nationality", "pseudonym"}, false},
		{"analyst sees everything", individual, graph.RoleAnalyst, "", nil, true},
		{"admin sees everything", individual, graph.RoleAdmin, "", nil, true},
		{"name withheld without pseudonym", noPseudonym, graph.RoleReader, graph.WithheldVictimName, []string{"nationality"}, false},
		{"cohort keeps its name", cohort, graph.RoleReader, "360 Indian nationals", []string{"cohort", "count", "nationality"}, false},
		{"non-victims untouched", person, graph.RoleReader, "", nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := tc.in.Properties["description"]
			got := graph.RedactVictim(tc.in, tc.role)
			if tc.unchanged {
				if !reflect.DeepEqual(got, tc.in) {
					t.Errorf("changed: %+v", got)
				}
				return
			}
			if got.Name != tc.wantName || got.ID != tc.in.ID || len(got.Aliases) != 0 {
				t.Errorf("name %q id %q aliases %v", got.Name, got.ID, got.Aliases)
			}
			var keys []string
			for k := range got.Properties {
				keys = append(keys, k)
				if graph.PropertySpecs[k].Personal {
					t.Errorf("personal property %s kept", k)
				}
			}
			if !equalSorted(keys, tc.wantProps) {
				t.Errorf("properties %v, want %v", keys, tc.wantProps)
			}
			if !tc.in.Properties["description"].Equal(before) {
				t.Error("input modified")
			}
		})
	}
}

func TestVictimPublicPropertiesAreNotPersonal(t *testing.T) {
	for _, k := range graph.VictimPublicProperties {
		t.Run(k, func(t *testing.T) {
			if spec, ok := graph.PropertySpecs[k]; !ok || spec.Personal {
				t.Errorf("%s: known %v, personal %v", k, ok, spec.Personal)
			}
		})
	}
}

func TestRedactSubgraph(t *testing.T) {
	g := graph.Subgraph{
		Nodes: []graph.Entity{
			{ID: "victim:v", Kinds: []graph.Kind{graph.KindVictim}, Name: "Real", Properties: map[string]graph.Value{"age": graph.IntValue(20)}},
			{ID: "compound:c", Kinds: []graph.Kind{graph.KindCompound}, Name: "KK Park"},
			{ID: "person:p", Kinds: []graph.Kind{graph.KindPerson}, Name: "P"},
		},
		Edges: []graph.Relationship{
			{ID: "e1", Type: graph.RelHeldAt, From: "victim:v", To: "compound:c", Properties: map[string]graph.Value{"injuries": graph.StringValue("x")}},
			{ID: "e2", Type: graph.RelOperates, From: "person:p", To: "compound:c", Properties: map[string]graph.Value{"role": graph.StringValue("boss")}},
		},
	}
	tests := []struct {
		name       string
		role       graph.Role
		victimName string
		edgeProps  int
	}{
		{"reader", graph.RoleReader, graph.WithheldVictimName, 0},
		{"analyst", graph.RoleAnalyst, "Real", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := graph.RedactSubgraph(g, tc.role)
			if got.Nodes[0].Name != tc.victimName || len(got.Edges[0].Properties) != tc.edgeProps {
				t.Errorf("victim %q, victim edge properties %v", got.Nodes[0].Name, got.Edges[0].Properties)
			}
			if len(got.Edges[1].Properties) != 1 || got.Nodes[1].Name != "KK Park" {
				t.Error("non-victim parts changed")
			}
			if g.Nodes[0].Name != "Real" || len(g.Edges[0].Properties) != 1 {
				t.Error("input modified")
			}
		})
	}
}

func equalSorted(a, b []string) bool {
	a, b = graph.NormalizeStrings(a), graph.NormalizeStrings(b)
	return reflect.DeepEqual(a, b) || (len(a) == 0 && len(b) == 0)
}
