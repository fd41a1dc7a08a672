import FuzzSupport

// libFuzzer calls fuzzProfiles with each input.
fuzzMain { fuzzProfiles($0, $1) }
