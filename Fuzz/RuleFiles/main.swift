import FuzzSupport

// libFuzzer calls fuzzRuleFiles with each input.
fuzzMain { fuzzRuleFiles($0, $1) }
