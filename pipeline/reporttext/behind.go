package reporttext

import "canbo/pipeline/summary"

// UnitsBehind is the assessment's sentence on the units far behind each target
// evaluated by unit (report.yaml's units_behind, "Còn xa chỉ tiêu …"), in the
// report's order: for pages that show the figures (canbo serve's web page) and
// must call the same units far behind, in the same words, as the report does.
func (t *Text) UnitsBehind(s *summary.Summary) ([]string, error) {
	var out []string
	for _, b := range behindTargets(s) {
		p, err := t.render("units_behind", b)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}
