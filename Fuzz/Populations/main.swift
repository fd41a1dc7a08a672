import FuzzSupport

// libFuzzer calls fuzzPopulations with each input.
fuzzMain { fuzzPopulations($0, $1) }
