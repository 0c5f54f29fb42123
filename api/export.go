package api

import (
	"context"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/scamgraph/scamgraph/export"
	"github.com/scamgraph/scamgraph/graph"
)

// routeExport has the import deadline (an export of the whole graph takes
// minutes).
const routeExport = "/v1/export"

func init() {
	// Export answers are text (or, zip, bytes) to the answer validator.
	for _, mt := range []string{"application/x-ndjson", "application/gexf+xml"} {
		openapi3filter.RegisterBodyDecoder(mt, openapi3filter.RegisteredBodyDecoder("text/plain"))
	}
	openapi3filter.RegisterBodyDecoder("application/zip", openapi3filter.FileBodyDecoder)
}

// Export is GET /v1/export: the query is checked (and the root looked
// up) before the answer starts; then export.Run streams the graph into
// the answer as it reads it.
func (s *server) Export(ctx context.Context, r ExportRequestObject) (ExportResponseObject, error) {
	if s.exporter == nil {
		return nil, graph.Errorf(graph.CodeUnavailable, "", "exports are not available on this server")
	}
	p := r.Params
	q, err := export.Check(ctx, s.exporter, graph.ExportQuery{Format: p.Format, Kinds: p.Kind, AsOf: asOf(p.AsOf),
		From: p.From, Depth: p.Depth, Role: graph.RoleFrom(ctx)})
	if err != nil {
		return nil, err
	}
	note(ctx, "export_format", string(q.Format))
	return exportAnswer{ctx: ctx, s: s, q: q}, nil
}

// exportAnswer streams an export. A failure before the first byte is a
// problem; after it the connection is aborted, so the client never holds
// a truncated file that looks complete.
type exportAnswer struct {
	ctx context.Context
	s   *server
	q   graph.ExportQuery
}

func (a exportAnswer) VisitExportResponse(w http.ResponseWriter) error {
	lw := &lazyHeader{w: w, contentType: export.ContentType(a.q.Format)}
	if !export.SingleFile(a.q.Format) {
		lw.disposition = `attachment; filename="scamgraph-` + string(a.q.Format) + `.zip"`
	}
	var sink export.Sink = export.StreamSink(lw)
	if !export.SingleFile(a.q.Format) {
		sink = export.ZipSink(lw)
	}
	_, err := export.Run(a.ctx, a.s.exporter, a.q, sink, nil)
	if err == nil {
		err = sink.Close()
	}
	if err != nil {
		if !lw.started {
			p := ProblemFor(err, routeExport)
			a.s.log.Log(a.ctx, levelFor(p.Status), "export failed", "status", p.Status, "error", err.Error())
			writeProblemTo(w, p, p)
			return nil
		}
		a.s.log.ErrorContext(a.ctx, "export failed mid-answer; connection aborted", "error", err.Error())
		panic(http.ErrAbortHandler)
	}
	if !lw.started {
		lw.start()
	}
	return nil
}

// lazyHeader sends 200 and the headers with the first byte.
type lazyHeader struct {
	w                        http.ResponseWriter
	contentType, disposition string
	started                  bool
}

func (l *lazyHeader) start() {
	l.started = true
	l.w.Header().Set("Content-Type", l.contentType)
	if l.disposition != "" {
		l.w.Header().Set("Content-Disposition", l.disposition)
	}
	l.w.WriteHeader(http.StatusOK)
}

func (l *lazyHeader) Write(b []byte) (int, error) {
	if !l.started {
		l.start()
	}
	return l.w.Write(b)
}
