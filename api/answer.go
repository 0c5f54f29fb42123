package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"

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
	return writeJSONStatus(w, http.StatusOK, v)
}

// writeJSONStatus answers status with v (as writeJSON). The answer is
// encoded whole before anything is sent, and sent with its Content-Length
// in one write: no chunked encoding, so the client reads one body and no
// terminating chunk (one wake-up less per request), and an encoding
// failure is still an error the caller can answer, not half a body.
func writeJSONStatus(w http.ResponseWriter, status int, v any) error {
	buf := answerBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= maxPooledAnswer {
			answerBuffers.Put(buf)
		}
	}()
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// answerBuffers holds the buffers answers are encoded into; one that grew
// past maxPooledAnswer (a rare, large answer) is left to the collector.
var answerBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooledAnswer = 1 << 20

func (a graphAnswer) VisitNeighborsResponse(w http.ResponseWriter) error { return a.visit(w) }
func (a graphAnswer) VisitPathsResponse(w http.ResponseWriter) error     { return a.visit(w) }
