extension String {
    /// A string of `scalars`, encoded straight into the string's storage: much faster than
    /// appending scalar by scalar, which the lexer and checker would do for every name and
    /// snippet of every rule.
    init(scalars: some Collection<Unicode.Scalar>) {
        self.init(unsafeUninitializedCapacity: scalars.count * 4) { buffer in
            var count = 0
            for scalar in scalars {
                UTF8.encode(scalar) { byte in
                    buffer[count] = byte
                    count += 1
                }
            }
            return count
        }
    }
}
