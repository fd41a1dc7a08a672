import FuzzSupport

@testable import CoachEngine

/// The profile JSON readers on arbitrary bytes: the fast path (`ProfileJSONReader`) and the
/// general one (`JSONParser` → `ProfileDecoder`). Whenever the fast path accepts, its row is the
/// general path's bit for bit; the public entry point answers as the general path does.
func fuzzProfiles(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let book = FuzzInput.book
    var builder = RowBuilder(instrument: book.instrument, book: book.compiled)
    var id: String?
    let fast = bytes.withUnsafeBufferPointer { book.jsonReader.read($0, into: &builder, id: &id) }
    let general = Result { () throws(ProfileError) -> PreparedProfile in
        try PreparedProfile(try Profile(json: bytes), instrument: book.instrument)
    }
    if fast {
        switch general {
        case .success(let prepared):
            fuzzCheck(id == prepared.id, "ids differ: \(String(describing: id)) and \(String(describing: prepared.id))")
            fuzzCheck(
                builder.values.map(\.bitPattern) == prepared.values.map(\.bitPattern)
                    && builder.codes == prepared.codes && builder.usable == prepared.usable
                    && builder.hasRaters == prepared.hasRaters,
                "the fast path's row differs from the general path's")
        case .failure(let error):
            fuzzCheck(false, "the fast path accepted what the general path rejects: \(error)")
        }
    }
    let viaJSON = Result { () throws(ProfileError) in try book.advise(json: bytes, options: .init(explain: true)).json()
    }
    let viaProfile = Result { () throws(ProfileError) in
        try book.advise(try Profile(json: bytes), options: .init(explain: true)).json()
    }
    switch (viaJSON, viaProfile) {
    case (.success(let a), .success(let b)): fuzzCheck(a == b, "advice differs between the two entry points")
    case (.failure(let a), .failure(let b)): fuzzCheck(a == b, "errors differ: \(a) and \(b)")
    default: fuzzCheck(false, "one entry point failed and the other did not")
    }
    return 0
}
