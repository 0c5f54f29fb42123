package api_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/api"
	"github.com/scamgraph/scamgraph/graph"
)

func sampleGraph() graph.Subgraph {
	d := graph.Date{Year: 2015, Month: 1, Day: 1}
	return graph.Subgraph{
		Nodes: []graph.Entity{
			{ID: "person:chen-zhi", Kinds: []graph.Kind{graph.KindOfficial, graph.KindTycoon}, Name: `Chen "Vincent" Zhi <CEO> & co`,
				Aliases: []string{"陈志"}, Sources: []string{"source:a"}, Properties: map[string]graph.Value{
					"born": graph.DateValue(graph.Date{Year: 1987, Month: 12, Day: 16}), "charges": graph.StringsValue([]string{"wire fraud", "money laundering"}),
				}},
			{ID: "company:prince", Kinds: []graph.Kind{graph.KindCompany}, Name: "Prince\x01Group", Properties: map[string]graph.Value{
				"employees": graph.IntValue(1000), "born": graph.StringValue("n/a"),
			}},
			{ID: "victim:cohort", Kinds: []graph.Kind{graph.KindVictim}, Name: "Cohort", Properties: map[string]graph.Value{
				"age": graph.IntValue(23), "count": graph.IntValue(40),
			}},
		},
		Edges: []graph.Relationship{
			{ID: "person:chen-zhi-[OWNS]->company:prince", Type: graph.RelOwns, From: "person:chen-zhi", To: "company:prince",
				Evidence: graph.EvidenceDesignation, Since: &d, Sources: []string{"source:a"}, Properties: map[string]graph.Value{"share": graph.FloatValue(0.5)}},
		},
		Truncated: true, NextCursor: "abc",
	}
}

func TestCytoscape(t *testing.T) {
	doc := api.Cytoscape(sampleGraph())
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Elements struct {
			Nodes []struct{ Data map[string]any } `json:"nodes"`
			Edges []struct{ Data map[string]any } `json:"edges"`
		} `json:"elements"`
		Truncated  bool   `json:"truncated"`
		NextCursor string `json:"next_cursor"`
	}
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name string
		ok   bool
	}{
		{"node count", len(back.Elements.Nodes) == 3},
		{"edge count", len(back.Elements.Edges) == 1},
		{"node id", back.Elements.Nodes[0].Data["id"] == "person:chen-zhi"},
		{"node label is the name", back.Elements.Nodes[0].Data["label"] == `Chen "Vincent" Zhi <CEO> & co`},
		{"node kinds", len(back.Elements.Nodes[0].Data["kinds"].([]any)) == 2},
		{"edge source", back.Elements.Edges[0].Data["source"] == "person:chen-zhi"},
		{"edge target", back.Elements.Edges[0].Data["target"] == "company:prince"},
		{"edge label is the type", back.Elements.Edges[0].Data["label"] == "OWNS"},
		{"edge since", back.Elements.Edges[0].Data["since"] == "2015-01-01"},
		{"no until", back.Elements.Edges[0].Data["until"] == nil},
		// The converters convert; redaction is the handlers' (TestVictimRedaction).
		{"every property converted", back.Elements.Nodes[2].Data["properties"].(map[string]any)["age"] == float64(23)},
		{"other property kept", back.Elements.Nodes[2].Data["properties"].(map[string]any)["count"] == float64(40)},
		{"truncated", back.Truncated && back.NextCursor == "abc"},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if !c.ok {
				t.Fatalf("failed; document: %s", b)
			}
		})
	}
	t.Run("empty graph has empty lists", func(t *testing.T) {
		b, _ := json.Marshal(api.Cytoscape(graph.Subgraph{}))
		if !bytes.Contains(b, []byte(`"nodes":[]`)) || !bytes.Contains(b, []byte(`"edges":[]`)) {
			t.Fatalf("got %s", b)
		}
	})
}

// graphmlDoc is enough of GraphML to read back what GraphML wrote.
type graphmlDoc struct {
	XMLName xml.Name `xml:"graphml"`
	Keys    []struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
		Type string `xml:"attr.type,attr"`
	} `xml:"key"`
	Graph struct {
		EdgeDefault string `xml:"edgedefault,attr"`
		Nodes       []struct {
			ID   string `xml:"id,attr"`
			Data []struct {
				Key   string `xml:"key,attr"`
				Value string `xml:",chardata"`
			} `xml:"data"`
		} `xml:"node"`
		Edges []struct {
			ID     string `xml:"id,attr"`
			Source string `xml:"source,attr"`
			Target string `xml:"target,attr"`
			Data   []struct {
				Key   string `xml:"key,attr"`
				Value string `xml:",chardata"`
			} `xml:"data"`
		} `xml:"edge"`
	} `xml:"graph"`
}

func TestGraphML(t *testing.T) {
	out := api.GraphML(sampleGraph())
	var doc graphmlDoc
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("not well-formed XML: %v\n%s", err, out)
	}
	keys := map[string]string{}
	for _, k := range doc.Keys {
		keys[k.ID] = k.For + "/" + k.Name + "/" + k.Type
	}
	data := func(i int) map[string]string {
		m := map[string]string{}
		for _, d := range doc.Graph.Nodes[i].Data {
			m[d.Key] = d.Value
		}
		return m
	}
	checks := []struct {
		name string
		ok   bool
	}{
		{"directed", doc.Graph.EdgeDefault == "directed"},
		{"nodes", len(doc.Graph.Nodes) == 3},
		{"edges", len(doc.Graph.Edges) == 1},
		{"name escaped and read back", data(0)["n_name"] == `Chen "Vincent" Zhi <CEO> & co`},
		{"unicode alias", data(0)["n_aliases"] == "陈志"},
		{"kinds joined", data(0)["n_kinds"] == "official|tycoon"},
		{"list property joined", data(0)["n_p_charges"] == "wire fraud|money laundering"},
		{"control character replaced", data(1)["n_name"] == "Prince\uFFFDGroup"},
		{"int property declared long", keys["n_p_employees"] == "node/employees/long"},
		{"mixed types declared string", keys["n_p_born"] == "node/born/string"},
		{"edge property declared double", keys["e_p_share"] == "edge/share/double"},
		{"every property declared", keys["n_p_age"] == "node/age/long"},
		{"edge endpoints", doc.Graph.Edges[0].Source == "person:chen-zhi" && doc.Graph.Edges[0].Target == "company:prince"},
		{"edge id escaped and read back", doc.Graph.Edges[0].ID == "person:chen-zhi-[OWNS]->company:prince"},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if !c.ok {
				t.Fatalf("failed; document:\n%s", out)
			}
		})
	}
	t.Run("every data key is declared", func(t *testing.T) {
		for _, n := range doc.Graph.Nodes {
			for _, d := range n.Data {
				if !strings.HasPrefix(keys[d.Key], "node/") {
					t.Errorf("node %s: key %s not declared for nodes", n.ID, d.Key)
				}
			}
		}
		for _, e := range doc.Graph.Edges {
			for _, d := range e.Data {
				if !strings.HasPrefix(keys[d.Key], "edge/") {
					t.Errorf("edge %s: key %s not declared for edges", e.ID, d.Key)
				}
			}
		}
	})
	t.Run("empty graph is valid", func(t *testing.T) {
		var d graphmlDoc
		if err := xml.Unmarshal(api.GraphML(graph.Subgraph{}), &d); err != nil || len(d.Keys) == 0 {
			t.Fatalf("empty graph: %v, %d keys", err, len(d.Keys))
		}
	})
}
