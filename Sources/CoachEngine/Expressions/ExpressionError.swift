/// A problem in one expression, placed by offsets (Unicode scalars) in the expression's text.
/// The rule-file loader turns the offsets into `file:line:column`.
struct ExpressionError: Error, Sendable, Equatable {
    var code: String
    var message: String
    var span: Range<Int>
    var notes: [String] = []
}
