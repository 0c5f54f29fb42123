// Package export writes the graph in the formats investigators move it
// in: FollowTheMoney (Aleph, OpenSanctions tools), GEXF 1.3 (Gephi),
// GraphML, CSV node and edge files for spreadsheets, and the CSV layout of
// neo4j-admin database import (docs/export.md). It streams: Run reads the
// graph a page at a time through graph.Exporter and writes as it reads,
// so memory stays flat whatever the graph's size. It depends on the
// domain only; cmd/ and api/ give it a store and a place to write.
package export

import (
	"archive/zip"
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/scamgraph/scamgraph/graph"
)

// Sink is where an export's files go: a directory, a zip archive, or one
// stream (formats of a single file).
type Sink interface {
	// Create starts the file name; the previous one is finished.
	Create(name string) (io.Writer, error)
	// Close finishes the last file (and the archive).
	Close() error
}

// Files lists the files a format writes, in order.
func Files(f graph.ExportFormat) []string {
	switch f {
	case graph.ExportFtM:
		return []string{"entities.ftm.json"}
	case graph.ExportGEXF:
		return []string{"graph.gexf"}
	case graph.ExportGraphML:
		return []string{"graph.graphml"}
	case graph.ExportCSV:
		return []string{"nodes.csv", "edges.csv"}
	case graph.ExportNeo4jAdmin:
		return []string{"nodes.csv", "relationships.csv"}
	}
	return nil
}

// SingleFile reports whether f writes one file (which may go to a plain
// stream); the others need a directory or an archive.
func SingleFile(f graph.ExportFormat) bool { return len(Files(f)) == 1 }

// ContentType is the media type of f over HTTP: the file's own, or
// application/zip for the formats of several files.
func ContentType(f graph.ExportFormat) string {
	switch f {
	case graph.ExportFtM:
		return "application/x-ndjson; charset=utf-8"
	case graph.ExportGEXF:
		return "application/gexf+xml; charset=utf-8"
	case graph.ExportGraphML:
		return "application/graphml+xml; charset=utf-8"
	}
	return "application/zip"
}

// streamSink writes the one file of a single-file format to w.
type streamSink struct {
	w       io.Writer
	created bool
}

// StreamSink writes a single-file format to w.
func StreamSink(w io.Writer) Sink { return &streamSink{w: w} }

func (s *streamSink) Create(name string) (io.Writer, error) {
	if s.created {
		return nil, fmt.Errorf("export: %s: this format writes several files; write to a directory or a zip archive", name)
	}
	s.created = true
	return s.w, nil
}

func (s *streamSink) Close() error { return nil }

// dirSink writes files into a directory.
type dirSink struct {
	dir string
	f   *os.File
}

// DirSink writes the files into dir (created if need be; files there of
// the same names are replaced).
func DirSink(dir string) (Sink, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	return &dirSink{dir: dir}, nil
}

func (s *dirSink) Create(name string) (io.Writer, error) {
	if err := s.Close(); err != nil {
		return nil, err
	}
	f, err := os.Create(filepath.Join(s.dir, name))
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	s.f = f
	return f, nil
}

func (s *dirSink) Close() error {
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f = nil
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// zipSink writes the files as a zip archive (streamed: entries are
// deflated as they are written).
type zipSink struct{ z *zip.Writer }

// ZipSink writes the files into a zip archive on w.
func ZipSink(w io.Writer) Sink { return &zipSink{z: zip.NewWriter(w)} }

func (s *zipSink) Create(name string) (io.Writer, error) {
	w, err := s.z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Now().UTC()})
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	return w, nil
}

func (s *zipSink) Close() error { return s.z.Close() }

// Stats counts what an export wrote.
type Stats struct {
	Format        graph.ExportFormat `json:"format"`
	Entities      int                `json:"entities"`
	Relationships int                `json:"relationships"`
	Files         []string           `json:"files"`
}

// Progress is told the counts after every page; nil for none.
type Progress func(entities, relationships int)

// writer is one format's encoder. Run calls begin, entities for every
// page, middle, relationships for every page, then end.
type writer interface {
	begin() error
	entities(ctx context.Context, page []graph.ExportEntity) error
	middle() error
	relationships(ctx context.Context, page []graph.ExportRelationship) error
	end() error
}

