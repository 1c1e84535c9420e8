package validate

// Twice is twice, for the tests.
var Twice = twice
