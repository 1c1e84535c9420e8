// Package config embeds the default configuration, so the canbo binary works with no
// config folder beside it. A --config folder replaces the defaults as a whole: copy
// this folder to start one, then edit it and run `canbo config check`.
package config

import "embed"

// FS holds the default YAML files of this folder.
//
//go:embed *.yaml
var FS embed.FS
