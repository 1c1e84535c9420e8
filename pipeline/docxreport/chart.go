package docxreport

import "canbo/pipeline/document"

// nsDrawing are the namespaces of a picture in the text.
const nsDrawing = `xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ` +
	`xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ` +
	`xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"`

// bars writes the targets' bar chart.
func (w *writer) bars(b *document.Bars) {}
