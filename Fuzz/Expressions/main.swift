import FuzzSupport

// libFuzzer calls fuzzExpressions with each input.
fuzzMain { fuzzExpressions($0, $1) }
