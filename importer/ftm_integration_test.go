package importer_test

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/importer"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// stored is what an import left under a prefix, ids without it.
type stored struct {
	ents map[string]graph.Entity
	rels map[string]graph.Relationship
}

func load(t *testing.T, db *neo4jdb.DB, prefix string) stored {
	t.Helper()
	s := stored{ents: map[string]graph.Entity{}, rels: map[string]graph.Relationship{}}
	err := db.Export(ctxT(t), prefix, func(e graph.Entity, rels []graph.Relationship) error {
		e.ID = strings.TrimPrefix(e.ID, prefix)
		s.ents[e.ID] = e
		for _, r := range rels {
			r.From, r.To = strings.TrimPrefix(r.From, prefix), strings.TrimPrefix(r.To, prefix)
			r.ID = graph.RelationshipID(r.From, r.Type, r.To, r.Key)
			s.rels[r.ID] = r
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestImportFTM imports the OpenSanctions-style Prince Group slice and a
// file with every mapped schema (relationships before their ends), then
// again: the second import changes nothing.
func TestImportFTM(t *testing.T) {
	db := neo4jtest.Open(t)
	prefix := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, prefix)
	opts := importer.Options{IDNamespace: prefix, BatchSize: 5}
	first, err := importDir(t, db, opts, "testdata/ftm")
	if err != nil {
		t.Fatalf("import: %v (%+v)", err, first.Problems)
	}
	if first.Rejected != 0 || !first.Written || first.Files[0].Format != importer.FormatFTM {
		t.Fatalf("report: %+v", first)
	}
	g := load(t, db, prefix)
	ents := []struct {
		id, name string
		kinds    []graph.Kind
		sources  []string
		props    map[string]string
	}{
		{"ftm:ofac-chen-zhi", "CHEN Zhi", []graph.Kind{graph.KindPerson}, []string{"source:ftm:us_ofac_sdn"},
			map[string]string{"ftm_schema": "Person", "born": "1987-12-16", "nationality": "CN", "first_seen": "2025-10-14"}},
		{"ftm:gb-fcdo-chen-zhi", "Zhi CHEN", []graph.Kind{graph.KindPerson}, []string{"source:ftm:gb_fcdo_sanctions"}, map[string]string{"nationality": "KH"}},
		{"ftm:ofac-prince-holding-group", "PRINCE HOLDING GROUP", []graph.Kind{graph.KindCompany}, []string{"source:ftm:us_ofac_sdn"}, map[string]string{"jurisdiction": "KH"}},
		{"ftm:ofac-prince-group-tco", "PRINCE GROUP TRANSNATIONAL CRIMINAL ORGANIZATION", []graph.Kind{graph.KindCompany}, nil, map[string]string{"ftm_schema": "Organization"}},
		{"ftm:ofac-addr-prince-phnom-penh", "Phnom Penh, Cambodia", []graph.Kind{graph.KindLocation}, nil, map[string]string{"location_type": "address", "country_code": "KH"}},
		{"ftm:ofac-sanction-chen-zhi", "Sanction: TCO (Office of Foreign Assets Control, 2025-10-14)", []graph.Kind{graph.KindEvent}, nil,
			map[string]string{"event_type": "sanction", "date": "2025-10-14", "program": "TCO", "authority": "Office of Foreign Assets Control"}},
		{"ftm:authority:office-of-foreign-assets-control", "Office of Foreign Assets Control", []graph.Kind{graph.KindOrganization}, []string{"source:ftm:us_ofac_sdn"}, map[string]string{"country_code": "US"}},
		{"ftm:authority:foreign-commonwealth-and-development-office", "Foreign, Commonwealth and Development Office", []graph.Kind{graph.KindOrganization}, nil, map[string]string{"country_code": "GB"}},
		{"source:ftm:us_ofac_sdn", "FtM dataset us_ofac_sdn", []graph.Kind{graph.KindSource}, nil,
			map[string]string{"published": "2025-10-14", "source_type": "sanction", "last_seen": "2025-11-30"}},
		{"source:ftm:gb_fcdo_sanctions", "FtM dataset gb_fcdo_sanctions", []graph.Kind{graph.KindSource}, nil, map[string]string{"published": "2025-10-14"}},
		{"source:ftm:example_registry", "FtM dataset example_registry", []graph.Kind{graph.KindSource}, nil, map[string]string{"published": "2024-01-02"}},
		{"ftm:x-gov", "Example Ministry of Examples", []graph.Kind{graph.KindOrganization}, nil, map[string]string{"org_type": "government"}},
		{"ftm:x-legal", "Example Legal Entity", []graph.Kind{graph.KindCompany}, nil, nil},
		{"ftm:x-body", "Example Provincial Police", []graph.Kind{graph.KindOrganization}, nil, nil},
		{"ftm:x-position", "Example Minister of Examples", []graph.Kind{graph.KindOrganization}, nil, nil},
		{"ftm:x-event", "Police raid on an example compound", []graph.Kind{graph.KindEvent}, nil, map[string]string{"event_type": "raid"}},
		{"ftm:x-case", "Example v. Example", []graph.Kind{graph.KindEvent}, nil, map[string]string{"event_type": "charge", "date": "2023-09-01", "date_precision": "month"}},
		{"ftm:x-doc", "Example company register extract", []graph.Kind{graph.KindSource}, nil, map[string]string{"publisher": "Example Registry Office", "published": "2023-01-15"}},
		{"ftm:x-article", "Example news article", []graph.Kind{graph.KindSource}, nil, map[string]string{"source_type": "news"}},
		{"ftm:x-company", "Example Holdings Ltd", []graph.Kind{graph.KindCompany}, []string{"ftm:x-doc", "source:ftm:example_registry"}, map[string]string{"registration": "12345"}},
		{"ftm:x-person", "Example Person A", []graph.Kind{graph.KindPerson}, nil, map[string]string{"born": "1970-01-01"}},
	}
	for _, want := range ents {
		t.Run("entity "+want.id, func(t *testing.T) {
			e, ok := g.ents[want.id]
			if !ok {
				t.Fatalf("not imported")
			}
			if e.Name != want.name || !slices.Equal(e.Kinds, want.kinds) {
				t.Errorf("got %q %v, want %q %v", e.Name, e.Kinds, want.name, want.kinds)
			}
			if want.sources != nil {
				var srcs []string
				for _, s := range e.Sources {
					srcs = append(srcs, strings.TrimPrefix(s, prefix))
				}
				if !slices.Equal(srcs, want.sources) {
					t.Errorf("sources %v, want %v", srcs, want.sources)
				}
			}
			for k, v := range want.props {
				if got := e.Properties[k]; got.S != v {
					t.Errorf("%s = %+v, want %q", k, got, v)
				}
			}
		})
	}
	t.Run("aliases and referents are kept", func(t *testing.T) {
		e := g.ents["ftm:ofac-chen-zhi"]
		if !slices.Contains(e.Aliases, "Vincent CHEN") || !slices.Contains(e.Aliases, "陈志") {
			t.Errorf("aliases %v", e.Aliases)
		}
		if refs := e.Properties["ftm_referents"].L; !slices.Equal(refs, []string{"ftm:ofac-52211"}) {
			t.Errorf("ftm_referents %v", refs)
		}
		if u := e.Properties["source_url"].L; len(u) != 1 || !strings.Contains(u[0], "treasury.gov") {
			t.Errorf("source_url %v", u)
		}
		if e.Properties["ftm_program"].L == nil {
			t.Errorf("an unmapped FtM property is dropped: %v", e.Properties)
		}
	})
	rels := []struct {
		id       string
		evidence graph.Evidence
		since    string
		role     string
	}{
		{"ftm:ofac-chen-zhi-[OWNS]->ftm:ofac-prince-holding-group#ofac-own-chen-zhi-phg", graph.EvidenceRecord, "", "founder and owner"},
		{"ftm:ofac-chen-zhi-[DIRECTS]->ftm:ofac-prince-holding-group#ofac-dir-chen-zhi-phg", graph.EvidenceRecord, "", "Chairman"},
		{"ftm:gb-fcdo-chen-zhi-[DIRECTS]->ftm:gb-fcdo-prince-holding-group#gb-fcdo-dir-chen-zhi-phg", graph.EvidenceRecord, "", "Chairman"},
		{"ftm:ofac-prince-holding-group-[LINKED_TO]->ftm:ofac-prince-group-tco#ofac-member-phg-tco", graph.EvidenceRecord, "", "linked to"},
		{"ftm:ofac-prince-holding-group-[LOCATED_IN]->ftm:ofac-addr-prince-phnom-penh", graph.EvidenceRecord, "", ""},
		{"ftm:ofac-chen-zhi-[SUBJECT_OF]->ftm:ofac-sanction-chen-zhi", graph.EvidenceDesignation, "2025-10-14", ""},
		{"ftm:gb-fcdo-chen-zhi-[SUBJECT_OF]->ftm:gb-fcdo-sanction-chen-zhi", graph.EvidenceDesignation, "2025-10-14", ""},
		{"ftm:ofac-prince-holding-group-[SUBJECT_OF]->ftm:ofac-sanction-prince-holding-group", graph.EvidenceDesignation, "2025-10-14", ""},
		{"ftm:authority:office-of-foreign-assets-control-[CONDUCTED]->ftm:ofac-sanction-chen-zhi", graph.EvidenceDesignation, "", ""},
		{"ftm:authority:foreign-commonwealth-and-development-office-[CONDUCTED]->ftm:gb-fcdo-sanction-prince-holding-group", graph.EvidenceDesignation, "", ""},
		{"ftm:x-company-[OWNS]->ftm:x-legal#x-own", graph.EvidenceRecord, "2019-03-01", "owner"},
		{"ftm:x-company-[CONTROLS]->ftm:x-legal#x-dir-corp", graph.EvidenceRecord, "", "corporate director"},
		{"ftm:x-person-[DIRECTS]->ftm:x-company#x-dir", graph.EvidenceRecord, "2015-01-01", "director"},
		{"ftm:x-person-[LINKED_TO]->ftm:x-gov#x-member", graph.EvidenceRecord, "", "member"},
		{"ftm:x-person-b-[LINKED_TO]->ftm:x-company#x-employ", graph.EvidenceRecord, "", "accountant"},
		{"ftm:x-person-[FAMILY_OF]->ftm:x-person-b#x-family", graph.EvidenceRecord, "", "relative"},
		{"ftm:x-person-b-[ASSOCIATE_OF]->ftm:x-person#x-assoc", graph.EvidenceRecord, "", "business partner"},
		{"ftm:x-legal-[LINKED_TO]->ftm:x-body#x-link", graph.EvidenceRecord, "", "paid"},
		{"ftm:x-person-b-[LINKED_TO]->ftm:x-legal#x-rep", graph.EvidenceRecord, "", "agent"},
		{"ftm:x-person-[HOLDS_OFFICE]->ftm:x-position#x-occ", graph.EvidenceRecord, "2018-06-01", "holder"},
		{"ftm:x-person-[LOCATED_IN]->ftm:x-address", graph.EvidenceRecord, "", ""},
		{"ftm:x-company-[SUBJECT_OF]->ftm:x-sanction", graph.EvidenceDesignation, "2024-02-01", ""},
	}
	for _, want := range rels {
		t.Run("relationship "+want.id, func(t *testing.T) {
			r, ok := g.rels[want.id]
			if !ok {
				t.Fatal("not imported")
			}
			if r.Evidence != want.evidence {
				t.Errorf("evidence %s, want %s", r.Evidence, want.evidence)
			}
			if want.since != "" && (r.Since == nil || r.Since.String() != want.since) {
				t.Errorf("since %v, want %s", r.Since, want.since)
			}
			if want.role != "" && r.Properties["role"].S != want.role {
				t.Errorf("role %+v, want %q", r.Properties["role"], want.role)
			}
		})
	}
	t.Run("Chen Zhi's two records stay two (matching decides later)", func(t *testing.T) {
		if _, ok := g.ents["ftm:gb-fcdo-chen-zhi"]; !ok {
			t.Fatal("the UK record is missing")
		}
		if g.ents["ftm:gb-fcdo-chen-zhi"].Name == g.ents["ftm:ofac-chen-zhi"].Name {
			t.Error("the two lists spell the name differently")
		}
	})
	snap := neo4jtest.Snapshot(t, db, prefix)
	t.Run("second import changes nothing", func(t *testing.T) {
		rep, err := importDir(t, db, importer.Options{IDNamespace: prefix}, "testdata/ftm")
		if err != nil {
			t.Fatal(err)
		}
		if rep.Changes() != 0 || rep.Entities.Unchanged != first.Entities.Created || rep.Relationships.Unchanged != first.Relationships.Created {
			t.Errorf("second import: %+v / %+v, first created %+v / %+v", rep.Entities, rep.Relationships, first.Entities, first.Relationships)
		}
		if got := neo4jtest.Snapshot(t, db, prefix); !reflect.DeepEqual(got, snap) {
			t.Error("the graph changed")
		}
	})
}

// TestImportFTMRefusesBadFiles: a file with malformed lines is refused
// with file:line reasons and writes nothing; --skip-bad imports the rest.
func TestImportFTMRefusesBadFiles(t *testing.T) {
	db := neo4jtest.Open(t)
	prefix := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, prefix)
	const file = "testdata/ftm-bad/bad.ftm.json"
	rep, err := importDir(t, db, importer.Options{IDNamespace: prefix}, file)
	if !errors.Is(err, importer.ErrRejected) || rep.Written {
		t.Fatalf("err %v, written %v", err, rep.Written)
	}
	want := map[int]string{
		2: `schema: "Vessel" is not mapped`,
		3: "truncated JSON object",
		4: "id: is required",
		5: "properties.asset: Ownership",
		6: "no event type",
		7: "want []string",
		8: `references "` + prefix + `ftm:b-nobody", which is neither in the input nor in the graph`,
	}
	got := map[int]string{}
	for _, p := range rep.Problems {
		if p.File != file {
			t.Errorf("problem names %s", p.File)
		}
		got[p.Line] = p.Reason
	}
	for line, reason := range want {
		t.Run(reason, func(t *testing.T) {
			if !strings.Contains(got[line], reason) {
				t.Errorf("%s:%d: %q, want it to say %q", file, line, got[line], reason)
			}
		})
	}
	if len(got) != len(want) {
		t.Errorf("problems %v", got)
	}
	if snap := neo4jtest.Snapshot(t, db, prefix); len(snap) != 0 {
		t.Errorf("a refused file wrote %d lines", len(snap))
	}
	t.Run("skip-bad imports the good lines", func(t *testing.T) {
		rep, err := importDir(t, db, importer.Options{IDNamespace: prefix, SkipBad: true}, file)
		if err != nil || !rep.Written {
			t.Fatalf("err %v report %+v", err, rep)
		}
		g := load(t, db, prefix)
		facts := 0
		for _, r := range g.rels {
			if r.Type != graph.RelMentionedIn {
				facts++
			}
		}
		if _, ok := g.ents["ftm:b-person"]; !ok || len(g.ents) != 2 || facts != 0 {
			t.Errorf("entities %v, relationships %v", g.ents, g.rels)
		}
	})
}
