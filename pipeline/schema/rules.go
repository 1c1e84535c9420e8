package schema

// Targets is targets.yaml and Standards is standards.yaml: what the report evaluates.
// Both are optional: without them the report has no targets or standards sections.
// The expressions are kept as text here; package rules compiles and type-checks them
// against the schema and reports mistakes at the expression's line and column.
type Targets struct {
	RuleSets []*RuleSet `yaml:"rule_sets"`
}

// Standards is standards.yaml.
type Standards struct {
	Standards []*Standard `yaml:"standards"`
}

// RuleSet is a group of targets set by one resolution or plan (Đề án 02-ĐA/TU …). It
// applies to report periods between EffectiveFrom and EffectiveUntil, so an office
// keeps old rule sets in the file when a new resolution replaces them.
type RuleSet struct {
	Code           string    `yaml:"code"`
	Title          string    `yaml:"title"`
	Basis          string    `yaml:"basis"`           // the document that sets the targets
	EffectiveFrom  string    `yaml:"effective_from"`  // YYYY-MM-DD, inclusive; empty = always
	EffectiveUntil string    `yaml:"effective_until"` // YYYY-MM-DD, inclusive; empty = open-ended
	Targets        []*Target `yaml:"targets"`
	Pos            Pos       `yaml:"-"`
}

// Target is one chỉ tiêu: among the people Population selects, at least Threshold of
// them must satisfy Counted.
type Target struct {
	ID         string `yaml:"id"`
	Title      string `yaml:"title"`
	Population string `yaml:"population"` // expression over field codes; "" = everyone in the roster
	Counted    string `yaml:"counted"`    // expression over field codes
	Threshold  string `yaml:"threshold"`  // "70%" or "0.7"; compared exactly
	Deadline   string `yaml:"deadline"`   // YYYY-MM-DD
	Scope      string `yaml:"scope"`      // overall (default) | unit | both
	Pos        Pos    `yaml:"-"`

	// Positions of the expression texts, for compile errors at the right column.
	PopulationPos, CountedPos, ThresholdPos Pos `yaml:"-"`
}

// Target scopes.
const (
	ScopeOverall = "overall"
	ScopeUnit    = "unit"
	ScopeBoth    = "both"
)

// Standard is one tiêu chuẩn chức danh: the minimum levels the people AppliesTo
// selects must hold. A person below any of them is in the training plan.
type Standard struct {
	ID             string     `yaml:"id"`
	Title          string     `yaml:"title"`
	Basis          string     `yaml:"basis"`
	EffectiveFrom  string     `yaml:"effective_from"`
	EffectiveUntil string     `yaml:"effective_until"`
	AppliesTo      string     `yaml:"applies_to"` // expression; "" = everyone in the roster
	Requires       []*Require `yaml:"requires"`
	Pos            Pos        `yaml:"-"`

	AppliesToPos Pos `yaml:"-"`
}

// Require is one minimum: the ordinal Field at least AtLeast.
type Require struct {
	Field   string `yaml:"field"`
	AtLeast string `yaml:"at_least"`
	Label   string `yaml:"label"` // what to call the requirement in the report; default from the field and level
	Pos     Pos    `yaml:"-"`
}
