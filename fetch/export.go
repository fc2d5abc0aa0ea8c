package fetch

// OWNER: helper "fetch-data". Contract stub.

// ManifestName is the manifest file Export writes.
const ManifestName = "manifest.json"

// ExportPlan lists what Export would write, for the confirmation dialog.
type ExportPlan struct {
	Dir   string
	Files []string // relative cleaned paths, manifest.json last
	Bytes int64
}

// PlanExport computes what Export(c, dir) would write, without writing.
func PlanExport(c *Case, dir string) (ExportPlan, error) { panic("TODO fetch-data") }

// Export writes the case's readable entries (original bytes, cleaned safe names)
// inside dir, plus manifest.json with the SHA-256 of every file. It refuses to
// overwrite anything and never writes outside dir. It is only ever called on
// an explicit user action.
func Export(c *Case, dir string) (ExportPlan, error) { panic("TODO fetch-data") }
