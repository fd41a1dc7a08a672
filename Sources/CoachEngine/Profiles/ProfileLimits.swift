/// Bounds on one JSON profile, so that a huge or deeply nested input ends in a `ProfileError`
/// instead of exhausting memory or the stack. `coach advise --max-profile-bytes` and the HTTP
/// service's body limit set `maxBytes`.
public struct ProfileLimits: Sendable, Hashable {
    /// The largest profile, in bytes: 1 MiB (a 360 profile with every rater group is about
    /// 2 KB).
    public var maxBytes: Int
    /// The deepest nesting of JSON objects and arrays: 64 (a profile needs 3).
    public var maxDepth: Int

    /// The defaults: 1 MiB, depth 64.
    public static let `default` = ProfileLimits()

    /// Creates limits; the defaults unless given.
    public init(maxBytes: Int = 1 << 20, maxDepth: Int = 64) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
    }

    /// Throws `too-large` when an input of `size` bytes is over `maxBytes`.
    func checkSize(_ size: Int) throws(ProfileError) {
        guard size > maxBytes else { return }
        throw ProfileError("the profile is larger than \(maxBytes) bytes, the limit", code: .tooLarge)
    }
}
