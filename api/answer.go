package api

import (
	"encoding/json"
	"net/http"

	"github.com/scamgraph/scamgraph/graph"
)

// graphAnswer is the 200 answer of every operation that has a graph-shaped
// answer: its own JSON, or (format cytoscape or graphml) the subgraph
// drawn from it. Both are already redacted for the caller. An operation
// answered with it adds its one-line Visit method (the named queries' are
// beside their handlers, in investigate.go).
type graphAnswer struct {
	format Format
	json   any
	graph  graph.Subgraph
}

func (a graphAnswer) visit(w http.ResponseWriter) error {
	switch a.format {
	case FormatCytoscape:
		return writeJSON(w, Cytoscape(a.graph))
	case FormatGraphml:
		w.Header().Set("Content-Type", GraphMLContentType)
		w.WriteHeader(http.StatusOK)
		_, err := w.Write(GraphML(a.graph))
		return err
	default:
		return writeJSON(w, a.json)
	}
}

// writeJSON answers 200 with v, HTML characters unescaped (as gin's
// PureJSON did).
func writeJSON(w http.ResponseWriter, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	return jsonEncoder(w).Encode(v)
}

func jsonEncoder(w http.ResponseWriter) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}

func (a graphAnswer) VisitNeighborsResponse(w http.ResponseWriter) error { return a.visit(w) }
func (a graphAnswer) VisitPathsResponse(w http.ResponseWriter) error     { return a.visit(w) }
