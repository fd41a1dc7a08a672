import FuzzSupport

// libFuzzer calls fuzzServer with each input.
fuzzMain(prepare: RouterClient.warmUp) { fuzzServer($0, $1) }