// Run exports what q selects from src into sink (q is normalised here),
// one page at a time, as the caller's role may see it (q.Role). The sink
// is not closed.
func Run(ctx context.Context, src graph.Exporter, q graph.ExportQuery, sink Sink, progress Progress) (Stats, error) {
	q, err := Check(ctx, src, q)
	if err != nil {
		return Stats{}, err
	}
	st := Stats{Format: q.Format, Files: Files(q.Format)}
	keys := graph.PropertyKeys{}
	if q.Format != graph.ExportFtM {
		if keys, err = src.ExportKeys(ctx); err != nil {
			return st, err
		}
	}
	files := Files(q.Format)
	out, err := sink.Create(files[0])
	if err != nil {
		return st, err
	}
	buf := bufio.NewWriterSize(out, 64<<10)
	second := func() (*bufio.Writer, error) { // the relationships' file of the CSV formats
		if err := buf.Flush(); err != nil {
			return nil, err
		}
		out, err := sink.Create(files[1])
		if err != nil {
			return nil, err
		}
		buf = bufio.NewWriterSize(out, 64<<10)
		return buf, nil
	}
	var w writer
	switch q.Format {
	case graph.ExportFtM:
		w = &ftmWriter{w: buf, src: src, q: q, ns: q.Namespace}
	case graph.ExportGEXF:
		w = &gexfWriter{w: &errWriter{w: buf}, keys: keys}
	case graph.ExportGraphML:
		w = &graphmlStream{g: NewGraphML(buf, keys)}
	case graph.ExportCSV:
		w = newCSVWriter(buf, second, keys)
	case graph.ExportNeo4jAdmin:
		w = newAdminWriter(buf, second, keys)
	}
	if err := w.begin(); err != nil {
		return st, err
	}
	err = src.ExportEntities(ctx, q, func(page []graph.ExportEntity) error {
		for i := range page {
			page[i].Entity = graph.RedactEntity(page[i].Entity, q.Role)
			for j, r := range page[i].In {
				r = graph.RedactRelationship(r, q.Role)
				if r.Start != nil {
					start := graph.RedactEntity(*r.Start, q.Role)
					r.Start = &start
				}
				page[i].In[j] = r
			}
		}
		if err := w.entities(ctx, page); err != nil {
			return err
		}
		st.Entities += len(page)
		if progress != nil {
			progress(st.Entities, st.Relationships)
		}
		return nil
	})
	if err != nil {
		return st, err
	}
	if err := w.middle(); err != nil {
		return st, err
	}
	err = src.ExportRelationships(ctx, q, func(page []graph.ExportRelationship) error {
		for i := range page {
			page[i] = graph.RedactRelationship(page[i], q.Role)
		}
		if err := w.relationships(ctx, page); err != nil {
			return err
		}
		st.Relationships += len(page)
		if progress != nil {
			progress(st.Entities, st.Relationships)
		}
		return nil
	})
	if err != nil {
		return st, err
	}
	if err := w.end(); err != nil {
		return st, err
	}
	if err := buf.Flush(); err != nil {
		return st, fmt.Errorf("export: %w", err)
	}
	return st, nil
}

// Check normalises q and checks that its root, when it has one, is in
// the graph (CodeNotFound naming from otherwise): what can go wrong before
// the first byte is written.
func Check(ctx context.Context, src graph.Exporter, q graph.ExportQuery) (graph.ExportQuery, error) {
	q, err := q.Normalize()
	if err != nil || q.From == "" {
		return q, err
	}
	found, err := src.Exported(ctx, graph.ExportQuery{Format: q.Format, From: q.From, Depth: q.Depth, Prefix: q.Prefix}, []string{q.From})
	if err != nil {
		return q, err
	}
	if !found[q.From] {
		return q, graph.Errorf(graph.CodeNotFound, "from", "no entity with id %q", q.From)
	}
	return q, nil
}

func hasKind(ks []graph.Kind, k graph.Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// errWriter keeps the first write error so encoders can write freely and
// check once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) str(s string) {
	if e.err == nil {
		_, e.err = io.WriteString(e.w, s)
	}
}
