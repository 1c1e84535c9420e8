// Package templates embeds every text a person reads that is not data: issue messages
// now, report labels and e-mail texts later. Offices reword them here, not in Go code.
package templates

import "embed"

// FS holds the template files of this folder.
//
//go:embed *.yaml
var FS embed.FS
