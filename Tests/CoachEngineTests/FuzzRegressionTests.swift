import Testing

@testable import CoachEngine

/// Inputs the fuzz targets (`Fuzz/`, `scripts/fuzz.sh`) found, kept as tests: each once broke
/// an invariant a target asserts.
@Suite("Fuzz findings")
struct FuzzRegressionTests {
    /// Both population readers over the same bytes: the pipeline behind `coach batch`, and the
    /// async sequence behind `POST /v1/advice/batch` (in chunks cut at random).
    static func bothReaders(_ text: String, format: PopulationFormat?) async throws -> (
        pipeline: Result<Int, PopulationError>, stream: Result<Int, PopulationError>
    ) {
        let book = try RuleBook.builtin()
        let bytes = Array(text.utf8)
        let pipeline = Result { () throws(PopulationError) -> Int in
            do {
                let summary = try PopulationTests.withInput(bytes) { descriptor in
                    try Population.batch(
                        book, input: descriptor, options: Population.Options(format: format, jobs: 1), output: .jsonl,
                        write: { _ in }, writeErrors: { _ in })
                }
                return summary.accepted + summary.rejected
            } catch let error as PopulationError {
                throw error
            } catch {
                throw PopulationError("\(error)")
            }
        }
        var records = 0
        let stream: Result<Int, PopulationError>
        do {
            for try await _ in book.advice(for: AdviceSequenceTests.Chunks(bytes: bytes, seed: 3), format: format) {
                records += 1
            }
            stream = .success(records)
        } catch let error as PopulationError {
            stream = .failure(error)
        }
        return (pipeline, stream)
    }

    /// FuzzPopulations: an empty input (or blank lines only) read as CSV failed in `coach batch`
    /// ("the population is empty") and gave no records and no error through the service.
    @Test(
        "an input with nothing but blank lines is the same to both readers",
        arguments: [
            ("", nil), ("\n \r\n\t\n", nil), ("", .csv), ("\n\n", .csv), ("", .jsonl), ("\n\n", .jsonl),
        ] as [(String, PopulationFormat?)])
    func emptyPopulation(text: String, format: PopulationFormat?) async throws {
        let (pipeline, stream) = try await Self.bothReaders(text, format: format)
        if format == .jsonl {
            #expect(try pipeline.get() == 0)
            #expect(try stream.get() == 0)
        } else {
            #expect(throws: PopulationError.emptyCSV) { try pipeline.get() }
            #expect(throws: PopulationError.emptyCSV) { try stream.get() }
        }
    }
}
